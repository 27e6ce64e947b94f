import { Voice } from 'src/providers/ai/speech-synthesizer.provider';

export const ESPEAK_PROVIDER = 'espeak';

/** One of our voice ids and what it means to espeak-ng. */
export interface EspeakVoice extends Voice {
  /** The `-v` language name as `espeak-ng --voices` lists it. */
  espeakLanguage: string;
  /** A variant from `espeak-ng --voices=variant` (e.g. "f3"), appended as `+f3`. */
  variant?: string;
}

/**
 * The catalogue, before checking what the installed espeak-ng has. Mandarin is `cmn-latn-pinyin` on purpose: the `cmn`
 * (= `zh`) voice of espeak-ng 1.51 reads many characters as English words with tone digits ("ren two"), while
 * `cmn-latn-pinyin` reads Han characters with the same dictionary and stays Mandarin throughout.
 */
export const ESPEAK_VOICES: readonly EspeakVoice[] = [
  voice('en-us', 'en-US', 'English (US)', 'male', 'en-us'),
  voice('en-us-f', 'en-US', 'English (US), female', 'female', 'en-us', 'f3'),
  voice('en-gb', 'en-GB', 'English (UK)', 'male', 'en-gb'),
  voice('en-gb-f', 'en-GB', 'English (UK), female', 'female', 'en-gb', 'f3'),
  voice('cmn', 'zh', 'Mandarin Chinese', 'male', 'cmn-latn-pinyin'),
  voice('cmn-f', 'zh', 'Mandarin Chinese, female', 'female', 'cmn-latn-pinyin', 'f3'),
  voice('de', 'de', 'German', 'male', 'de'),
  voice('fr', 'fr', 'French', 'male', 'fr-fr'),
  voice('es', 'es', 'Spanish', 'male', 'es'),
];

function voice(
  key: string,
  language: string,
  name: string,
  gender: 'female' | 'male',
  espeakLanguage: string,
  variant?: string,
): EspeakVoice {
  return {
    id: `${ESPEAK_PROVIDER}:${key}`,
    provider: ESPEAK_PROVIDER,
    language,
    name,
    gender,
    espeakLanguage,
    ...(variant ? { variant } : {}),
  };
}

/** What the installed espeak-ng can speak, lower-cased. */
export interface EspeakInventory {
  languages: ReadonlySet<string>;
  variants: ReadonlySet<string>;
}

/**
 * Reads `espeak-ng --voices` (languages) or `--voices=variant` output. Columns: Pty, Language, Age/Gender, VoiceName,
 * File, Other Languages; a variant's File is `!v/<name>`, and that name is what `+<name>` selects.
 */
export function parseEspeakVoiceList(stdout: string): { languages: Set<string>; variants: Set<string> } {
  const languages = new Set<string>();
  const variants = new Set<string>();
  for (const line of stdout.split('\n')) {
    const columns = line.trim().split(/\s+/);
    if (columns.length < 5 || !/^\d+$/.test(columns[0])) {
      continue;
    }
    const file = columns[4];
    if (columns[1] === 'variant' && file.startsWith('!v/')) {
      variants.add(file.slice(3).toLowerCase());
    } else if (columns[1] !== 'variant') {
      languages.add(columns[1].toLowerCase());
    }
  }
  return { languages, variants };
}

export function isVoiceInstalled(voice: EspeakVoice, inventory: EspeakInventory): boolean {
  return (
    inventory.languages.has(voice.espeakLanguage.toLowerCase()) &&
    (voice.variant === undefined || inventory.variants.has(voice.variant.toLowerCase()))
  );
}

/** The `-v` argument for a voice, e.g. "en-us+f3". */
export function espeakVoiceArgument(voice: EspeakVoice): string {
  return voice.variant ? `${voice.espeakLanguage}+${voice.variant}` : voice.espeakLanguage;
}

/** The public shape only: what GET /voices shows. */
export function toPublicVoice({ id, provider, language, name, gender }: EspeakVoice): Voice {
  return { id, provider, language, name, ...(gender ? { gender } : {}) };
}

/** English regions whose speech is closer to British than to American English. */
const BRITISH_ENGLISH_REGIONS = new Set(['gb', 'uk', 'ie', 'au', 'nz', 'za', 'in']);

/**
 * The voice key (without "espeak:") a language tag should default to: en → en-us, en-GB/en-AU/… → en-gb, zh, zh-CN,
 * zh-TW, zh-HK, cmn, zh-Hans-CN → cmn (written Chinese read in Mandarin). Cantonese (yue, zh-yue) has no voice.
 */
export function defaultEspeakVoiceKey(language: string): string | undefined {
  const subtags = language.trim().toLowerCase().replace(/_/g, '-').split('-');
  const [primary, ...rest] = subtags;
  switch (primary) {
    case 'en':
      return rest.some((subtag) => BRITISH_ENGLISH_REGIONS.has(subtag)) ? 'en-gb' : 'en-us';
    case 'zh':
    case 'cmn':
      return rest.includes('yue') ? undefined : 'cmn';
    case 'de':
    case 'fr':
    case 'es':
      return primary;
    default:
      return undefined;
  }
}
