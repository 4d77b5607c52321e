import { describe, expect, it } from 'vitest';
import { webhookUrlProblem } from './webhook-url';

describe('webhookUrlProblem', () => {
  it('allows public http(s) URLs', () => {
    expect(webhookUrlProblem('https://hooks.example.co.tz/sms?x=1', false)).toBeNull();
    expect(webhookUrlProblem('http://41.59.1.1:8080/in', false)).toBeNull();
  });

  it.each([
    ['ftp://example.com/x', 'only http and https'],
    ['https://user:pw@example.com/', 'credentials'],
    ['https://user@example.com/', 'credentials'],
    ['not a url', 'not a valid URL'],
    [`https://example.com/${'a'.repeat(2048)}`, 'at most 2048'],
  ])('always refuses %s', (url, why) => {
    expect(webhookUrlProblem(url, true)).toContain(why);
    expect(webhookUrlProblem(url, false)).toContain(why);
  });

  it.each([
    ['http://127.0.0.1:9000/', 'loopback'],
    ['http://2130706433/', 'loopback'], // the URL parser reads it as 127.0.0.1
    ['http://0x7f.1/', 'loopback'],
    ['http://[::1]/', 'loopback'],
    ['http://[::ffff:10.0.0.1]/', 'IPv4-mapped'],
    ['http://169.254.169.254/latest/meta-data/', 'metadata'],
    ['http://10.0.0.8/', 'private'],
    ['http://100.64.1.1/', 'CGNAT'],
    ['http://[::ffff:0:a00:1]/', 'IPv4-translated'],
    ['http://[64:ff9b:1::a00:1]/', 'local-use NAT64'],
    ['http://[2002:c0a8:101::1]/', 'private'],
    ['http://[fec0::1]/', 'site-local'],
    ['http://localhost:8001/', 'internal name'],
    ['http://api.localhost/', 'internal name'],
    ['http://metadata.google.internal/', 'internal name'],
  ])('refuses %s without allowPrivateNetworks', (url, why) => {
    expect(webhookUrlProblem(url, false)).toContain(why);
    expect(webhookUrlProblem(url, true)).toBeNull();
  });
});
