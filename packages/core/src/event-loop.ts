/**
 * Resolves after the event loop has run what was waiting (other requests' I/O and timers): for long
 * loops to call every so often, so one request's work does not hold everyone else's. A `setTimeout`
 * macrotask, which every runtime the core runs on has.
 */
export const yieldToEventLoop = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
