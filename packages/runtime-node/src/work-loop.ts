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
  let kicked = false;
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
    kick() {
      if (kicked || stopped) return;
      kicked = true;
      setImmediate(() => {
        kicked = false;
        tick();
      });
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
