/** `fn` at the end of this turn of the event loop, however many times it is asked for during it. */
export function onceATurn(fn: () => void): () => void {
  let asked = false;
  return () => {
    if (asked) return;
    asked = true;
    setImmediate(() => {
      asked = false;
      fn();
    });
  };
}

/**
 * Runs `work` every `intervalMs` (the dispatcher: scheduled messages, retries, expired claims; the
 * webhook outbox) and at once when kicked (a send that is due now). Never two runs at a time: a kick
 * during a run asks for one more.
 */
export function startWorkLoop(
  work: () => Promise<unknown>,
  options: { intervalMs: number; onError: (e: unknown) => void },
) {
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;

  async function run() {
    do {
      again = false;
      try {
        await work();
      } catch (e) {
        options.onError(e);
      }
    } while (again && !stopped);
  }

  function tick() {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = run().finally(() => {
      running = null;
    });
  }

  const timer = setInterval(tick, options.intervalMs);
  tick();

  return {
    kick: onceATurn(() => {
      if (!stopped) tick();
    }),
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
