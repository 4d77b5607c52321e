import { type LocalServer, type PeerFault, serveLocal } from './http-server';

export interface AfricasTalkingServerOptions {
  username?: string;
  apiKey?: string;
  /** Where delivery reports (and incoming messages) are POSTed as forms, if anywhere. */
  callbackUrl?: string;
  /** The final status of each number (+E.164). */
  outcome?: (phone: string) => { status: 'Success' | 'Failed' | 'Rejected'; failureReason?: string };
  /** Numbers (+E.164) whose subscriber blocks the sender: refused at once with 406 `UserInBlacklist`. */
  blacklisted?: (phone: string) => boolean;
}

const json = (body: unknown, status: number) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

const hex32 = () =>
  Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');

/**
 * A stand-in for api.africastalking.com/version1 as documented in ../shared/carriers/africastalking.md:
 * a form POST to /messaging with the apiKey header, answered 201 with SMSMessageData, then form-encoded
 * delivery reports (`Sent` first, then the final status) to the callback URL.
 */
export async function startAfricasTalkingServer(options: AfricasTalkingServerOptions = {}) {
  const faults: PeerFault[] = [];
  const sends: URLSearchParams[] = [];
  const pendingCallbacks: Promise<unknown>[] = [];
  let release: (() => void) | null = null;

  /** POSTs a callback; the answer (or the failure) resolves it, and `close` waits for it. */
  const post = (fields: Record<string, string>) => {
    const sent = fetch(options.callbackUrl!, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
    pendingCallbacks.push(sent.catch(() => {}));
    return sent;
  };

  const server: LocalServer = await serveLocal(async (request) => {
    if (request.method !== 'POST' || new URL(request.url).pathname !== '/version1/messaging')
      return new Response('The requested resource could not be found.', { status: 404 });
    const form = new URLSearchParams(await request.text());
    if (
      request.headers.get('apikey') !== (options.apiKey ?? 'at-key') ||
      form.get('username') !== (options.username ?? 'mifumo')
    )
      return new Response('The supplied authentication is invalid', {
        status: 401,
        headers: { 'content-type': 'text/plain' },
      });
    const message = form.get('message');
    const to =
      form
        .get('to')
        ?.split(',')
        .map((n) => n.trim()) ?? [];
    if (!message || to.length === 0)
      return new Response('The request contains bad syntax or cannot be fulfilled', { status: 400 });
    sends.push(form);
    const fault = faults.shift();
    if (fault === 'hold') await new Promise<void>((resolve) => (release = resolve));
    const recipients = to.map((number) => {
      if (!/^\+\d{9,15}$/.test(number) || fault === 'permanent')
        return { cost: '0', messageId: 'None', number, status: 'InvalidPhoneNumber', statusCode: 403 };
      if (options.blacklisted?.(number))
        return { cost: '0', messageId: 'None', number, status: 'UserInBlacklist', statusCode: 406 };
      if (fault === 'retryable')
        return { cost: '0', messageId: 'None', number, status: 'InternalServerError', statusCode: 500 };
      const messageId = `ATXid_${hex32()}`;
      if (options.callbackUrl) {
        const final = options.outcome?.(number) ?? { status: 'Success' };
        post({ id: messageId, status: 'Sent', phoneNumber: number, networkCode: '64004' });
        post({
          id: messageId,
          status: final.status,
          phoneNumber: number,
          networkCode: '64004',
          ...(final.failureReason ? { failureReason: final.failureReason } : {}),
          retryCount: '0',
        });
      }
      return { cost: 'TZS 22.0000', messageId, messageParts: 1, number, status: 'Success', statusCode: 101 };
    });
    const sent = recipients.filter((r) => r.statusCode === 101).length;
    return json(
      {
        SMSMessageData: {
          Message: `Sent to ${sent}/${to.length} Total Cost: ${sent ? `TZS ${22 * sent}.0000` : '0'}`,
          Recipients: recipients,
        },
      },
      201,
    );
  });

  return {
    url: `${server.url}/version1`,
    sends,
    fault: (f: PeerFault) => faults.push(f),
    /** Sends later callbacks to `url` (a gateway started after this server). */
    callbackTo(url: string) {
      options.callbackUrl = url;
    },
    /** An incoming message (MO) as Africa's Talking POSTs it; resolves with the gateway's answer. */
    inbound: (fields: Record<string, string>) => post(fields),
    async close() {
      release?.();
      await Promise.all(pendingCallbacks);
      await server.close();
    },
  };
}
