import { type CallbackContent, CarrierError, type DeliveryReport } from '@mifumo/core';
import { asText } from './json-path';
import { parseJsonLossless } from './lossless-json';

export type Fetch = (input: Request | string | URL, init?: RequestInit) => Promise<Response>;

export interface CarrierResponse {
  status: number;
  headers: Headers;
  text: string;
}

/** Why a call that got no answer ended, naming the deadline that passed (the caller's is its own). */
function unanswered(cause: unknown, own: AbortSignal, caller: AbortSignal, timeoutMs: number) {
  if (own.aborted) return { message: `no answer within ${timeoutMs} ms`, carrierCode: 'TIMEOUT' };
  if (caller.aborted && (caller.reason as Error | undefined)?.name === 'TimeoutError')
    return { message: 'no answer before the dispatcher’s deadline for the submit', carrierCode: 'TIMEOUT' };
  return { message: `request failed: ${(cause as Error)?.message ?? cause}`, carrierCode: 'NETWORK' };
}

/**
 * HTTP calls to one aggregator. Each is given up after `timeoutMs`, when its own signal aborts, or when
 * the adapter stops. A call that never got an answer (network error, timeout, abort) is a retryable
 * CarrierError: the aggregator may or may not have taken the message, as with any HTTP API without
 * idempotency keys.
 */
export function carrierClient(fetchFn: Fetch, timeoutMs: number) {
  // Each call's own controller, made where the call is: on Workers a signal made while serving one
  // request cannot be used by a call made while serving another.
  const inFlight = new Set<AbortController>();
  return {
    async call(url: string, init: RequestInit, signal: AbortSignal): Promise<CarrierResponse> {
      const stopping = new AbortController();
      inFlight.add(stopping);
      const own = AbortSignal.timeout(timeoutMs);
      try {
        const res = await fetchFn(url, { ...init, signal: AbortSignal.any([signal, stopping.signal, own]) });
        return { status: res.status, headers: res.headers, text: await res.text() };
      } catch (cause) {
        const { message, carrierCode } = unanswered(cause, own, signal, timeoutMs);
        throw new CarrierError(message, { retryable: true, carrierCode, cause });
      } finally {
        inFlight.delete(stopping);
      }
    },
    /** Aborts the calls in flight; later calls go out as usual (a restart). */
    stop() {
      for (const call of inFlight) call.abort();
    },
  };
}

/** Milliseconds a `Retry-After` header asks for (seconds or an HTTP date), if it says. */
export function retryAfterMs(headers: Headers, now = Date.now()): number | undefined {
  const value = headers.get('retry-after');
  if (value === null) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * The error for an HTTP status the aggregator did not accept with: 429 and 5xx are retryable (429 after
 * its Retry-After), 401/403 too (our credentials, not the message: the breaker then moves traffic
 * elsewhere); any other 4xx refuses this message for good.
 */
export function httpError(res: CarrierResponse, detail: string): CarrierError {
  const retryable = res.status === 429 || res.status >= 500 || res.status === 401 || res.status === 403;
  return new CarrierError(`HTTP ${res.status}: ${detail || res.text.slice(0, 200)}`, {
    retryable,
    carrierCode: `HTTP_${res.status}`,
    retryAfterMs: res.status === 429 ? retryAfterMs(res.headers) : undefined,
  });
}

/** The JSON in a body (numbers that would lose digits kept as text), or undefined when it is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return parseJsonLossless(text);
  } catch {
    return undefined;
  }
}

/** A callback body as a flat record of fields, from JSON or a form (aggregators use either). */
export async function callbackFields(request: Request): Promise<Record<string, unknown>> {
  const text = await request.text();
  const type = request.headers.get('content-type') ?? '';
  if (type.includes('application/x-www-form-urlencoded'))
    return Object.fromEntries(new URLSearchParams(text));
  const json = parseJson(text);
  if (json !== null && typeof json === 'object' && !Array.isArray(json))
    return json as Record<string, unknown>;
  if (!type.includes('json') && text.includes('=')) return Object.fromEntries(new URLSearchParams(text));
  throw new CarrierError('the body is neither a JSON object nor a form', { retryable: false });
}

/** The first of `names` that holds an id, code or status, as text (ids are never kept as JS numbers). */
export function textField(fields: Record<string, unknown>, ...names: string[]): string | undefined {
  for (const name of names) {
    const text = asText(fields[name]);
    if (text !== undefined) return text;
  }
  return undefined;
}

/**
 * What a delivery callback says: nothing while the message is on its way (`final` unset), else one
 * report, with its error code and message when it failed.
 */
export function receiptContent(
  carrierMessageId: string,
  final: DeliveryReport['status'] | null | undefined,
  errorCode: string,
  errorMessage: string | undefined,
): CallbackContent {
  if (!final) return { reports: [], inbound: [] };
  const report: DeliveryReport = { carrierMessageId, status: final };
  if (final === 'failed') {
    report.errorCode = errorCode;
    if (errorMessage) report.errorMessage = errorMessage;
  }
  return { reports: [report], inbound: [] };
}
