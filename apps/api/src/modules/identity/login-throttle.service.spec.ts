import { clientNetwork, throttleKeys } from './login-throttle.service';

// The counters themselves live in PostgreSQL; test/integration/login-abuse.int-spec.ts drives them over HTTP.
describe('login throttle keys', () => {
  it('keys an account by its lower-cased email and a client by its address', () => {
    expect(throttleKeys('  Ann@Example.COM ', '203.0.113.7')).toEqual({
      account: 'account:ann@example.com',
      ip: 'ip:203.0.113.7',
    });
    expect(throttleKeys('a@b.c', null)).toEqual({ account: 'account:a@b.c', ip: null });
  });

  it('counts an IPv4-mapped IPv6 address as IPv4, and an IPv6 client by its /64', () => {
    expect(clientNetwork('::ffff:198.51.100.4')).toBe('198.51.100.4');
    expect(clientNetwork('2001:db8:1:2:3:4:5:6')).toBe('2001:db8:1:2::/64');
    expect(clientNetwork('2001:0db8:0001:0002::9')).toBe('2001:db8:1:2::/64');
    expect(clientNetwork('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(clientNetwork('::1')).toBe('0:0:0:0::/64');
    expect(clientNetwork('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
  });

  it('leaves anything else as it is', () => {
    expect(clientNetwork('127.0.0.1')).toBe('127.0.0.1');
    expect(clientNetwork('not an address')).toBe('not an address');
  });
});
