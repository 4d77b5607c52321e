import type { Context } from 'hono';
import { randomToken } from '../ids';

/**
 * The headers of an HTML page the API serves (the documentation, the root page): a strict
 * Content-Security-Policy that allows nothing but the page's own style element, carrying the nonce
 * returned here; no framing, no sniffing.
 */
export function securePage(c: Context): string {
  const nonce = randomToken(22);
  c.header(
    'Content-Security-Policy',
    `default-src 'none'; style-src 'nonce-${nonce}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
  );
  c.header('X-Frame-Options', 'DENY');
  c.header('X-Content-Type-Options', 'nosniff');
  c.header('Referrer-Policy', 'same-origin');
  return nonce;
}
