import type { Clock } from '../clock';
import type { MifumoConfig } from '../config';
import { webhookUrlProblem } from '../domain/webhook-url';
import type { Logger } from '../logger';
import { retryDelay } from './backoff';
import type { Claimed, Outcome } from './claims';
import { type EventDetails, payloadOf } from './payloads';
import type { Sealer } from './sealer';
import type { WebhookSettings } from './settings';
import { signatureHeader } from './signature';
import type { WebhookResponse, WebhookTransport } from './transport';

/** An account's webhook URL and secrets, read once per delivery run. */
export type SecretsOf = (accountId: string) => ReturnType<WebhookSettings['forDelivery']>;

/** A receiver's answer as the delivery records it. */
function describe(response: Extract<WebhookResponse, { status: number }>): string {
  if (response.status >= 300 && response.status < 400)
    return `HTTP ${response.status}: redirect${response.location ? ` to ${response.location}` : ''} not followed`;
  const snippet = response.body.replace(/\s+/g, ' ').trim().slice(0, 200);
  return `HTTP ${response.status}${snippet ? `: ${snippet}` : ''}`;
}

/**
 * One attempt at a claimed event: its payload signed (and the send's key as Bearer, while it lives)
 * POSTed to its target. A 2xx delivers it; a 410 or a refused target gives it up at once; anything
 * else is retried with growing, jittered delays until the event's retry window closes.
 */
export function createAttempt(deps: {
  clock: Clock;
  config: MifumoConfig['webhooks'];
  sealer: Sealer;
  transport: WebhookTransport;
  log: Logger;
  random?: () => number;
}) {
  const { clock, config, sealer, transport, log } = deps;
  const random = deps.random ?? Math.random;

  /** Failed this time: again after the backoff, or given up when that would be past the event's window. */
  function retryOrGiveUp(e: Claimed, httpStatus: number | null, error: string): Outcome {
    const next = clock.now() + retryDelay(Number(e.attempts), config, random());
    if (next > Date.parse(e.expires_at))
      return { status: 'failed', httpStatus, error: `${error} (gave up after ${e.attempts} attempts)` };
    return { status: 'pending', httpStatus, error, next };
  }

  async function attempt(e: Claimed, extra: EventDetails, secretsOf: SecretsOf): Promise<Outcome> {
    const account = await secretsOf(e.account_id);
    const url = e.url ?? account.url;
    if (url === null)
      return {
        status: 'failed',
        httpStatus: null,
        error: 'No webhook URL: the send named none and the account has none',
      };
    const problem = webhookUrlProblem(url, config.allowPrivateNetworks);
    if (problem) return { status: 'failed', httpStatus: null, error: `Refused: ${problem}` };
    const body = JSON.stringify(payloadOf(e, extra));
    const timestamp = Math.floor(clock.now() / 1000);
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      'User-Agent': 'Mifumo-Webhooks/1',
      'X-Mifumo-Event-Id': e.id,
      'X-Mifumo-Timestamp': String(timestamp),
      'X-Mifumo-Signature': await signatureHeader(account.secrets, timestamp, body),
    };
    // A received message was sent by no key: its event carries the signature only.
    const keyLive =
      extra.kind === 'status' &&
      (extra.key_expires_at === null || Date.parse(extra.key_expires_at) > clock.now());
    if (keyLive && account.bearerAuth && extra.api_key_id !== null && extra.sealed_key !== null) {
      const key = await sealer.open(extra.sealed_key, extra.api_key_id);
      if (key === null)
        log.error(`the sealed API key ${extra.api_key_id} does not open with this server secret`);
      else headers.Authorization = `Bearer ${key}`;
    }
    let response: WebhookResponse;
    try {
      response = await transport({ url, headers, body, timeoutMs: config.timeoutMs });
    } catch (err) {
      const reason =
        err instanceof Error
          ? err.name === 'TimeoutError'
            ? `timed out after ${config.timeoutMs} ms`
            : err.message
          : String(err);
      return retryOrGiveUp(e, null, reason);
    }
    if ('refused' in response)
      return { status: 'failed', httpStatus: null, error: `Refused: ${response.refused}` };
    if (response.status >= 200 && response.status < 300)
      return { status: 'succeeded', httpStatus: response.status, error: null };
    if (response.status === 410)
      return {
        status: 'failed',
        httpStatus: 410,
        error: `${describe(response)} (the receiver asked to stop)`,
      };
    return retryOrGiveUp(e, response.status, describe(response));
  }

  return { attempt, retryOrGiveUp };
}
