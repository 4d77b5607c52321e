import { outboundMessage, runCarrierConformance } from '@mifumo/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import {
  aggregatorUnderTest,
  callbackReceiver,
  refusal,
  serveLocal,
  startAfricasTalkingServer,
  until,
} from '../testing';
import { createAfricasTalkingCarrier } from './africastalking';

runCarrierConformance('africastalking', () =>
  aggregatorUnderTest(
    (callbackUrl) => startAfricasTalkingServer({ callbackUrl }),
    (peer) =>
      createAfricasTalkingCarrier({ id: 'at', username: 'mifumo', apiKey: 'at-key', baseUrl: peer.url }),
  ),
);

const never = new AbortController().signal;
const outbound = (text: string, to = '+255754000111') => outboundMessage(text, { to });

describe("Africa's Talking adapter", () => {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });

  it('posts the documented form with the apiKey header and takes the ATXid from a 201', async () => {
    const peer = await startAfricasTalkingServer();
    closers.push(peer.close);
    const at = createAfricasTalkingCarrier({
      id: 'at',
      username: 'mifumo',
      apiKey: 'at-key',
      baseUrl: peer.url,
    });
    const { carrierMessageIds } = await at.submit(outbound('Habari'), never);
    expect(carrierMessageIds[0]).toMatch(/^ATXid_[0-9a-f]{32}$/);
    expect(Object.fromEntries(peer.sends[0]!)).toEqual({
      username: 'mifumo',
      to: '+255754000111',
      message: 'Habari',
      from: 'MIFUMO',
      bulkSMSMode: '1',
    });
  });

  it('a per-recipient rejection is permanent with its status code; a wrong key (401, plain text) retryable', async () => {
    const peer = await startAfricasTalkingServer();
    closers.push(peer.close);
    const at = createAfricasTalkingCarrier({
      id: 'at',
      username: 'mifumo',
      apiKey: 'at-key',
      baseUrl: peer.url,
    });
    expect(await refusal(at.submit(outbound('hi', '+2557'), never))).toMatchObject({
      retryable: false,
      carrierCode: '403',
    });
    const wrong = createAfricasTalkingCarrier({
      id: 'at',
      username: 'mifumo',
      apiKey: 'nope',
      baseUrl: peer.url,
    });
    expect(await refusal(wrong.submit(outbound('hi'), never))).toMatchObject({
      retryable: true,
      carrierCode: 'HTTP_401',
    });
  });

  it.each([
    [201, { SMSMessageData: { Message: 'InvalidSenderId', Recipients: [] } }, false, 'InvalidSenderId'],
    [
      201,
      {
        SMSMessageData: {
          Message: 'Sent to 0/1',
          Recipients: [{ statusCode: 405, status: 'InsufficientBalance', messageId: 'None' }],
        },
      },
      true,
      '405',
    ],
    [
      409,
      {
        SMSMessageData: {
          Message: 'Sent to 0/1',
          Recipients: [{ statusCode: 409, status: 'DoNotDisturbRejection', messageId: 'None' }],
        },
      },
      false,
      '409',
    ],
    [400, 'The request contains bad syntax or cannot be fulfilled', false, 'HTTP_400'],
    [503, 'unavailable', true, 'HTTP_503'],
  ])('HTTP %i %j → retryable %s, code %s', async (status, body, retryable, code) => {
    const server = await serveLocal(
      () => new Response(typeof body === 'string' ? body : JSON.stringify(body), { status }),
    );
    closers.push(server.close);
    const at = createAfricasTalkingCarrier({ id: 'at', username: 'u', apiKey: 'k', baseUrl: server.url });
    expect(await refusal(at.submit(outbound('hi'), never))).toMatchObject({ retryable, carrierCode: code });
  });

  it('reads delivery reports (final ones only) and incoming messages from the same callback URL', async () => {
    const receiver = await callbackReceiver();
    closers.push(receiver.close);
    const peer = await startAfricasTalkingServer({
      callbackUrl: receiver.url,
      outcome: () => ({ status: 'Failed', failureReason: 'UserInBlackList' }),
    });
    closers.push(peer.close);
    const at = createAfricasTalkingCarrier({
      id: 'at',
      username: 'mifumo',
      apiKey: 'at-key',
      baseUrl: peer.url,
    });
    const [id] = (await at.submit(outbound('hi'), never)).carrierMessageIds;
    peer.inbound({
      date: '2026-12-01 10:04:45',
      from: '+255754000111',
      id: 'mo-7',
      text: 'NDIYO',
      to: '15577',
      linkId: 'x',
    });
    const requests: Request[] = [];
    await until(() => {
      requests.push(...receiver.take());
      return requests.length === 3;
    });
    const contents = await Promise.all(requests.map((r) => at.handleCallback!(r)));
    expect(contents.flatMap((c) => c.reports)).toEqual([
      {
        carrierMessageId: id,
        status: 'failed',
        errorCode: 'UserInBlackList',
        errorMessage: "Africa's Talking reported Failed",
        optedOut: true,
      },
    ]);
    expect(contents.flatMap((c) => c.inbound)).toEqual([
      {
        carrierMessageId: 'mo-7',
        from: '+255754000111',
        to: '15577',
        text: 'NDIYO',
        at: Date.UTC(2026, 11, 1, 10, 4, 45),
      },
    ]);
  });

  it('a 406 UserInBlacklist answer (any case) is a permanent refusal saying the subscriber opted out; others do not say so', async () => {
    const peer = await startAfricasTalkingServer({ blacklisted: (phone) => phone === '+255754000199' });
    closers.push(peer.close);
    const at = createAfricasTalkingCarrier({
      id: 'at',
      username: 'mifumo',
      apiKey: 'at-key',
      baseUrl: peer.url,
    });
    expect(await refusal(at.submit(outbound('hi', '+255754000199'), never))).toMatchObject({
      retryable: false,
      carrierCode: '406',
      optedOut: true,
    });
    expect(await refusal(at.submit(outbound('hi', '+2557'), never))).toMatchObject({ optedOut: false });
    const shouting = await serveLocal(
      () =>
        new Response(
          JSON.stringify({
            SMSMessageData: {
              Recipients: [{ statusCode: 406, status: 'USERINBLACKLIST', messageId: 'None' }],
            },
          }),
          { status: 201 },
        ),
    );
    closers.push(shouting.close);
    const other = createAfricasTalkingCarrier({
      id: 'at',
      username: 'u',
      apiKey: 'k',
      baseUrl: shouting.url,
    });
    expect(await refusal(other.submit(outbound('hi'), never))).toMatchObject({ optedOut: true });
  });

  it('the sandbox username goes to the sandbox host', async () => {
    const urls: string[] = [];
    const at = createAfricasTalkingCarrier({
      id: 'at',
      username: 'sandbox',
      apiKey: 'k',
      fetch: async (url) => {
        urls.push(String(url));
        return new Response('no', { status: 400 });
      },
    });
    await refusal(at.submit(outbound('hi'), never));
    expect(urls).toEqual(['https://api.sandbox.africastalking.com/version1/messaging']);
  });
});
