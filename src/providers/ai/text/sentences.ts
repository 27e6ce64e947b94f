/** Han, kana and Hangul: scripts written without spaces and spoken roughly one syllable per character. */
const CJK_LETTER = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const CJK_LETTERS = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/gu;
/** CJK letters plus CJK and full-width punctuation: no space is needed on either side of these. */
const CJK_TEXT = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3000-\u303f\uff00-\uffef]/u;
const CONTROL = /\p{Cc}/gu;

const CJK_TERMINATORS = new Set(['。', '！', '？', '｡']);
const TERMINATORS = new Set([...CJK_TERMINATORS, '.', '!', '?', '‼', '⁇', '⁈', '⁉', '…', '⋯']);
const ELLIPSIS_RUN = /^(?:…|⋯|\.{2,})+$/;
const CLOSERS = new Set(['"', "'", '”', '’', '»', '」', '』', '）', ')', ']', '}', '】', '》', '〉', '〗']);
const OPENERS = new Set(['"', "'", '“', '‘', '«', '「', '『', '（', '(', '[', '{', '【', '《', '〈', '〖', '¿', '¡']);

/** Before a name or more of the same sentence: a period after these never ends a sentence. */
const NON_FINAL_ABBREVIATIONS = new Set([
  'mr',
  'mrs',
  'ms',
  'mx',
  'dr',
  'prof',
  'st',
  'mt',
  'gen',
  'col',
  'lt',
  'sgt',
  'capt',
  'cmdr',
  'adm',
  'gov',
  'sen',
  'rep',
  'rev',
  'hon',
  'pres',
  'messrs',
  'e.g',
  'i.e',
  'cf',
  'vs',
  'viz',
  'approx',
  'esp',
  'incl',
  'dept',
]);
/** Abbreviations only when a number follows ("No. 5", "Fig. 3", "Jan. 12"); "say no. Then" still splits. */
const NUMERIC_ABBREVIATIONS = new Set([
  'no',
  'nos',
  'fig',
  'figs',
  'vol',
  'vols',
  'p',
  'pp',
  'ch',
  'sec',
  'art',
  'eq',
  'ref',
  'ca',
  'jan',
  'feb',
  'mar',
  'apr',
  'jun',
  'jul',
  'aug',
  'sep',
  'sept',
  'oct',
  'nov',
  'dec',
]);
const TOKEN_BEFORE_PERIOD = /\p{L}[\p{L}.]*$/u;

/** Turns every run of whitespace into one space, drops other control characters and trims. */
export function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').replace(CONTROL, '').trim();
}

/** Joins sentences with a space, except next to CJK text, which is written without one. */
export function joinSentences(sentences: readonly string[]): string {
  let joined = '';
  for (const sentence of sentences) {
    if (!sentence) {
      continue;
    }
    const needsSpace = joined !== '' && !CJK_TEXT.test(joined.slice(-1)) && !CJK_TEXT.test(sentence[0]);
    joined += needsSpace ? ` ${sentence}` : sentence;
  }
  return joined;
}

/**
 * Splits text into sentences, keeping each sentence's punctuation and closing quotes.
 *
 * A blank line always ends a sentence (a script without punctuation still splits by paragraph); a single line break
 * is only whitespace, so hard-wrapped text stays whole. Heuristics, not a parser: "U.S. Army" splits like "U.S. It".
 */
export function splitSentences(text: string): string[] {
  const sentences: string[] = [];
  for (const paragraph of text.split(/\n\s*\n/)) {
    for (const piece of splitParagraph(collapseWhitespace(paragraph))) {
      const sentence = piece.trim();
      if (!sentence) {
        continue;
      }
      // A stray "…" or "!!" after a boundary belongs to the sentence before it.
      if (!/[\p{L}\p{N}]/u.test(sentence) && sentences.length > 0) {
        sentences[sentences.length - 1] = joinSentences([sentences[sentences.length - 1], sentence]);
      } else {
        sentences.push(sentence);
      }
    }
  }
  return sentences;
}

function splitParagraph(text: string): string[] {
  const pieces: string[] = [];
  let start = 0;
  let i = 0;
  while (i < text.length) {
    if (!TERMINATORS.has(text[i])) {
      i += 1;
      continue;
    }
    let runEnd = i;
    while (runEnd < text.length && TERMINATORS.has(text[runEnd])) {
      runEnd += 1;
    }
    let end = runEnd;
    while (end < text.length && CLOSERS.has(text[end])) {
      end += 1;
    }
    if (endsSentence(text, i, runEnd, end)) {
      pieces.push(text.slice(start, end));
      start = end;
    }
    i = end;
  }
  pieces.push(text.slice(start));
  return pieces;
}

/** Whether the terminators at [runStart, runEnd), followed by closers up to `end`, finish a sentence. */
function endsSentence(text: string, runStart: number, runEnd: number, end: number): boolean {
  if (end >= text.length) {
    return true;
  }
  const run = text.slice(runStart, runEnd);
  if ([...run].some((char) => CJK_TERMINATORS.has(char))) {
    return true;
  }
  const ellipsis = ELLIPSIS_RUN.test(run);
  const next = text[end];
  if (next !== ' ') {
    // "3.5", "e.g.", "example.com" carry on; "OK!好的" starts a new sentence, "他说……我不知道" does not.
    return CJK_LETTER.test(next) && !ellipsis;
  }
  let j = end + 1;
  while (j < text.length && OPENERS.has(text[j])) {
    j += 1;
  }
  const following = String.fromCodePoint(text.codePointAt(j) ?? 0x20);
  // A lowercase word continues the sentence: "e.g. this", "\"Stop!\" he said", "wait... and then".
  if (/\p{Ll}/u.test(following)) {
    return false;
  }
  if (run === '.' && end === runEnd) {
    const token = TOKEN_BEFORE_PERIOD.exec(text.slice(Math.max(0, runStart - 24), runStart))?.[0] ?? '';
    const lower = token.toLowerCase();
    if (NON_FINAL_ABBREVIATIONS.has(lower) || /^\p{Lu}$/u.test(token)) {
      return false;
    }
    if (NUMERIC_ABBREVIATIONS.has(lower) && /\p{N}/u.test(following)) {
      return false;
    }
  }
  return true;
}

interface SpeechRate {
  wordsPerSecond: number;
  cjkCharsPerSecond: number;
  /** Mandarin reads "2024" digit by digit, about a syllable each; English reads a number as a word or two. */
  digitsAsSyllables: boolean;
}

/** Whose pace a script is sized for: a neural voice (OpenAI's), or espeak-ng (the offline voices). */
export type SpeechPace = 'neural' | 'espeak';

// espeak-ng as the offline voices run it (175 words/min; Mandarin through `cmn-latn-pinyin`),
// measured sentence by sentence on the offline writer's own scripts: en-us ~3.1 words/s, Mandarin
// ~3.7 Han/s (plain `cmn` is slower, ~2.6).
const SPEECH_RATES: Record<SpeechPace, Record<'en' | 'zh', SpeechRate>> = {
  neural: {
    en: { wordsPerSecond: 2.6, cjkCharsPerSecond: 4.5, digitsAsSyllables: false },
    zh: { wordsPerSecond: 2.6, cjkCharsPerSecond: 4.5, digitsAsSyllables: true },
  },
  espeak: {
    en: { wordsPerSecond: 3.1, cjkCharsPerSecond: 3.7, digitsAsSyllables: false },
    zh: { wordsPerSecond: 3.1, cjkCharsPerSecond: 3.7, digitsAsSyllables: true },
  },
};

/**
 * Rough narration time: for a neural voice ~2.6 words/s for space-separated words, ~4.5 characters/s for Han, kana
 * and Hangul (Mandarin); for espeak-ng see above. Mixed text counts both. Unknown languages use the English rate.
 */
export function estimateSpeechSeconds(text: string, language: string, pace: SpeechPace = 'neural'): number {
  const primary = language.trim().toLowerCase().split(/[-_]/)[0];
  const rate = SPEECH_RATES[pace][primary === 'zh' ? 'zh' : 'en'];
  let rest = text.replace(CJK_LETTERS, ' ');
  let syllables = countMatches(text, CJK_LETTERS);
  if (rate.digitsAsSyllables) {
    syllables += countMatches(rest, /\p{Nd}/gu);
    rest = rest.replace(/\p{Nd}/gu, ' ');
  }
  const words = countMatches(rest, /[\p{L}\p{N}][\p{L}\p{M}\p{N}'’-]*/gu);
  return syllables / rate.cjkCharsPerSecond + words / rate.wordsPerSecond;
}

function countMatches(text: string, pattern: RegExp): number {
  return text.match(pattern)?.length ?? 0;
}

/** Short-video scenes run a few seconds each; used when the caller does not say how many scenes to make. */
const DEFAULT_SECONDS_PER_SCENE = 6;
const MAX_DEFAULT_SCENES = 20;

/**
 * Groups a user's own script into scenes at sentence boundaries, balancing the scenes by character length.
 *
 * A sentence is never split, so with fewer sentences than `sceneCount` there are only as many scenes as sentences
 * (one each) rather than padded or empty ones. Without `sceneCount`, aims for ~6 s of speech per scene (at most 20).
 */
export function splitIntoScenes(text: string, sceneCount?: number): string[] {
  if (sceneCount !== undefined && (!Number.isInteger(sceneCount) || sceneCount < 1)) {
    throw new RangeError(`sceneCount must be a positive integer (got ${sceneCount})`);
  }
  const sentences = splitSentences(text);
  if (sentences.length === 0) {
    return [];
  }
  const wanted = sceneCount ?? defaultSceneCount(sentences);
  const count = Math.min(wanted, sentences.length);
  const starts = balancedPartition(
    sentences.map((sentence) => [...sentence].length),
    count,
  );
  return starts.map((start, group) => joinSentences(sentences.slice(start, starts[group + 1] ?? sentences.length)));
}

function defaultSceneCount(sentences: string[]): number {
  const text = joinSentences(sentences);
  const cjk = countMatches(text, CJK_LETTERS);
  const words = countMatches(text.replace(CJK_LETTERS, ' '), /[\p{L}\p{N}]+/gu);
  const seconds = estimateSpeechSeconds(text, cjk > words ? 'zh' : 'en');
  return Math.min(MAX_DEFAULT_SCENES, Math.max(1, Math.ceil(seconds / DEFAULT_SECONDS_PER_SCENE)));
}

/**
 * Cuts `weights` into `groups` contiguous, non-empty runs minimising the sum of squared run totals, which evens them
 * out. Returns each run's first index. Divide-and-conquer DP, O(groups · n · log n): squared sums satisfy the
 * quadrangle inequality, so the best cut point never moves left as the prefix grows.
 */
export function balancedPartition(weights: readonly number[], groups: number): number[] {
  const n = weights.length;
  if (!Number.isInteger(groups) || groups < 1 || groups > n) {
    throw new RangeError(`groups must be an integer between 1 and ${n} (got ${groups})`);
  }
  const prefix = [0];
  for (const weight of weights) {
    prefix.push(prefix[prefix.length - 1] + weight);
  }
  const cost = (from: number, to: number): number => (prefix[to] - prefix[from]) ** 2;

  let previous: number[] = Array.from({ length: n + 1 }, (_, i) => (i === 0 ? 0 : Infinity));
  const cuts: number[][] = [];
  for (let group = 1; group <= groups; group += 1) {
    const current = new Array<number>(n + 1).fill(Infinity);
    const cut = new Array<number>(n + 1).fill(0);
    const solve = (lo: number, hi: number, optLo: number, optHi: number): void => {
      if (lo > hi) {
        return;
      }
      const mid = (lo + hi) >> 1;
      let best = Infinity;
      let bestCut = optLo;
      for (let p = optLo; p <= Math.min(mid - 1, optHi); p += 1) {
        const candidate = previous[p] + cost(p, mid);
        if (candidate < best) {
          best = candidate;
          bestCut = p;
        }
      }
      current[mid] = best;
      cut[mid] = bestCut;
      solve(lo, mid - 1, optLo, bestCut);
      solve(mid + 1, hi, bestCut, optHi);
    };
    solve(group, n, group - 1, n - 1);
    cuts.push(cut);
    previous = current;
  }

  const starts: number[] = [];
  let end = n;
  for (let group = groups; group >= 1; group -= 1) {
    const start = cuts[group - 1][end];
    starts.unshift(start);
    end = start;
  }
  return starts;
}
