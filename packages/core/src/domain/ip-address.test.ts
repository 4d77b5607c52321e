import { describe, expect, it } from 'vitest';
import { forbiddenAddress, parseIpv6 } from './ip-address';

describe('forbiddenAddress', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.1.1', 'link-local'],
    ['169.254.169.254', 'metadata'],
    ['100.100.100.200', 'metadata'],
    ['100.64.0.1', 'CGNAT'],
    ['100.127.255.255', 'CGNAT'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['::ffff:127.0.0.1', 'IPv4-mapped'],
    ['::ffff:8.8.8.8', 'IPv4-mapped'],
    ['::ffff:7f00:1', 'IPv4-mapped'],
    ['64:ff9b::10.0.0.1', 'private'],
    ['fd00:ec2::254', 'metadata'],
    ['fc00::1', 'unique local'],
    ['fe80::1%eth0', 'link-local'],
    ['ff02::1', 'multicast'],
    ['[::1]', 'loopback'],
    ['::ffff:0:8.8.8.8', 'IPv4-translated'],
    ['::ffff:0:7f00:1', 'IPv4-translated'],
    ['64:ff9b:1::8.8.8.8', 'local-use NAT64'],
    ['64:ff9b:1:ffff::1', 'local-use NAT64'],
    ['2002:a00:1::1', 'private'], // 6to4 of 10.0.0.1
    ['2002:7f00:1::', 'loopback'], // 6to4 of 127.0.0.1
    ['2002:a9fe:a9fe::1', 'metadata'], // 6to4 of 169.254.169.254
    ['fec0::1', 'site-local'],
    ['feff:ffff::1', 'site-local'],
  ])('refuses %s (%s)', (ip, kind) => {
    expect(forbiddenAddress(ip)).toContain(kind);
  });

  it.each([
    '8.8.8.8',
    '41.59.1.1',
    '172.32.0.1',
    '100.128.0.1',
    '2001:4860:4860::8888',
    '64:ff9b::8.8.8.8',
    '2002:808:808::1',
    'fe00::1',
  ])('allows the public address %s', (ip) => {
    expect(forbiddenAddress(ip)).toBeNull();
  });

  it('reads IPv6 in every spelling and refuses what is not an address', () => {
    expect(parseIpv6('1::')).toEqual([1, 0, 0, 0, 0, 0, 0, 0]);
    expect(parseIpv6('1:2:3:4:5:6:7:8')).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(parseIpv6('::ffff:1.2.3.4')).toEqual([0, 0, 0, 0, 0, 0xffff, 0x102, 0x304]);
    for (const bad of ['1:2:3', '1::2::3', '12345::', 'example.com', '1.2.3', '01.2.3.4'])
      expect(forbiddenAddress(bad)).toBe('not an IP address');
  });
});
