/** Long work waiting for its next turn, oldest first. */
const waiting: (() => void)[] = [];
let pumping = false;

/** Resumes one waiting piece of long work, then lets the event loop run everything else before the next. */
function resumeNext() {
  const next = waiting.shift();
  if (!next) {
    pumping = false;
    return;
  }
  next();
  setTimeout(resumeNext, 0);
}

/**
 * Resolves after the event loop has run what was waiting (other requests' I/O and timers): for long
 * loops to call every so often, so one request's work does not hold everyone else's. Long loops take
 * turns: one of them resumes per turn of the event loop (a `setTimeout` macrotask, which every runtime
 * the core runs on has), so any number of long requests at once hold a short one for one slice of work
 * between its steps, not one slice each.
 */
export const yieldToEventLoop = () =>
  new Promise<void>((resolve) => {
    waiting.push(resolve);
    if (!pumping) {
      pumping = true;
      setTimeout(resumeNext, 0);
    }
  });
