import { webhookUrlProblem } from '../domain/webhook-url';

export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
}

/** What came back (the body only up to a small cap), or why the target was not called at all. */
export type WebhookResponse = { status: number; body: string; location?: string } | { refused: string };

/**
 * Makes one webhook POST. It must not follow redirects, must give up after `timeoutMs`, and should
 * refuse targets it must not reach (the Node runtime's checks every address it connects to). Network
 * failures are thrown.
 */
export type WebhookTransport = (request: WebhookRequest) => Promise<WebhookResponse>;

/** How much of a receiver's answer is read and kept. */
export const RESPONSE_BODY_CAP = 1024;

/** Reads at most `cap` bytes of a response body, then stops reading it. */
export async function readCapped(body: ReadableStream<Uint8Array> | null, cap = RESPONSE_BODY_CAP) {
  if (!body) return '';
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < cap) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.length;
  }
  return new TextDecoder().decode(all.subarray(0, cap));
}

/**
 * A transport on a `fetch` (Workers, or a host app's own): the scheme, credential and IP-literal checks,
 * no redirects followed, a timeout, the body read up to a cap. It cannot see which address a name
 * resolves to; on Workers the platform does not reach private networks. The Node runtime uses its own.
 */
export function fetchTransport(
  options: { allowPrivateNetworks: boolean; fetch?: typeof fetch } = { allowPrivateNetworks: false },
): WebhookTransport {
  const fetchFn = options.fetch ?? ((input, init) => fetch(input, init));
  return async ({ url, headers, body, timeoutMs }) => {
    const problem = webhookUrlProblem(url, options.allowPrivateNetworks);
    if (problem) return { refused: problem };
    const response = await fetchFn(url, {
      method: 'POST',
      headers,
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    const location = response.headers.get('location');
    return {
      status: response.status,
      body: await readCapped(response.body),
      ...(location === null ? {} : { location }),
    };
  };
}
