const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const encoder = new TextEncoder();

/** Imported keys by secret: importing costs more than signing a small body. */
const keys = new Map<string, Promise<CryptoKey>>();
const MAX_KEYS = 1000;

function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    if (keys.size >= MAX_KEYS) keys.delete(keys.keys().next().value!);
    key = crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
      'sign',
    ]);
    keys.set(secret, key);
  }
  return key;
}

/** HMAC-SHA256 of `timestamp.body` with `secret` (its UTF-8 bytes are the key), as lower-case hex. */
export async function signWebhook(secret: string, timestamp: number, body: string): Promise<string> {
  const key = await hmacKey(secret);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(`${timestamp}.${body}`)));
  let out = '';
  for (const b of mac) out += HEX[b];
  return out;
}

/**
 * The `X-Mifumo-Signature` header: `v1=<hex>` for each secret in force (the current one first, then the
 * one it replaced while its grace period lasts), comma-separated. A receiver accepts the request when
 * any of them matches its own computation.
 */
export async function signatureHeader(
  secrets: readonly string[],
  timestamp: number,
  body: string,
): Promise<string> {
  const signatures = await Promise.all(secrets.map((s) => signWebhook(s, timestamp, body)));
  return signatures.map((s) => `v1=${s}`).join(', ');
}
