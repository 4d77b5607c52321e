import { describe, expect, it } from 'vitest';
import type { Pdu } from './pdu';
import { PendingRequests } from './requests';

const response = (sequence: number): Pdu => ({ command: 'enquire_link_resp', status: 0, sequence });

describe('PendingRequests', () => {
  it('hands a response to the request of its sequence, once', async () => {
    const requests = new PendingRequests(5_000);
    let sent = 0;
    const answer = requests.send(7, 'enquire_link', () => sent++);
    expect(sent).toBe(1);
    expect(requests.answer(response(8))).toBe(false);
    expect(requests.answer(response(7))).toBe(true);
    expect(requests.answer(response(7))).toBe(false);
    expect(await answer).toEqual(response(7));
  });

  it('fails a request unanswered within the timeout, one whose sending throws, and all at a close', async () => {
    const requests = new PendingRequests(20);
    await expect(requests.send(1, 'enquire_link', () => {})).rejects.toThrow(
      'no answer to enquire_link within 20 ms',
    );
    await expect(
      requests.send(2, 'bind_transceiver', () => {
        throw new RangeError('password is longer than 8 characters');
      }),
    ).rejects.toThrow('password is longer');
    const open = [requests.send(3, 'unbind', () => {}), requests.send(4, 'enquire_link', () => {})];
    requests.failAll('connection closed');
    for (const p of open) await expect(p).rejects.toThrow('connection closed');
    expect(requests.answer(response(3))).toBe(false);
  });
});
