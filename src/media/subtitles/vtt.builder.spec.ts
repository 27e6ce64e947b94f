import { buildVtt, escapeVttText, formatVttTime } from 'src/media/subtitles/vtt.builder';

describe(buildVtt.name, () => {
  it('writes cues on the video clock', () => {
    expect(
      buildVtt([
        { startMs: 0, endMs: 2340, text: 'A quiet morning\nin the old town.' },
        { startMs: 2500, endMs: 4805, text: '清晨的老城很安静。' },
        { startMs: 3_723_450, endMs: 3_725_000, text: 'Tom & Jerry <b>-->' },
      ]),
    ).toBe(
      [
        'WEBVTT',
        '',
        '00:00:00.000 --> 00:00:02.340',
        'A quiet morning',
        'in the old town.',
        '',
        '00:00:02.500 --> 00:00:04.805',
        '清晨的老城很安静。',
        '',
        '01:02:03.450 --> 01:02:05.000',
        'Tom &amp; Jerry &lt;b&gt;--&gt;',
        '',
      ].join('\n'),
    );
  });

  it('is a bare header without cues, and drops cues with no text', () => {
    expect(buildVtt([])).toBe('WEBVTT\n');
    expect(buildVtt([{ startMs: 0, endMs: 1000, text: ' \n ' }])).toBe('WEBVTT\n');
  });
});

describe(escapeVttText.name, () => {
  it.each([
    ['a & b', 'a &amp; b'],
    ['<i>x</i>', '&lt;i&gt;x&lt;/i&gt;'],
    ['&lt;', '&amp;lt;'],
    // A blank line would end the cue early and start a new block.
    ['one\n\ntwo\r\nthree', 'one\ntwo\nthree'],
  ])('%j → %j', (text, escaped) => {
    expect(escapeVttText(text)).toBe(escaped);
  });
});

describe(formatVttTime.name, () => {
  it.each([
    [0, '00:00:00.000'],
    [1, '00:00:00.001'],
    [61_250.4, '00:01:01.250'],
    [36_000_000, '10:00:00.000'],
    [-5, '00:00:00.000'],
  ])('%d ms → %s', (ms, time) => {
    expect(formatVttTime(ms)).toBe(time);
  });
});
