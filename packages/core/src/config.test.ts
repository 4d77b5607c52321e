import { describe, expect, it } from 'vitest';
import { configSchema, describeConfigIssues } from './config';

it('fills every default from an empty object', () => {
  const cfg = configSchema.parse({});
  expect(cfg.pricing).toEqual({ currency: 'TZS', perSegment: 10, operators: {}, prefixes: {} });
  expect(cfg.carriers).toEqual([{ id: 'dev', type: 'fake' }]);
  expect(cfg.limits.smsPerMinute).toBe(100);
  expect(cfg.messages.maxLength).toBe(160);
});

it('names the bad field', () => {
  const r = configSchema.safeParse({
    pricing: { perSegment: 'ten' },
    routes: [{ carriers: ['nope'] }],
    defaultRegion: 'XX',
  });
  expect(r.success).toBe(false);
  const issues = describeConfigIssues(r.error!).join('\n');
  expect(issues).toContain('pricing.perSegment');
  expect(issues).toContain('defaultRegion');
});

it('checks that routes name configured carriers', () => {
  const r = configSchema.safeParse({ carriers: [{ id: 'a', type: 'fake' }], routes: [{ carriers: ['b'] }] });
  expect(describeConfigIssues(r.error!)).toEqual(['routes.0.carriers.0: no carrier with id b']);
});

it('takes priced prefixes in E.164 form only', () => {
  expect(configSchema.parse({ pricing: { prefixes: { '+254': 25 } } }).pricing.prefixes).toEqual({
    '+254': 25,
  });
  const r = configSchema.safeParse({ pricing: { prefixes: { '254': 25, '+1': 'x' } } });
  expect(describeConfigIssues(r.error!).join('\n')).toMatch(/pricing\.prefixes[\s\S]*pricing\.prefixes\.\+1/);
});

it('bounds prices so every cost is stored exactly', () => {
  const r = configSchema.safeParse({ pricing: { perSegment: 2_000_000, operators: { vodacom: 1e20 } } });
  expect(describeConfigIssues(r.error!).map((i) => i.split(':')[0])).toEqual([
    'pricing.perSegment',
    'pricing.operators.vodacom',
  ]);
});

it('keeps one webhook receiver from taking every delivery worker', () => {
  expect(configSchema.parse({}).webhooks).toMatchObject({ batchSize: 50, maxInFlightPerHost: 8 });
  const r = configSchema.safeParse({ webhooks: { batchSize: 8 } });
  expect(describeConfigIssues(r.error!)).toEqual([
    'webhooks.maxInFlightPerHost: must be less than webhooks.batchSize, or one slow receiver could hold every delivery worker',
  ]);
});

describe('compliance', () => {
  const issues = (compliance: unknown) => {
    const r = configSchema.safeParse({ compliance });
    return r.success ? [] : describeConfigIssues(r.error);
  };

  it('defaults to quiet hours 20:00–08:00 in Dar es Salaam, the Swahili footer and both keyword languages', () => {
    const { compliance } = configSchema.parse({});
    expect(compliance.quietHours).toEqual({ start: '20:00', end: '08:00', timeZone: 'Africa/Dar_es_Salaam' });
    expect(compliance.optOutFooter).toBe('Kusitisha tuma {keyword} ACHA kwenda {number}');
    expect(compliance.optOutKeywords).toContain('ACHA');
    expect(compliance.optOutKeywords).toContain('STOP');
    expect(compliance.optInKeywords).toEqual(['START', 'ANZA', 'RUDI']);
    expect(compliance.helpKeywords).toEqual(['HELP', 'MSAADA']);
    expect(compliance.optOutReply).toContain('{sender}');
  });

  it('takes null for no quiet hours, and a zone in any case as its canonical name', () => {
    expect(configSchema.parse({ compliance: { quietHours: null } }).compliance.quietHours).toBeNull();
    const q = { start: '21:30', end: '07:00', timeZone: 'europe/london' };
    expect(configSchema.parse({ compliance: { quietHours: q } }).compliance.quietHours).toEqual({
      ...q,
      timeZone: 'Europe/London',
    });
  });

  it('names bad times, zones, footers, replies and keywords', () => {
    expect(issues({ quietHours: { start: '8pm', end: '24:00', timeZone: 'Mars/Base' } })).toEqual([
      'compliance.quietHours.start: a 24-hour time HH:MM, such as 20:00',
      'compliance.quietHours.end: a 24-hour time HH:MM, such as 20:00',
      'compliance.quietHours.timeZone: an IANA time zone, such as Africa/Dar_es_Salaam',
    ]);
    expect(issues({ optOutFooter: 'Tuma ACHA' })).toEqual([
      'compliance.optOutFooter: must contain {number}, where to send the opt-out keyword',
    ]);
    expect(issues({ helpReply: 'Help: {number}' })).toEqual([
      'compliance.helpReply: has an unknown placeholder {number}; it may use {sender}',
    ]);
    expect(issues({ optInKeywords: [] })[0]).toMatch(/^compliance\.optInKeywords:/);
    expect(issues({ helpKeywords: ['help'] })).toEqual([
      'compliance.helpKeywords.0: one upper-case word (letters and digits), such as STOP',
    ]);
    expect(issues({ helpKeywords: ['HELP ME'] })).toHaveLength(1);
  });

  it('refuses a word in two keyword lists', () => {
    expect(issues({ optInKeywords: ['START', 'ACHA'] })).toEqual([
      'compliance.optInKeywords.1: ACHA is already in compliance.optOutKeywords',
    ]);
  });
});
