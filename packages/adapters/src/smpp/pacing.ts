import { Backoff } from './backoff';

/**
 * When the next submit_sm may go on a bind: at most `perSecond` of them (unlimited without), and none
 * during the pause after the SMSC said it is throttled, a pause that doubles while that goes on.
 */
export class SubmitPacing {
  private nextSendAt = 0;
  private pausedUntil = 0;
  private readonly throttle: Backoff;

  constructor(
    private readonly perSecond: number | undefined,
    throttleBackoffMs: number,
  ) {
    this.throttle = new Backoff(throttleBackoffMs, throttleBackoffMs * 16);
  }

  /** Milliseconds until the next submit may go; it may go now when this is 0 or less. */
  waitAt(now: number): number {
    return Math.max(this.pausedUntil, this.nextSendAt) - now;
  }

  /** A submit went out at `now`. */
  sent(now: number) {
    if (this.perSecond) this.nextSendAt = Math.max(now, this.nextSendAt) + 1000 / this.perSecond;
  }

  /** ESME_RTHROTTLED or ESME_RMSGQFUL at `now`: pause, twice as long as last time while they go on. */
  throttled(now: number) {
    this.pausedUntil = now + this.throttle.next();
  }

  /** A submit went through: the next throttling pauses for the shortest time again. */
  accepted() {
    this.throttle.reset();
  }
}
