import {
  balancedPartition,
  collapseWhitespace,
  estimateSpeechSeconds,
  joinSentences,
  splitIntoScenes,
  splitSentences,
} from 'src/providers/ai/text/sentences';

describe(splitSentences.name, () => {
  it.each<[string, string, string[]]>([
    ['empty text', '', []],
    ['only whitespace', ' \n\t \n ', []],
    ['no punctuation at all', 'A line without an ending', ['A line without an ending']],
    ['English', 'Hello world. How are you? I am fine!', ['Hello world.', 'How are you?', 'I am fine!']],
    ['repeated terminators', 'Really?! Yes!!! Okay.', ['Really?!', 'Yes!!!', 'Okay.']],
    ['Chinese', '今天天气很好。我们去公园吧！你觉得呢？', ['今天天气很好。', '我们去公园吧！', '你觉得呢？']],
    ['Chinese without a final stop', '你好。再见', ['你好。', '再见']],
    ['Chinese with ASCII punctuation', '真的吗?是的!好。', ['真的吗?', '是的!', '好。']],
    [
      'mixed English and Chinese',
      'Python很流行。It is easy to learn. 你学会了吗？OK!好的。',
      ['Python很流行。', 'It is easy to learn.', '你学会了吗？', 'OK!', '好的。'],
    ],
    ['titles before names', 'Dr. Smith met Mrs. Jones. They talked.', ['Dr. Smith met Mrs. Jones.', 'They talked.']],
    [
      'e.g. and i.e.',
      'Use a sieve, e.g. A fine one. Mix it, i.e. Stir well. Then rest it.',
      ['Use a sieve, e.g. A fine one.', 'Mix it, i.e. Stir well.', 'Then rest it.'],
    ],
    [
      'an abbreviation followed by a lowercase word',
      'The U.S. economy grew at 5 p.m. on Monday. It was news.',
      ['The U.S. economy grew at 5 p.m. on Monday.', 'It was news.'],
    ],
    ['an abbreviation that ends a sentence', 'I moved to the U.S. It was big.', ['I moved to the U.S.', 'It was big.']],
    [
      'numbered references',
      'See Fig. 3 for details. No. 5 is next. Say no. Then leave.',
      ['See Fig. 3 for details.', 'No. 5 is next.', 'Say no.', 'Then leave.'],
    ],
    ['initials', 'J. R. R. Tolkien wrote it. Fans agree.', ['J. R. R. Tolkien wrote it.', 'Fans agree.']],
    [
      'decimals',
      'It costs 3.5 dollars. Pi is about 3.14159. Version 2.0 shipped.',
      ['It costs 3.5 dollars.', 'Pi is about 3.14159.', 'Version 2.0 shipped.'],
    ],
    ['a domain name', 'Visit example.com today. Thanks.', ['Visit example.com today.', 'Thanks.']],
    ['an ellipsis before a new sentence', 'Wait... What happened? I see…', ['Wait...', 'What happened?', 'I see…']],
    [
      'an ellipsis inside a sentence',
      'Well... maybe not. He paused… then spoke.',
      ['Well... maybe not.', 'He paused… then spoke.'],
    ],
    ['a Unicode ellipsis before a capital', 'He paused… Then he spoke.', ['He paused…', 'Then he spoke.']],
    ['a Chinese ellipsis', '他说……我不知道。然后走了……', ['他说……我不知道。', '然后走了……']],
    [
      'closing quotes stay with their sentence',
      'He said "Hello there." Then he left. \'Bye.\' Done.',
      ['He said "Hello there."', 'Then he left.', "'Bye.'", 'Done.'],
    ],
    [
      'curly quotes',
      'She said, “We won.” Everyone cheered. “Really?” Yes.',
      ['She said, “We won.”', 'Everyone cheered.', '“Really?”', 'Yes.'],
    ],
    ['a quote that carries on', '"Stop!" she shouted. Everyone froze.', ['"Stop!" she shouted.', 'Everyone froze.']],
    ['an opening quote after a boundary', 'It ended. "Why?" he asked.', ['It ended.', '"Why?" he asked.']],
    ['Chinese quotes', '她说：“我们走吧。”大家都同意了。', ['她说：“我们走吧。”', '大家都同意了。']],
    ['Chinese corner brackets', '他问「真的吗？」我点头。', ['他问「真的吗？」', '我点头。']],
    ['collapsed whitespace', '  Hello\n\tworld.   Second\r\n  sentence.  ', ['Hello world.', 'Second sentence.']],
    ['a blank line ends a sentence', 'Title line\n\nBody text here\n \nLast', ['Title line', 'Body text here', 'Last']],
    ['a stray ellipsis joins the sentence before it', 'Hello. …', ['Hello. …']],
  ])('splits %s', (_case, text, expected) => {
    expect(splitSentences(text)).toEqual(expected);
  });

  it('never loses or reorders text', () => {
    const text = 'Dr. Who? 3.5 km… then “stop.” 你好！Mixed 中文 text. e.g. this';
    const squash = (value: string): string => value.replace(/\s+/g, '');
    expect(squash(splitSentences(text).join(''))).toBe(squash(text));
  });
});

describe(collapseWhitespace.name, () => {
  it('collapses whitespace, drops control characters and trims', () => {
    expect(collapseWhitespace('\u0000 black\n\n holes\t\u0007 ')).toBe('black holes');
  });
});

describe(joinSentences.name, () => {
  it.each<[string[], string]>([
    [['One.', 'Two.'], 'One. Two.'],
    [['一。', '二。'], '一。二。'],
    [['Python很流行。', 'It is easy.', '你好。'], 'Python很流行。It is easy.你好。'],
    [['', 'Only.', ''], 'Only.'],
  ])('joins %j as %j', (sentences, expected) => {
    expect(joinSentences(sentences)).toBe(expected);
  });
});

describe(estimateSpeechSeconds.name, () => {
  it.each<[string, string, string, number]>([
    ['26 English words', 'word '.repeat(26), 'en', 10],
    ['45 Chinese characters', '字'.repeat(45), 'zh', 10],
    ['punctuation, which is not spoken', '... !!! 。，？', 'en', 0],
    ['a regional tag like its language', 'word '.repeat(13), 'en-US', 5],
    ['an unknown language at the English rate', 'word '.repeat(13), 'xx', 5],
    ['mixed text, counting both', `${'字'.repeat(9)} ${'word '.repeat(13)}`, 'zh', 7],
    ['English numbers as words', 'In 2024 there were 3 of them', 'en', 7 / 2.6],
    ['Mandarin digits as syllables', '2024年', 'zh', 5 / 4.5],
    ['contractions and hyphens as one word', "don't self-test", 'en', 2 / 2.6],
  ])('estimates %s', (_case, text, language, seconds) => {
    expect(estimateSpeechSeconds(text, language)).toBeCloseTo(seconds, 5);
  });

  it('reads Chinese faster per character than English per word', () => {
    expect(estimateSpeechSeconds('我们去公园吧', 'zh')).toBeLessThan(
      estimateSpeechSeconds('let us go to the park', 'en'),
    );
  });
});

describe(splitIntoScenes.name, () => {
  const sentence = (length: number, mark = 'X'): string => `${mark.repeat(length - 1)}.`;

  it('returns no scenes for empty text', () => {
    expect(splitIntoScenes('  ', 3)).toEqual([]);
  });

  it.each([1, 2, 3, 4, 5, 6, 7, 8])('makes exactly %i scenes from 8 sentences', (count) => {
    const text = Array.from({ length: 8 }, (_, i) => `Sentence number ${i + 1} is here.`).join(' ');
    expect(splitIntoScenes(text, count)).toHaveLength(count);
  });

  it('returns one scene per sentence when there are fewer sentences than scenes', () => {
    expect(splitIntoScenes('One. Two. Three.', 5)).toEqual(['One.', 'Two.', 'Three.']);
  });

  it.each<[string, number[], number, number[]]>([
    ['equal sentences', [10, 10, 10, 10, 10, 10], 3, [20, 20, 20]],
    ['one long sentence on its own', [60, 10, 10, 10, 10, 10, 10], 2, [60, 60]],
    ['a long sentence in the middle', [10, 10, 50, 10, 10], 3, [20, 50, 20]],
    ['uneven sentences', [30, 5, 5, 20, 20, 5, 5, 30], 4, [30, 30, 30, 30]],
  ])('balances %s by length', (_case, lengths, count, expectedLengths) => {
    const text = lengths.map((length) => sentence(length)).join(' ');
    const scenes = splitIntoScenes(text, count);
    const sceneLengths = scenes.map((scene) => splitSentences(scene).reduce((sum, s) => sum + s.length, 0));
    expect(sceneLengths).toEqual(expectedLengths);
  });

  it('never splits a sentence and keeps the order', () => {
    const text =
      'Black holes form when massive stars collapse. Their gravity is extreme! Not even light escapes. ' +
      'Dr. Hawking showed they radiate, e.g. through quantum effects. They slowly evaporate… Over eons.';
    const sentences = splitSentences(text);
    for (const count of [1, 2, 3, 4, 5, 6]) {
      const scenes = splitIntoScenes(text, count);
      expect(scenes.flatMap((scene) => splitSentences(scene))).toEqual(sentences);
    }
  });

  it('groups Chinese sentences without spaces', () => {
    expect(splitIntoScenes('第一句话。第二句话。第三句。第四句。', 2)).toEqual([
      '第一句话。第二句话。',
      '第三句。第四句。',
    ]);
  });

  it('picks about six seconds of speech per scene when no count is given', () => {
    expect(splitIntoScenes('Short and sweet. Done.')).toHaveLength(1);
    const minute = Array.from({ length: 26 }, () => 'Five words in each sentence.').join(' ');
    expect(splitIntoScenes(minute)).toHaveLength(9); // 130 words ≈ 50 s
    const long = Array.from({ length: 200 }, () => 'Five words in each sentence.').join(' ');
    expect(splitIntoScenes(long)).toHaveLength(20);
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses sceneCount %p', (count) => {
    expect(() => splitIntoScenes('One. Two.', count)).toThrow(RangeError);
  });
});

describe(balancedPartition.name, () => {
  const cost = (weights: number[], starts: number[]): number =>
    starts.reduce((sum, start, i) => {
      const total = weights.slice(start, starts[i + 1] ?? weights.length).reduce((a, b) => a + b, 0);
      return sum + total ** 2;
    }, 0);

  /** Every way to cut n items into k non-empty runs, as first indexes. */
  const allCuts = (n: number, k: number, from = 0): number[][] => {
    if (k === 1) {
      return [[from]];
    }
    const result: number[][] = [];
    for (let next = from + 1; next <= n - k + 1; next += 1) {
      for (const rest of allCuts(n, k - 1, next)) {
        result.push([from, ...rest]);
      }
    }
    return result;
  };

  it('finds the optimum that brute force finds', () => {
    let state = 42;
    const random = (): number => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return state / 2 ** 32;
    };
    for (let round = 0; round < 60; round += 1) {
      const n = 1 + Math.floor(random() * 9);
      const weights = Array.from({ length: n }, () => 1 + Math.floor(random() * 40));
      for (let k = 1; k <= n; k += 1) {
        const starts = balancedPartition(weights, k);
        const best = Math.min(...allCuts(n, k).map((cuts) => cost(weights, cuts)));
        expect(starts).toHaveLength(k);
        expect(starts[0]).toBe(0);
        expect(cost(weights, starts)).toBe(best);
      }
    }
  });

  // Speed is a benchmark's business, not a unit test's: this only checks a long text still partitions.
  it('partitions a long text into the largest scene count callers use', () => {
    const weights = Array.from({ length: 2000 }, (_, i) => 20 + (i % 37));
    const starts = balancedPartition(weights, 20);
    expect(starts).toHaveLength(20);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
  });

  it.each([0, 4])('refuses %i groups for 3 weights', (groups) => {
    expect(() => balancedPartition([1, 2, 3], groups)).toThrow(RangeError);
  });
});
