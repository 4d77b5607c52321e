import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import {
  forbiddenAddress,
  RESPONSE_BODY_CAP,
  type WebhookResponse,
  type WebhookTransport,
  webhookUrlProblem,
} from '@mifumo/core';

/** The error a refused address is carried by, from the lookup to the request's end. */
class Refused extends Error {}

/**
 * A lookup that resolves every address of a name and refuses the name if any of them is internal
 * (loopback, private, link-local, CGNAT, multicast, IPv4-mapped, metadata): the socket then connects
 * to exactly the addresses checked here, so a DNS answer that changes between a check and the
 * connection (rebinding) cannot slip through.
 */
export function guardedLookup(resolveName: LookupFunction = dnsLookup as LookupFunction): LookupFunction {
  return (hostname, options, callback) => {
    resolveName(hostname, { ...options, all: true }, (error, result) => {
      if (error) return callback(error, '', 4);
      const addresses = result as unknown as LookupAddress[];
      for (const a of addresses) {
        const reason = forbiddenAddress(a.address);
        if (reason) return callback(new Refused(`${hostname} resolves to ${a.address}, ${reason}`), '', 4);
      }
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      const [first] = addresses;
      if (!first) return callback(new Error(`${hostname} has no address`), '', 4);
      callback(null, first.address, first.family);
    });
  };
}

/** Reads at most `cap` bytes of the answer, then drops the connection. */
function readAnswer(response: IncomingMessage, cap: number): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => resolve(Buffer.concat(chunks).subarray(0, cap).toString('utf8'));
    response.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= cap) {
        response.destroy();
        done();
      }
    });
    response.on('end', done);
    response.on('error', done);
    response.on('close', done);
  });
}

/**
 * Webhooks over Node's own HTTP client: never follows redirects, gives up after the timeout, reads at
 * most a small part of the answer, and (unless `allowPrivateNetworks`) checks every address it is
 * about to connect to, as well as the address it did connect to. Connections are kept for the next
 * webhook to the same receiver (a kept one was checked when it connected; idle ones do not keep the
 * process alive).
 */
export function nodeWebhookTransport(options: {
  allowPrivateNetworks: boolean;
  /** Name resolution (tests resolve names of their own); Node's `dns.lookup` by default. */
  lookup?: LookupFunction;
}): WebhookTransport {
  const lookup = options.allowPrivateNetworks ? undefined : guardedLookup(options.lookup);
  const agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };
  return ({ url, headers, body, timeoutMs }) =>
    new Promise<WebhookResponse>((resolve, reject) => {
      const problem = webhookUrlProblem(url, options.allowPrivateNetworks);
      if (problem) return resolve({ refused: problem });
      const target = new URL(url);
      const secure = target.protocol === 'https:';
      const request = (secure ? httpsRequest : httpRequest)(target, {
        method: 'POST',
        headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) },
        agent: secure ? agents.https : agents.http,
        ...(lookup ? { lookup } : {}),
      });
      const timer = setTimeout(() => {
        const e = new Error(`timed out after ${timeoutMs} ms`);
        e.name = 'TimeoutError';
        request.destroy(e);
      }, timeoutMs);
      request.on('socket', (socket) => {
        if (!socket.connecting) return; // kept from an earlier webhook, checked when it connected
        socket.once('connect', () => {
          const reason = lookup && socket.remoteAddress ? forbiddenAddress(socket.remoteAddress) : null;
          if (reason) request.destroy(new Refused(`connected to ${socket.remoteAddress}, ${reason}`));
        });
      });
      request.on('response', (response) => {
        readAnswer(response, RESPONSE_BODY_CAP).then((text) => {
          clearTimeout(timer);
          const location = response.headers.location;
          resolve({ status: response.statusCode ?? 0, body: text, ...(location ? { location } : {}) });
        });
      });
      request.on('error', (e) => {
        clearTimeout(timer);
        if (e instanceof Refused) resolve({ refused: e.message });
        else reject(e);
      });
      request.end(body);
    });
}
