export interface BackoffSettings {
  retryBaseMs: number;
  maxRetryDelayMs: number;
}

/**
 * The wait before attempt `attempts + 1`: exponential from `retryBaseMs`, capped at `maxRetryDelayMs`,
 * with jitter (between half and all of it, `random` in [0, 1)) so receivers coming back up are not hit
 * by every retry at once.
 */
export function retryDelay(attempts: number, settings: BackoffSettings, random: number): number {
  const exponent = Math.min(Math.max(attempts - 1, 0), 40);
  const full = Math.min(settings.maxRetryDelayMs, settings.retryBaseMs * 2 ** exponent);
  return Math.round(full * (0.5 + random / 2));
}
