import {
  buildEspeakArgs,
  espeakWordsPerMinute,
  hasSpeakableText,
  prepareEspeakText,
} from 'src/providers/ai/offline/speech/espeak-command';

describe('espeak command', () => {
  describe(espeakWordsPerMinute.name, () => {
    it.each([
      [1, 175],
      [0.5, 88],
      [2, 350],
      [1.25, 219],
      [0.1, 88],
      [3, 350],
      [-1, 88],
    ])('speed %d → %d wpm', (speed, wpm) => {
      expect(espeakWordsPerMinute(speed)).toBe(wpm);
    });
  });

  describe(buildEspeakArgs.name, () => {
    it('ends the options before the text, so a leading "-" is spoken', () => {
      expect(
        buildEspeakArgs({ voice: 'en-us+f3', wordsPerMinute: 175, outPath: '/tmp/a.wav', text: '-v --help' }),
      ).toEqual(['-v', 'en-us+f3', '-s', '175', '-w', '/tmp/a.wav', '--', '-v --help']);
    });

    it('passes the text as one argument, untouched', () => {
      const text = '$(rm -rf /) `id`; echo hi | cat > x && "q" \'s\'';
      const args = buildEspeakArgs({ voice: 'en-us', wordsPerMinute: 175, outPath: 'o.wav', text });
      expect(args.at(-1)).toBe(text);
      expect(args.at(-2)).toBe('--');
    });
  });

  describe(hasSpeakableText.name, () => {
    it.each([
      ['hello', true],
      ['你好', true],
      ['42', true],
      ['，。！？', false],
      ['... !!!', false],
      ['', false],
    ])('%j → %s', (text, speakable) => {
      expect(hasSpeakableText(text)).toBe(speakable);
    });
  });

  describe(prepareEspeakText.name, () => {
    it('collapses whitespace and drops control characters', () => {
      expect(prepareEspeakText('  one\n\n two\u0000\tthree ', 'en')).toBe('one two three');
    });

    it('maps full-width digits and letters to ASCII, which espeak-ng would skip', () => {
      expect(prepareEspeakText('２０２４年ＡＩ', 'zh')).toBe('2024年AI');
    });

    it('breaks espeak phoneme brackets so that "[[...]]" is spoken as text', () => {
      expect(prepareEspeakText("say [[h@l'oU]] now", 'en')).toBe("say [ [h@l'oU]] now");
      expect(prepareEspeakText('[[[x', 'en')).toBe('[ [ [x');
    });

    it('spells out percentages and decimal points for Mandarin', () => {
      expect(prepareEspeakText('增长了25%，价格是3.5元，利率３．５％。', 'zh-CN')).toBe(
        '增长了百分之25,价格是3点5元,利率百分之3点5。',
      );
    });

    it('leaves other languages alone', () => {
      expect(prepareEspeakText('Up 25% to 3.5 dollars.', 'en')).toBe('Up 25% to 3.5 dollars.');
    });

    it('keeps shell metacharacters, they are just text', () => {
      expect(prepareEspeakText('$(rm -rf /); echo `id`', 'en')).toBe('$(rm -rf /); echo `id`');
    });
  });
});
