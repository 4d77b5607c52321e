import { invalidField } from '../errors';
import { forbiddenAddress, parseIpv4, parseIpv6 } from './ip-address';

/** Longest webhook URL accepted. */
export const MAX_WEBHOOK_URL_LENGTH = 2048;

/** Names that always mean this machine or a cloud's metadata service. */
const INTERNAL_NAMES = /^(localhost|metadata|metadata\.google\.internal|instance-data)$|\.localhost$/;

/**
 * Why a webhook may not go to `url`, or null. Always: http(s) only, no credentials in it, at most
 * 2,048 characters. Without `allowPrivateNetworks`, also no IP literal outside the public internet and no
 * name that means this machine; names are resolved (and every address checked again) when connecting.
 */
export function webhookUrlProblem(url: string, allowPrivateNetworks: boolean): string | null {
  if (url.length > MAX_WEBHOOK_URL_LENGTH)
    return `a webhook URL is at most ${MAX_WEBHOOK_URL_LENGTH} characters`;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'not a valid URL';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return 'only http and https URLs';
  if (parsed.username || parsed.password) return 'a webhook URL must not carry credentials';
  if (allowPrivateNetworks) return null;
  const host = parsed.hostname.replace(/\.$/, '').toLowerCase();
  if (INTERNAL_NAMES.test(host)) return `${host} is an internal name`;
  if (parseIpv4(host) !== null || parseIpv6(host) !== null) {
    const reason = forbiddenAddress(host);
    if (reason) return `${host} is ${reason}`;
  }
  return null;
}

/** Refuses, as VALIDATION_ERROR naming `field` and why, a webhook target the gateway will not call. */
export function checkWebhookUrl(url: string, allowPrivateNetworks: boolean, field = 'webhook_url') {
  const problem = webhookUrlProblem(url, allowPrivateNetworks);
  if (problem) throw invalidField(field, problem, `${field}: ${problem}`);
}
