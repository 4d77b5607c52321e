import { describe, expect, it } from 'vitest';
import { canonicalTimeZone, localTimeWriter, offsetSpans, startOfLocalDay } from './time-zone';

const at = (text: string) => Date.parse(text);
const HOUR = 3_600_000;

describe('time zones', () => {
  it('knows IANA zones by any case, and nothing else', () => {
    expect(canonicalTimeZone('africa/dar_es_salaam')).toBe('Africa/Dar_es_Salaam');
    expect(canonicalTimeZone('Europe/London')).toBe('Europe/London');
    expect(canonicalTimeZone('Mars/Olympus_Mons')).toBeNull();
    expect(canonicalTimeZone('')).toBeNull();
    expect(canonicalTimeZone(' UTC')).toBeNull();
    expect(canonicalTimeZone('+03:00')).toBeNull();
  });

  it('finds each change of offset in a range, to the second', () => {
    const year = [at('2026-01-01T00:00:00Z'), at('2027-01-01T00:00:00Z')] as const;
    expect(offsetSpans('Africa/Dar_es_Salaam', ...year)).toEqual([
      { start: year[0], end: year[1], offsetMs: 3 * HOUR },
    ]);
    expect(offsetSpans('Europe/London', ...year)).toEqual([
      { start: year[0], end: at('2026-03-29T01:00:00Z'), offsetMs: 0 },
      { start: at('2026-03-29T01:00:00Z'), end: at('2026-10-25T01:00:00Z'), offsetMs: HOUR },
      { start: at('2026-10-25T01:00:00Z'), end: year[1], offsetMs: 0 },
    ]);
  });

  it.each([
    ['2026-03-01', 'Africa/Dar_es_Salaam', '2026-02-28T21:00:00.000Z'],
    ['2026-03-01', 'UTC', '2026-03-01T00:00:00.000Z'],
    ['2026-03-08', 'America/New_York', '2026-03-08T05:00:00.000Z'],
    ['2026-03-09', 'America/New_York', '2026-03-09T04:00:00.000Z'], // the day after clocks went forward
    ['2026-03-01', 'Asia/Kathmandu', '2026-02-28T18:15:00.000Z'],
    ['2026-03-01', 'Pacific/Kiritimati', '2026-02-28T10:00:00.000Z'],
    ['2026-09-06', 'America/Santiago', '2026-09-06T04:00:00.000Z'], // midnight skipped: the day starts at 01:00
  ])('%s starts in %s at %s', (date, zone, instant) => {
    expect(new Date(startOfLocalDay(date, zone)).toISOString()).toBe(instant);
  });

  it('writes instants in local time with the offset then', () => {
    const dar = localTimeWriter('Africa/Dar_es_Salaam');
    expect(dar(at('2026-03-01T07:05:00.120Z'))).toBe('2026-03-01T10:05:00.120+03:00');
    expect(dar(at('2026-02-28T21:00:00Z'))).toBe('2026-03-01T00:00:00.000+03:00');
    expect(localTimeWriter('UTC')(at('2026-03-01T07:05:00Z'))).toBe('2026-03-01T07:05:00.000+00:00');
    expect(localTimeWriter('America/New_York')(at('2026-03-01T03:00:00Z'))).toBe(
      '2026-02-28T22:00:00.000-05:00',
    );
    expect(localTimeWriter('Asia/Kathmandu')(at('2026-03-01T00:00:00Z'))).toBe(
      '2026-03-01T05:45:00.000+05:45',
    );
    const london = localTimeWriter('Europe/London');
    expect(london(at('2026-03-29T00:59:59.999Z'))).toBe('2026-03-29T00:59:59.999+00:00');
    expect(london(at('2026-03-29T01:00:00Z'))).toBe('2026-03-29T02:00:00.000+01:00');
    expect(localTimeWriter('Africa/Monrovia')(at('1971-06-01T12:00:00Z'))).toBe(
      '1971-06-01T11:15:30.000-00:44:30',
    );
  });
});
