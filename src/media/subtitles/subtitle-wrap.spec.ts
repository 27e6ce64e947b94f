import { splitCues, wrapBalanced, wrapSubtitleText } from 'src/media/subtitles/subtitle-wrap';

// 16 Latin or 8 CJK characters per line: one CJK character is as wide as two Latin ones.
const narrow = { maxLatinChars: 16, maxCjkChars: 8 };

describe(wrapSubtitleText.name, () => {
  it.each<[string, string, string[]]>([
    [
      'English breaks at spaces',
      'The quick brown fox jumps over the lazy dog',
      ['The quick brown', 'fox jumps over', 'the lazy dog'],
    ],
    ['a line that fits stays whole', 'Hello, world!', ['Hello, world!']],
    ['spaces collapse', '  lots   of\n\tspace  ', ['lots of space']],
    ['empty text has no lines', '   ', []],
    [
      'Chinese breaks between any two characters',
      '清晨的老城很安静街上几乎没有人',
      ['清晨的老城很安静', '街上几乎没有人'],
    ],
    ['closing punctuation never starts a line', '清晨的老城很安静。街上没有人', ['清晨的老城很安', '静。街上没有人']],
    ['nor a comma, nor a closing quote', '他说：「我们到了」，然后走了', ['他说：「我们到', '了」，然后走了']],
    ['opening punctuation never ends a line', '一二三四五六七「八九」', ['一二三四五六七', '「八九」']],
    ['a dangling opening bracket stays with what precedes it', '一二三四五六七八「', ['一二三四五六七', '八「']],
    ['a lone bracket is still text', '「', ['「']],
    ['Latin words stay whole inside Chinese', '我用iPhone拍了一张照片', ['我用iPhone拍了一', '张照片']],
    ['ASCII punctuation after Chinese sticks to it', '一二三四五六七八!好', ['一二三四五六七', '八!好']],
    [
      'a word longer than a line is cut',
      'Supercalifragilisticexpialidocious!',
      ['Supercalifragili', 'sticexpialidocio', 'us!'],
    ],
    ['Japanese kana and small kana', 'きょうはとてもいいてんきですね', ['きょうはとてもい', 'いてんきですね']],
    ['Hangul is wide but breaks at spaces', '안녕하세요 여러분 좋은 아침', ['안녕하세요', '여러분 좋은 아침']],
  ])('%s', (_, text, lines) => {
    expect(wrapSubtitleText(text, narrow)).toEqual(lines);
  });
});

describe(wrapBalanced.name, () => {
  it.each<[string, string[]]>([
    ['The quick brown fox jumps over the lazy dog', ['The quick', 'brown fox', 'jumps over', 'the lazy dog']],
    ['清晨的老城很安静街上几乎没有人', ['清晨的老城很安静', '街上几乎没有人']],
    ['第三章：新的开始', ['第三章：新的开始']],
  ])('evens out %j', (text, lines) => {
    expect(wrapBalanced(text, { maxLatinChars: 12, maxCjkChars: 8 })).toEqual(lines);
  });

  it('never cuts a word to balance lines', () => {
    expect(wrapBalanced('Supercalifragilistic is long', { maxLatinChars: 24, maxCjkChars: 12 })).toEqual([
      'Supercalifragilistic',
      'is long',
    ]);
  });
});

describe(splitCues.name, () => {
  const options = { ...narrow, maxLines: 2 };

  it('keeps a cue that fits, with its lines joined by \\n', () => {
    expect(splitCues({ startMs: 1000, endMs: 3000, text: 'The quick brown fox' }, options)).toEqual([
      { startMs: 1000, endMs: 3000, text: 'The quick\nbrown fox' },
    ]);
  });

  it('splits a long sentence into cues timed in proportion to their text', () => {
    expect(
      splitCues(
        { startMs: 1000, endMs: 7000, text: 'The quick brown fox jumps over the lazy dog and runs far away' },
        options,
      ),
    ).toEqual([
      { startMs: 1000, endMs: 4000, text: 'The quick brown\nfox jumps over' },
      { startMs: 4000, endMs: 7000, text: 'the lazy dog and\nruns far away' },
    ]);
  });

  it('spreads lines evenly over the cues, without a short orphan', () => {
    const text = '清晨的老城很安静，街上几乎没有人。';
    const seven = { maxLatinChars: 14, maxCjkChars: 7, maxLines: 2 };
    expect(wrapSubtitleText(text, seven)).toEqual(['清晨的老城很安', '静，街上几乎没', '有人。']);
    expect(splitCues({ startMs: 0, endMs: 3000, text }, seven)).toEqual([
      { startMs: 0, endMs: 2118, text: '清晨的老城很\n安静，街上几' },
      { startMs: 2118, endMs: 3000, text: '乎没有人。' },
    ]);
  });

  it('has nothing to show for empty text', () => {
    expect(splitCues({ startMs: 0, endMs: 1000, text: ' ' }, options)).toEqual([]);
  });
});
