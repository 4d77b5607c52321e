import { type LocalServer, type PeerFault, serveLocal } from './http-server';

export interface BeemServerOptions {
  apiKey?: string;
  secretKey?: string;
  /** Where delivery reports are POSTed (JSON), if anywhere. */
  callbackUrl?: string;
  /** The key the status goes under in callbacks: Beem's samples disagree. */
  statusKey?: 'Status' | 'status';
  /** The final status of each destination (digits, no +). */
  outcome?: (destAddr: string) => 'DELIVERED' | 'UNDELIVERED';
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/**
 * A stand-in for apisms.beem.africa as documented in ../shared/carriers/beem.md: POST /v1/send with
 * Basic auth and the JSON body of its samples, answered like the python client's README shows, then a
 * delivery callback per recipient. Faults can be queued for the next sends.
 */
export async function startBeemServer(options: BeemServerOptions = {}) {
  const credentials = `${options.apiKey ?? 'key'}:${options.secretKey ?? 'secret'}`;
  const auth = `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}`;
  const faults: PeerFault[] = [];
  const sends: Record<string, unknown>[] = [];
  const pendingCallbacks: Promise<unknown>[] = [];
  let requestId = 35_918_915;
  let release: (() => void) | null = null;

  const server: LocalServer = await serveLocal(async (request) => {
    const url = new URL(request.url);
    if (request.method !== 'POST' || url.pathname !== '/v1/send')
      return json({ code: 404, message: 'Not found' }, 404);
    const header = request.headers.get('authorization');
    if (!header) return json({ code: 120, message: 'Invalid api_key and/or secret_id' }, 401);
    if (header !== auth) return json({ code: 120, message: 'Invalid Authentication Parameters' }, 401);
    const body = (await request.json().catch(() => null)) as Record<string, unknown> | null;
    const recipients = body?.recipients as { recipient_id: unknown; dest_addr: unknown }[] | undefined;
    if (
      !body ||
      typeof body.source_addr !== 'string' ||
      typeof body.message !== 'string' ||
      ![0, 8, '0', '8'].includes(body.encoding as number) ||
      !Array.isArray(recipients) ||
      recipients.some((r) => typeof r.dest_addr !== 'string' || !/^\d{10,15}$/.test(r.dest_addr))
    )
      return json({ code: 104, message: 'Please provide all required parameters' }, 400);
    sends.push(body);
    const fault = faults.shift();
    if (fault === 'hold') await new Promise<void>((resolve) => (release = resolve));
    if (fault === 'retryable') return json({ code: 103, message: 'Network timeout' }, 500);
    if (fault === 'permanent') return json({ code: 111, message: 'Invalid Sender Id' }, 400);
    const id = requestId++;
    if (options.callbackUrl)
      for (const r of recipients) {
        const report = {
          request_id: String(id),
          recipient_id: String(r.recipient_id),
          dest_addr: r.dest_addr,
          [options.statusKey ?? 'Status']: options.outcome?.(r.dest_addr as string) ?? 'DELIVERED',
        };
        pendingCallbacks.push(
          fetch(options.callbackUrl, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(report),
          }).catch(() => {}),
        );
      }
    return json({
      successful: true,
      request_id: id,
      code: 100,
      message: 'Message Submitted Successfully',
      valid: recipients.length,
      invalid: 0,
      duplicates: 0,
    });
  });

  return {
    url: server.url,
    sends,
    fault: (f: PeerFault) => faults.push(f),
    /** Sends later callbacks to `url` (a gateway started after this server). */
    callbackTo(url: string) {
      options.callbackUrl = url;
    },
    /** A Two-Way SMS message (MO) POSTed as JSON to the callback URL; resolves with the gateway's answer. */
    inbound(body: Record<string, unknown>) {
      const sent = fetch(options.callbackUrl!, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      pendingCallbacks.push(sent.then(() => {}).catch(() => {}));
      return sent;
    },
    async close() {
      release?.();
      await Promise.all(pendingCallbacks);
      await server.close();
    },
  };
}
