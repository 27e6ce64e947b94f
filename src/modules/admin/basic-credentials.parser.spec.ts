import { parseBasicAuthorization } from 'src/modules/admin/basic-credentials.parser';

const basic = (raw: string) => `Basic ${Buffer.from(raw, 'utf8').toString('base64')}`;

describe(parseBasicAuthorization.name, () => {
  it.each([
    [
      'plain credentials',
      basic('admin@example.com:secret-pass'),
      { email: 'admin@example.com', password: 'secret-pass' },
    ],
    ['a colon in the password', basic('a@b.c:pa:ss:word'), { email: 'a@b.c', password: 'pa:ss:word' }],
    ['UTF-8 in the password', basic('a@b.c:pässwörd-密码'), { email: 'a@b.c', password: 'pässwörd-密码' }],
    ['spaces in the password', basic('a@b.c: two words '), { email: 'a@b.c', password: ' two words ' }],
    ['an upper-case, padded email', basic(' Admin@Example.COM :pw'), { email: 'admin@example.com', password: 'pw' }],
    [
      'a lower-case scheme and extra spaces',
      `  basic   ${Buffer.from('a@b.c:pw').toString('base64')} `,
      { email: 'a@b.c', password: 'pw' },
    ],
    [
      'base64 without padding',
      `Basic ${Buffer.from('a@b.c:pw1').toString('base64').replace(/=+$/, '')}`,
      { email: 'a@b.c', password: 'pw1' },
    ],
  ])('reads %s', (_case, header, expected) => {
    expect(parseBasicAuthorization(header)).toEqual(expected);
  });

  it.each([
    ['no header', undefined],
    ['an empty header', ''],
    ['another scheme', 'Bearer abc.def.ghi'],
    ['the scheme alone', 'Basic'],
    ['the scheme and a space', 'Basic '],
    ['characters outside base64', 'Basic a@b.c:pw'],
    ['an impossible base64 length', 'Basic YWJjZ'],
    ['no colon', basic('admin@example.com')],
    ['an empty user', basic(':password')],
    ['an empty password', basic('a@b.c:')],
    ['invalid UTF-8', `Basic ${Buffer.from([0x61, 0x3a, 0xff, 0xfe]).toString('base64')}`],
    ['a control character', basic('a@b.c:pass\nword')],
    ['an over-long password', basic(`a@b.c:${'x'.repeat(129)}`)],
    ['an over-long email', basic(`${'x'.repeat(321)}:pw`)],
    ['two tokens', `Basic ${Buffer.from('a@b.c:pw').toString('base64')} extra`],
  ])('refuses %s', (_case, header) => {
    expect(parseBasicAuthorization(header)).toBeNull();
  });
});
