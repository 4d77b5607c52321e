/**
 * Webhook verification as a receiver writes it, in Node and Python: shown on the documentation page
 * and in the README (a test keeps the README's copy equal to these, and runs both against a real delivery).
 */
export const VERIFY_NODE = `import { createHmac, timingSafeEqual } from 'node:crypto';

// rawBody: the body exactly as received (a string); headers: lower-case names, as Node gives them.
export function verifyMifumoWebhook(rawBody, headers, secret, toleranceSeconds = 300) {
  const timestamp = headers['x-mifumo-timestamp'];
  if (!/^\\d+$/.test(timestamp ?? '') || Math.abs(Date.now() / 1000 - Number(timestamp)) > toleranceSeconds)
    return false;
  const expected = Buffer.from(
    \`v1=\${createHmac('sha256', secret).update(\`\${timestamp}.\${rawBody}\`).digest('hex')}\`,
  );
  return String(headers['x-mifumo-signature'] ?? '')
    .split(',')
    .map((s) => Buffer.from(s.trim()))
    .some((given) => given.length === expected.length && timingSafeEqual(given, expected));
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
