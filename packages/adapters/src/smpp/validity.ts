const two = (n: number) => String(n).padStart(2, '0');

/**
 * SMPP's relative time (`YYMMDDhhmmss000R`) for the time left until `validUntil` (whole seconds,
 * at least one), as submit_sm's `validity_period`; '' (the SMSC's default) without one. Up to 99 days.
 */
export function relativeValidity(validUntil: number | undefined, now: number): string {
  if (validUntil === undefined) return '';
  let s = Math.max(1, Math.ceil((validUntil - now) / 1000));
  const days = Math.min(99, Math.floor(s / 86_400));
  s -= days * 86_400;
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  return `0000${two(days)}${two(hours)}${two(minutes)}${two(s % 60)}000R`;
}
