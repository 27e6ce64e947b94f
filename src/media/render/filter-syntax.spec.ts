import { escapeFilterValue, lavfiColor, seconds } from 'src/media/render/filter-syntax';

describe('filter syntax', () => {
  describe(escapeFilterValue.name, () => {
    it.each([
      ['/plain/path/sub.ass', String.raw`\'/plain/path/sub.ass\'`],
      ['/a b/c.ass', String.raw`\'/a b/c.ass\'`],
      // The option level splits on ":" — quoted, it stays part of the value.
      ['/x:y/c.ass', String.raw`\'/x:y/c.ass\'`],
      // The graph level splits filters on "," and ";" and reads "[" "]" as link labels.
      ['/a,b;c/d.ass', String.raw`\'/a\,b\;c/d.ass\'`],
      ['/a[0:v]b/c.ass', String.raw`\'/a\[0:v\]b/c.ass\'`],
      // A quote closes the quoted run, is written escaped outside it, and the run reopens.
      ["/it's/c.ass", String.raw`\'/it\'\\\'\'s/c.ass\'`],
      // Inside quotes a backslash is literal at the option level; the graph level needs it doubled.
      ['/a\\b/c.ass', String.raw`\'/a\\b/c.ass\'`],
      ['', String.raw`\'\'`],
      ["/tmp/it's: a,b [x] \\y; z=%d/s.ass", String.raw`\'/tmp/it\'\\\'\'s: a\,b \[x\] \\y\; z=%d/s.ass\'`],
    ])('escapes %j', (value, escaped) => {
      expect(escapeFilterValue(value)).toBe(escaped);
    });

    // ffmpeg's av_get_token (libavutil/avstring.c), which the graph parser and then the option
    // parser apply to a value: backslash escapes, '…' quotes, unprotected whitespace trimmed.
    const getToken = (input: string, terms: string): string => {
      let out = '';
      let end = 0;
      let i = 0;
      while (i < input.length && ' \n\t\r'.includes(input[i])) {
        i++;
      }
      while (i < input.length && !terms.includes(input[i])) {
        const c = input[i++];
        if (c === '\\' && i < input.length) {
          out += input[i++];
          end = out.length;
        } else if (c === "'") {
          while (i < input.length && input[i] !== "'") {
            out += input[i++];
          }
          if (i < input.length) {
            i++;
            end = out.length;
          }
        } else {
          out += c;
        }
      }
      return out.slice(0, Math.max(end, out.trimEnd().length));
    };

    it.each([
      "/tmp/it's: a,b [x] \\y; z=%d/s.ass",
      "''''",
      '\\\\',
      ' leading and trailing ',
      'a:b=c,d;e[f]g\\h',
      '中文/字幕.ass',
    ])('survives both of ffmpeg unescaping levels: %j', (value) => {
      const graphLevel = getToken(escapeFilterValue(value), '[],;');
      expect(getToken(graphLevel, ':')).toBe(value);
    });
  });

  it.each([
    [0, '0'],
    [40, '0.04'],
    [2500, '2.5'],
    [1234.6, '1.235'],
    [60_000, '60'],
  ])('writes %d ms as %s seconds', (ms, text) => {
    expect(seconds(ms)).toBe(text);
  });

  it('converts #RRGGBB for lavfi sources and refuses anything else', () => {
    expect(lavfiColor('#336699')).toBe('0x336699');
    expect(lavfiColor('#a0b1c2')).toBe('0xA0B1C2');
    for (const bad of ['336699', '#369', 'red', '#3366991', '#33669g', "#336699'"]) {
      expect(() => lavfiColor(bad)).toThrow(/#RRGGBB/);
    }
  });
});
