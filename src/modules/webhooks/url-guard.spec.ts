import dns from 'node:dns/promises';
import { AppError } from 'src/common/errors/app-error';
import { loadAppConfig } from 'src/config/app.config';
import { AddressClass, CallbackUrlGuard, classifyAddress, parseCallbackUrl } from 'src/modules/webhooks/url-guard';

const guardWith = (allowPrivate: boolean) =>
  new CallbackUrlGuard(loadAppConfig({ WEBHOOK_ALLOW_PRIVATE: String(allowPrivate) }));

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe('classifyAddress', () => {
  const table: [string, AddressClass][] = [
    // IPv4
    ['8.8.8.8', 'public'],
    ['93.184.216.34', 'public'],
    ['0.0.0.0', 'reserved'],
    ['0.255.1.2', 'reserved'],
    ['10.0.0.1', 'private'],
    ['10.255.255.255', 'private'],
    ['100.63.255.255', 'public'],
    ['100.64.0.1', 'private'],
    ['100.127.255.255', 'private'],
    ['100.128.0.0', 'public'],
    ['100.100.100.200', 'metadata'],
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['169.254.0.1', 'link-local'],
    ['169.254.169.254', 'metadata'],
    ['172.15.255.255', 'public'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['172.32.0.0', 'public'],
    ['192.0.0.8', 'reserved'],
    ['192.0.2.1', 'reserved'],
    ['192.168.1.1', 'private'],
    ['198.18.0.1', 'reserved'],
    ['198.19.255.255', 'reserved'],
    ['198.20.0.0', 'public'],
    ['198.51.100.7', 'reserved'],
    ['203.0.113.7', 'reserved'],
    ['224.0.0.1', 'reserved'],
    ['239.255.255.250', 'reserved'],
    ['240.0.0.1', 'reserved'],
    ['255.255.255.255', 'reserved'],
    ['223.255.255.255', 'public'],
    // IPv6
    ['::', 'reserved'],
    ['::1', 'loopback'],
    ['0:0:0:0:0:0:0:1', 'loopback'],
    ['2606:4700:4700::1111', 'public'],
    ['2a00:1450:4001:80b::200e', 'public'],
    ['fc00::1', 'private'],
    ['fd12:3456:789a::1', 'private'],
    ['fd00:ec2::254', 'metadata'],
    ['fd00:ec2::253', 'private'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['febf:ffff::1', 'link-local'],
    ['fec0::1', 'private'],
    ['ff02::1', 'reserved'],
    ['2001:db8::1', 'reserved'],
    ['2001::1', 'reserved'],
    ['100::1', 'reserved'],
    ['4000::1', 'reserved'],
    // IPv4 inside IPv6
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::FFFF:169.254.169.254', 'metadata'],
    ['::ffff:10.1.2.3', 'private'],
    ['::ffff:8.8.8.8', 'public'],
    ['::ffff:0:192.168.0.1', 'private'],
    ['64:ff9b::127.0.0.1', 'loopback'],
    ['64:ff9b::a9fe:a9fe', 'metadata'],
    ['64:ff9b::8.8.8.8', 'public'],
    ['64:ff9b:1::1', 'private'],
    ['::127.0.0.1', 'loopback'],
    ['::8.8.8.8', 'reserved'],
    ['2002:7f00:1::1', 'loopback'],
    ['2002:a00:1::1', 'private'],
    ['2002:808:808::1', 'public'],
    // Not an address at all
    ['localhost', 'reserved'],
    ['', 'reserved'],
    ['1.2.3', 'reserved'],
  ];

  it.each(table)('classifies %s as %s', (ip, expected) => {
    expect(classifyAddress(ip)).toBe(expected);
  });
});

describe('parseCallbackUrl', () => {
  it.each([
    ['ftp://example.com/hook', 'must use http or https'],
    ['file:///etc/passwd', 'must use http or https'],
    ['javascript:alert(1)', 'must use http or https'],
    ['not a url', 'must be a valid absolute URL'],
    ['/relative/hook', 'must be a valid absolute URL'],
    ['https://user:secret@example.com/hook', 'must not contain credentials'],
    ['https://user@example.com/hook', 'must not contain credentials'],
    [`https://example.com/${'a'.repeat(2048)}`, 'must be at most 2048 characters'],
  ])('refuses %s', (raw, reason) => {
    expect(parseCallbackUrl(raw)).toEqual({ reason });
  });

  it('accepts http and https URLs', () => {
    expect(parseCallbackUrl('https://example.com:8443/hook?a=1')).toEqual({ url: expect.any(URL) });
    expect(parseCallbackUrl('http://example.com')).toEqual({ url: expect.any(URL) });
  });
});

describe(CallbackUrlGuard.name, () => {
  afterEach(() => jest.restoreAllMocks());

  describe('with private targets refused (the default)', () => {
    const sut = guardWith(false);

    it.each([
      'http://localhost:8080/hook',
      'http://127.0.0.1/hook',
      'http://127.1/hook',
      'http://0x7f.0.0.1/hook',
      'http://2130706433/hook',
      'http://[::1]:3000/hook',
      'http://[::ffff:127.0.0.1]/hook',
      'http://[::ffff:a9fe:a9fe]/hook',
      'http://169.254.169.254/latest/meta-data/',
      'http://[fd00:ec2::254]/latest/meta-data/',
      'http://10.0.0.5/hook',
      'http://192.168.1.10/hook',
      'http://[fe80::1]/hook',
      'http://0.0.0.0:3000/hook',
    ])('refuses %s with 400 VALIDATION_FAILED on callbackUrl', async (url) => {
      const error = await refusal(sut.assertAllowed(url));
      expect(error.status).toBe(400);
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.details).toEqual([
        { field: 'callbackUrl', message: 'must not point to a private, loopback or link-local address' },
      ]);
    });

    it('refuses a bad scheme or credentials before any lookup', async () => {
      const lookup = jest.spyOn(sut, 'lookupHost');
      expect((await refusal(sut.assertAllowed('gopher://example.com/'))).details).toEqual([
        { field: 'callbackUrl', message: 'must use http or https' },
      ]);
      expect((await refusal(sut.assertAllowed('https://a:b@example.com/'))).details).toEqual([
        { field: 'callbackUrl', message: 'must not contain credentials' },
      ]);
      expect(lookup).not.toHaveBeenCalled();
    });

    it('allows public IP literals and returns them as the vetted addresses', async () => {
      const v4 = await sut.resolveAllowed('https://8.8.8.8/hook?x=1');
      expect(v4.url.href).toBe('https://8.8.8.8/hook?x=1');
      expect(v4.addresses).toEqual(['8.8.8.8']);
      const v6 = await sut.resolveAllowed('http://[2606:4700:4700::1111]:8080/hook');
      expect(v6.addresses).toEqual(['2606:4700:4700::1111']);
    });

    it('refuses a host when any one of its addresses is private', async () => {
      jest.spyOn(sut, 'lookupHost').mockResolvedValue(['93.184.216.34', '10.0.0.1']);
      await refusal(sut.assertAllowed('https://mixed.example.com/hook'));
    });

    it('allows a host whose addresses are all public', async () => {
      jest.spyOn(sut, 'lookupHost').mockResolvedValue(['93.184.216.34', '2606:2800:220:1::1']);
      await expect(sut.resolveAllowed('https://example.com/hook')).resolves.toEqual({
        url: new URL('https://example.com/hook'),
        addresses: ['93.184.216.34', '2606:2800:220:1::1'],
      });
    });

    it('reports an unresolvable host as a failure that may pass later', async () => {
      jest.spyOn(sut, 'lookupHost').mockRejectedValue(Object.assign(new Error('nope'), { code: 'ENOTFOUND' }));
      await expect(sut.check('https://nowhere.example/hook')).resolves.toEqual({
        allowed: false,
        reason: 'host could not be resolved',
        permanent: false,
      });
      jest.spyOn(sut, 'lookupHost').mockResolvedValue([]);
      expect((await refusal(sut.assertAllowed('https://nowhere.example/hook'))).details).toEqual([
        { field: 'callbackUrl', message: 'host could not be resolved' },
      ]);
    });
  });

  describe('with WEBHOOK_ALLOW_PRIVATE=true', () => {
    const sut = guardWith(true);

    it('allows localhost, resolved through the real resolver', async () => {
      const { url, addresses } = await sut.resolveAllowed('http://localhost:9/hook');
      expect(url.hostname).toBe('localhost');
      expect(addresses.length).toBeGreaterThan(0);
      expect(addresses.every((address) => classifyAddress(address) === 'loopback')).toBe(true);
    });

    it('still refuses what is not http(s)', async () => {
      await refusal(sut.assertAllowed('file:///etc/passwd'));
    });
  });

  describe('lookupHost', () => {
    const sut = guardWith(false);

    it('returns IP literals without a lookup and resolves localhost to loopback', async () => {
      await expect(sut.lookupHost('203.0.113.9')).resolves.toEqual(['203.0.113.9']);
      await expect(sut.lookupHost('::1')).resolves.toEqual(['::1']);
      const local = await sut.lookupHost('localhost');
      expect(local.map(classifyAddress)).toEqual(local.map(() => 'loopback'));
    });

    it('gives up on a lookup that does not answer within 3 s', async () => {
      jest.useFakeTimers();
      try {
        jest.spyOn(dns, 'lookup').mockReturnValue(new Promise(() => undefined));
        const pending = sut.lookupHost('slow.example');
        const assertion = expect(pending).rejects.toThrow('DNS lookup timed out after 3000 ms');
        await jest.advanceTimersByTimeAsync(3000);
        await assertion;
      } finally {
        jest.useRealTimers();
      }
    });
  });
});
