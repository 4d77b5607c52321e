/**
 * Webhook verification as a receiver writes it, in JavaScript (Web Crypto) and Python: shown on the
 * documentation page and in docs/webhooks.md (a test keeps that page's copy equal to these, and runs both
 * against a real delivery). Text for receivers; the core runs neither.
 */
export const VERIFY_JS = `// rawBody: the body exactly as received (a string); headers: lower-case names, as Node gives them.
// Web Crypto only, so it runs as is on Node 18+, Deno, Bun and Workers; verify() compares in constant time.
export async function verifyMifumoWebhook(rawBody, headers, secret, toleranceSeconds = 300) {
  const timestamp = headers['x-mifumo-timestamp'];
  if (!/^\\d+$/.test(timestamp ?? '') || Math.abs(Date.now() / 1000 - Number(timestamp)) > toleranceSeconds)
    return false;
  const text = new TextEncoder();
  const key = await crypto.subtle.importKey(
    'raw',
    text.encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['verify'],
  );
  for (const part of String(headers['x-mifumo-signature'] ?? '').split(',')) {
    const hex = /^v1=([0-9a-f]{64})$/.exec(part.trim())?.[1];
    if (!hex) continue;
    const signature = Uint8Array.from(hex.match(/../g), (h) => Number.parseInt(h, 16));
    if (await crypto.subtle.verify('HMAC', key, signature, text.encode(\`\${timestamp}.\${rawBody}\`)))
      return true;
  }
  return false;
}
`;

export const VERIFY_PYTHON = `import hashlib, hmac, time

def verify_mifumo_webhook(raw_body: bytes, headers, secret: str, tolerance_seconds: int = 300) -> bool:
    timestamp = headers.get("X-Mifumo-Timestamp", "")
    if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > tolerance_seconds:
        return False
    signed = timestamp.encode() + b"." + raw_body
    expected = "v1=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return any(hmac.compare_digest(s.strip(), expected) for s in headers.get("X-Mifumo-Signature", "").split(","))
`;
