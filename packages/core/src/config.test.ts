import { expect, it } from 'vitest';
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
