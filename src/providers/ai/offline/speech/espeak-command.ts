import { collapseWhitespace } from 'src/providers/ai/text/sentences';

/** espeak-ng's own default rate is speed 1. */
export const ESPEAK_BASE_WORDS_PER_MINUTE = 175;
export const MIN_SPEED = 0.5;
export const MAX_SPEED = 2;
/** The contract's limit for one utterance (API.md, POST /voice/synthesize). */
export const MAX_SPEECH_CHARS = 5000;

/** Words per minute for espeak-ng's `-s`: 175 × speed, with speed clamped to 0.5–2 (88–350 wpm). */
export function espeakWordsPerMinute(speed: number): number {
  const clamped = Math.min(MAX_SPEED, Math.max(MIN_SPEED, speed));
  return Math.round(ESPEAK_BASE_WORDS_PER_MINUTE * clamped);
}

/** Something espeak-ng can say: without a letter or digit it writes a silent or an empty file. */
export function hasSpeakableText(text: string): boolean {
  return /[\p{L}\p{N}]/u.test(text);
}

const FULL_STOP_BETWEEN_DIGITS = /(\d)\.(?=\d)/g;
const PERCENTAGE = /(\d+(?:\.\d+)?)\s*%/g;

/**
 * Text as espeak-ng should get it, for a voice of `language`.
 *
 * - NFKC, because espeak-ng 1.51 skips full-width digits and letters ("２０２４" is silent) and NFKC maps them to ASCII.
 * - Whitespace collapsed and control characters dropped.
 * - "[[" split: espeak-ng reads `[[...]]` as phoneme mnemonics even without `-m`, and user text is spoken literally.
 * - Mandarin only: "25%" becomes "百分之25" and "3.5" becomes "3点5"; the cmn voice says "percent" in English and skips
 *   the decimal point. Everything else (Han characters, digits, pinyin, stray Latin words) cmn-latn-pinyin reads itself.
 */
export function prepareEspeakText(text: string, language: string): string {
  let prepared = collapseWhitespace(text.normalize('NFKC')).replace(/\[(?=\[)/g, '[ ');
  if (isMandarin(language)) {
    prepared = prepared
      .replace(PERCENTAGE, (_, number: string) => `百分之${number}`)
      .replace(FULL_STOP_BETWEEN_DIGITS, '$1点');
  }
  return prepared;
}

function isMandarin(language: string): boolean {
  const primary = language.trim().toLowerCase().split(/[-_]/)[0];
  return primary === 'zh' || primary === 'cmn';
}

export interface EspeakCommand {
  /** The `-v` argument, e.g. "cmn-latn-pinyin" or "en-us+f3". */
  voice: string;
  wordsPerMinute: number;
  outPath: string;
  text: string;
}

/**
 * The argv for one utterance. The text is one argument after `--`, so a leading "-" is spoken rather than parsed as an
 * option, and no shell ever sees it; 5000 characters (≤ 20 kB UTF-8) are far below the kernel's 128 kB per argument.
 */
export function buildEspeakArgs({ voice, wordsPerMinute, outPath, text }: EspeakCommand): string[] {
  return ['-v', voice, '-s', String(wordsPerMinute), '-w', outPath, '--', text];
}
