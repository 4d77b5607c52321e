export interface KeepaliveOptions {
  /** An enquire_link this often. */
  enquireLinkMs: number;
  /** How long the oldest submit in flight may go unanswered before the connection is taken to be dead. */
  responseTimeoutMs: number;
  enquireLink(): void;
  /** When the submit longest in flight went out; undefined when none is. */
  oldestSentAt(): number | undefined;
  /** The connection is taken to be dead: silence on a submit. */
  dead(): void;
}

/**
 * The timers of a bound connection: an enquire_link every `enquireLinkMs`, and a sweep (a quarter of
 * the response timeout, between 10 ms and 1 s) that calls the link dead once a submit has waited longer
 * than the response timeout. One sweep per bind rather than a timer per submit. Returns the stop.
 */
export function keepAlive(options: KeepaliveOptions): () => void {
  const timeout = options.responseTimeoutMs;
  const enquire = setInterval(options.enquireLink, options.enquireLinkMs);
  const sweep = setInterval(
    () => {
      const oldest = options.oldestSentAt();
      if (oldest !== undefined && Date.now() - oldest > timeout) options.dead();
    },
    Math.max(10, Math.min(1000, timeout / 4)),
  );
  return () => {
    clearInterval(enquire);
    clearInterval(sweep);
  };
}
