import { buildCarriers, type CarrierConfigError } from '@mifumo/adapters';
import { outboundMessage, runCarrierConformance } from '@mifumo/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { callbackReceiver, serveLocal } from '../testing/http-server';
import { createGenericHttpCarrier, type GenericHttpOptions, genericHttpCarrier } from './generic';

/** An API of the kind the generic adapter is for: JSON in, `{ data: { ref } }` or `{ error: { code, text } }` out. */
async function startJsonApi(callbackUrl?: string) {
  const faults: string[] = [];
  const bodies: unknown[] = [];
  let n = 0;
  let release = () => {};
  const pending: Promise<unknown>[] = [];
  const server = await serveLocal(async (request) => {
    if (request.headers.get('x-api-key') !== 'k')
      return Response.json({ error: { code: 'AUTH', text: 'who?' } }, { status: 401 });
    const body = (await request.json()) as { msisdn: string };
    bodies.push(body);
    const fault = faults.shift();
    if (fault === 'hold') await new Promise<void>((r) => (release = r));
    if (fault === 'retryable')
      return Response.json({ error: { code: 'BUSY', text: 'try later' } }, { status: 503 });
    if (fault === 'permanent')
      return Response.json({ error: { code: 'BAD_NUMBER', text: 'no such number' } }, { status: 200 });
    const ref = `R${++n}`;
    if (callbackUrl)
      pending.push(
        fetch(callbackUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ msg: { ref }, state: 'DLVRD' }),
        }).catch(() => {}),
      );
    return Response.json({ data: { ref } }, { status: 202 });
  });
  return {
    ...server,
    faults,
    bodies,
    close: async () => {
      release();
      await Promise.all(pending);
      await server.close();
    },
  };
}

const options = (url: string): GenericHttpOptions => ({
  id: 'gen',
  type: 'http',
  url,
  headers: { 'x-api-key': 'k' },
  body: {
    msisdn: '{{toDigits}}',
    sender: '{{from}}',
    text: '{{text}}',
    ref: '{{id}}',
    parts: '{{parts}}',
    note: 'to {{to}}',
  },
  idPath: 'data.ref',
  errorCodePath: 'error.code',
  errorMessagePath: 'error.text',
  permanentCodes: ['BAD_NUMBER'],
  callback: { idPath: 'msg.ref', statusPath: 'state', delivered: ['DLVRD'], failed: ['UNDLV', 'REJ'] },
  ucs2: true,
  timeoutMs: 2000,
});

runCarrierConformance('generic http', async () => {
  const receiver = await callbackReceiver();
  const api = await startJsonApi(receiver.url);
  return {
    adapter: createGenericHttpCarrier(options(api.url)),
    refuseNext: (kind) => api.faults.push(kind),
    holdNext: () => api.faults.push('hold'),
    takeCallbacks: receiver.take,
    close: async () => {
      await api.close();
      await receiver.close();
    },
  };
});

const never = new AbortController().signal;
const outbound = (text: string) => outboundMessage(text, { id: 'rcp_1', from: 'SHOP' });

describe('generic HTTP adapter', () => {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });

  it('fills the body template, keeping a lone placeholder’s type, and reads the id where configured', async () => {
    const api = await startJsonApi();
    closers.push(api.close);
    expect(await createGenericHttpCarrier(options(api.url)).submit(outbound('Habari'), never)).toEqual({
      carrierMessageIds: ['R1'],
    });
    expect(api.bodies).toEqual([
      {
        msisdn: '255754000111',
        sender: 'SHOP',
        text: 'Habari',
        ref: 'rcp_1',
        parts: 1,
        note: 'to +255754000111',
      },
    ]);
  });

  it('a configured permanent code fails the message; an answer without an id is retryable', async () => {
    const server = await serveLocal(async (r) =>
      Response.json(new URL(r.url).pathname === '/bad' ? { error: { code: 'BAD_NUMBER' } } : { ok: true }),
    );
    closers.push(server.close);
    const bad = createGenericHttpCarrier(options(`${server.url}/bad`));
    await expect(bad.submit(outbound('x'), never)).rejects.toMatchObject({
      retryable: false,
      carrierCode: 'BAD_NUMBER',
    });
    const odd = createGenericHttpCarrier(options(`${server.url}/odd`));
    await expect(odd.submit(outbound('x'), never)).rejects.toMatchObject({
      retryable: true,
      carrierCode: 'NO_ID',
    });
  });

  it('a submit its caller gives up on in time is a TIMEOUT naming that deadline, not the adapter’s own', async () => {
    const api = await startJsonApi();
    closers.push(api.close);
    api.faults.push('hold', 'hold');
    const carrier = createGenericHttpCarrier({ ...options(api.url), timeoutMs: 60_000 });
    await expect(carrier.submit(outbound('x'), AbortSignal.timeout(50))).rejects.toMatchObject({
      retryable: true,
      carrierCode: 'TIMEOUT',
      message: 'no answer before the dispatcher’s deadline for the submit',
    });
    const own = createGenericHttpCarrier({ ...options(api.url), timeoutMs: 50 });
    await expect(own.submit(outbound('x'), never)).rejects.toMatchObject({
      carrierCode: 'TIMEOUT',
      message: 'no answer within 50 ms',
    });
  });

  it('reads numeric ids above 2^53 from callbacks digit for digit', async () => {
    const gen = createGenericHttpCarrier(options('http://127.0.0.1:9/'));
    const body = '{"msg":{"ref":12345678901234567890},"state":"DLVRD"}';
    const request = new Request('http://x/', {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json' },
    });
    expect((await gen.handleCallback!(request)).reports).toMatchObject([
      { carrierMessageId: '12345678901234567890', status: 'delivered' },
    ]);
  });

  it('a callback with a status outside both lists is not final', async () => {
    const gen = createGenericHttpCarrier(options('http://127.0.0.1:9/'));
    const post = (body: unknown) =>
      gen.handleCallback!(
        new Request('http://x/', {
          method: 'POST',
          body: JSON.stringify(body),
          headers: { 'content-type': 'application/json' },
        }),
      );
    expect(await post({ msg: { ref: 'R1' }, state: 'ENROUTE' })).toEqual({ reports: [], inbound: [] });
    expect((await post({ msg: { ref: 'R1' }, state: 'REJ' })).reports).toMatchObject([
      { carrierMessageId: 'R1', status: 'failed', errorCode: 'REJ' },
    ]);
  });

  it('configuration names unknown placeholders and bad paths', () => {
    try {
      buildCarriers(
        [{ ...options('https://api.example/sms'), body: { to: '{{phone}}' }, idPath: 'data..id' } as never],
        [genericHttpCarrier],
      );
      throw new Error('built');
    } catch (e) {
      const text = (e as CarrierConfigError).problems.join('\n');
      expect(text).toContain('carriers.0.body: unknown placeholder {{phone}}');
      expect(text).toContain('carriers.0.idPath');
    }
  });

  it('without a callback section the carrier declares no reports and takes no callbacks', () => {
    const { callback: _, ...rest } = options('https://api.example/sms');
    const gen = createGenericHttpCarrier(rest as GenericHttpOptions);
    expect(gen.capabilities?.reports).toBe('none');
    expect(gen.handleCallback).toBeUndefined();
  });
});
