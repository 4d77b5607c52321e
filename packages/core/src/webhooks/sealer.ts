/** What the server secret must be: 32 random bytes, as 64 hex digits or base64 (the Node runtime makes one). */
export const SERVER_SECRET_FORM = '32 bytes as 64 hex digits or as base64 (e.g. `openssl rand -base64 32`)';

function secretBytes(secret: string): Uint8Array<ArrayBuffer> {
  const text = secret.trim();
  if (/^[0-9a-fA-F]{64}$/.test(text))
    return Uint8Array.from(text.match(/../g)!.map((h) => Number.parseInt(h, 16)));
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(text)) {
    const bytes = fromBase64(text);
    if (bytes.length === 32) return bytes;
  }
  throw new RangeError(`The server secret must be ${SERVER_SECRET_FORM}`);
}

/** Whether `text` can be the server secret. */
export function isServerSecret(text: string): boolean {
  try {
    secretBytes(text);
    return true;
  } catch {
    return false;
  }
}

export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

export function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

const VERSION = 'v1';

/** Opened values kept by a sealer. */
const MAX_OPENED = 1000;

/**
 * Encrypts what must be kept but never stored in clear (an API key for webhooks' Bearer header, the
 * signing secrets) with AES-256-GCM through Web Crypto: `v1.<iv>.<ciphertext>` in base64. `context`
 * (e.g. the key's id) is bound as additional data, so a sealed value copied to another row does not open.
 */
export function createSealer(secret: string) {
  const key = crypto.subtle.importKey('raw', secretBytes(secret), 'AES-GCM', false, ['encrypt', 'decrypt']);
  const encoder = new TextEncoder();
  const opened = new Map<string, Promise<string | null>>();
  return {
    async seal(plain: string, context: string): Promise<string> {
      const iv = crypto.getRandomValues(new Uint8Array(12));
      const cipher = await crypto.subtle.encrypt(
        { name: 'AES-GCM', iv, additionalData: encoder.encode(context) },
        await key,
        encoder.encode(plain),
      );
      return `${VERSION}.${toBase64(iv)}.${toBase64(new Uint8Array(cipher))}`;
    },

    /**
     * The plain text, or null when it was not sealed by this secret for this context. Each value is
     * opened once (the last `MAX_OPENED` are kept): webhooks open their key and secrets for every event.
     */
    open(sealed: string, context: string): Promise<string | null> {
      const id = `${context}\n${sealed}`;
      let plain = opened.get(id);
      if (!plain) {
        if (opened.size >= MAX_OPENED) opened.delete(opened.keys().next().value!);
        plain = decrypt(sealed, context);
        opened.set(id, plain);
      }
      return plain;
    },
  };

  async function decrypt(sealed: string, context: string): Promise<string | null> {
    const [version, iv, cipher] = sealed.split('.');
    if (version !== VERSION || !iv || !cipher) return null;
    try {
      const plain = await crypto.subtle.decrypt(
        { name: 'AES-GCM', iv: fromBase64(iv), additionalData: encoder.encode(context) },
        await key,
        fromBase64(cipher),
      );
      return new TextDecoder().decode(plain);
    } catch {
      return null;
    }
  }
}

export type Sealer = ReturnType<typeof createSealer>;
