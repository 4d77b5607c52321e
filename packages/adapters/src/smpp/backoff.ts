/** A wait that doubles each time it is taken, from `min` up to `max`, until it is reset. */
export class Backoff {
  private wait: number;

  constructor(
    private readonly min: number,
    private readonly max: number,
  ) {
    this.wait = min;
  }

  /** The wait to use now; the next one is twice as long, at most `max`. */
  next(): number {
    const wait = this.wait;
    this.wait = Math.min(wait * 2, this.max);
    return wait;
  }

  reset() {
    this.wait = this.min;
  }
}
