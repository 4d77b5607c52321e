import { commandLineOf, GatewayError, type Outcome, type Parsed, UsageError } from '@mifumo/core';

/** A gateway that cannot be reached, or that answered something other than a Mifumo envelope. */
export class RemoteError extends Error {
  override name = 'RemoteError';
}

/**
 * Where a gateway takes operator commands: `<url>/operator/commands/`, the URL being the integration
 * API's (a bare origin stands for its default mount, `/api/integration`).
 */
export function commandsUrl(given: string): string {
  let url: URL;
  try {
    url = new URL(given);
  } catch {
    throw new UsageError(
      `--remote takes the gateway's URL (http:// or https://), not ${JSON.stringify(given)}`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError(`--remote takes an http:// or https:// URL, not ${url.protocol}`);
  const base = url.pathname === '/' ? '/api/integration' : url.pathname.replace(/\/+$/, '');
  return `${url.origin}${base}/operator/commands/`;
}

/**
 * Runs a command on the gateway at `url` with the operator key: what the command returns, a UsageError
 * for a command line it refuses, a GatewayError for what it refused to do.
 */
export async function runRemote(
  url: string,
  parsed: Parsed,
  operatorKey: string | undefined,
  fetchImpl: typeof fetch = fetch,
): Promise<Outcome> {
  if (!operatorKey) throw new UsageError('--remote needs the gateway’s operator key in MIFUMO_OPERATOR_KEY');
  const endpoint = commandsUrl(url);
  const { remote: _, json: __, help: ___, ...values } = parsed.values;
  let response: Response;
  try {
    response = await fetchImpl(endpoint, {
      method: 'POST',
      headers: { authorization: `Bearer ${operatorKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ argv: commandLineOf({ positionals: parsed.positionals, values }) }),
    });
  } catch (e) {
    const cause = (e as { cause?: { message?: string } }).cause?.message ?? (e as Error).message;
    throw new RemoteError(`cannot reach ${endpoint}: ${cause}`);
  }
  const body = (await response.json().catch(() => null)) as {
    success?: unknown;
    message?: string;
    error_code?: string;
    details?: unknown;
    data?: { result: unknown; lines: string[] };
  } | null;
  if (typeof body?.success !== 'boolean')
    throw new RemoteError(`${endpoint} answered ${response.status} without a Mifumo envelope`);
  if (body.success && body.data) return { data: body.data.result, lines: body.data.lines };
  const details = body.details as [{ field?: string }] | null;
  if (body.error_code === 'VALIDATION_ERROR' && details?.[0]?.field === 'argv')
    throw new UsageError(body.message ?? 'refused');
  throw new GatewayError(
    body.error_code as ConstructorParameters<typeof GatewayError>[0],
    body.message ?? `answered ${response.status}`,
    details as never,
  );
}
