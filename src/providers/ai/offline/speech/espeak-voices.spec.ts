import {
  ESPEAK_VOICES,
  EspeakInventory,
  defaultEspeakVoiceKey,
  espeakVoiceArgument,
  isVoiceInstalled,
  parseEspeakVoiceList,
  toPublicVoice,
} from 'src/providers/ai/offline/speech/espeak-voices';

// Trimmed from espeak-ng 1.51 on Debian 12.
const VOICES_STDOUT = `Pty Language       Age/Gender VoiceName          File                 Other Languages
 5  cmn             --/M      Chinese_(Mandarin,_latin_as_English) sit/cmn              (zh-cmn 5)(zh 5)
 5  cmn-latn-pinyin --/M      Chinese_(Mandarin,_latin_as_Pinyin) sit/cmn-Latn-pinyin  (zh-cmn 5)(zh 5)
 5  de              --/M      German             gmw/de
 2  en-gb           --/M      English_(Great_Britain) gmw/en               (en 2)
 2  en-us           --/M      English_(America)  gmw/en-US            (en 3)
 5  es              --/M      Spanish_(Spain)    roa/es
 5  fr-fr           --/M      French_(France)    roa/fr               (fr 5)
`;
const VARIANTS_STDOUT = `Pty Language       Age/Gender VoiceName          File                 Other Languages
 5  variant         --/F      female3            !v/f3
 5  variant         --/M      Half-LifeAnnouncementSystem !v/announcer
 5  variant         --/M      klatt              !v/klatt
`;

const byId = (id: string) => ESPEAK_VOICES.find((voice) => voice.id === id)!;

describe('espeak voices', () => {
  describe(parseEspeakVoiceList.name, () => {
    it('reads language names from --voices, lower-cased, skipping the header', () => {
      const { languages, variants } = parseEspeakVoiceList(VOICES_STDOUT);
      expect([...languages].sort()).toEqual(['cmn', 'cmn-latn-pinyin', 'de', 'en-gb', 'en-us', 'es', 'fr-fr']);
      expect(variants.size).toBe(0);
    });

    it('reads variant names from the file column of --voices=variant', () => {
      const { languages, variants } = parseEspeakVoiceList(VARIANTS_STDOUT);
      expect([...variants].sort()).toEqual(['announcer', 'f3', 'klatt']);
      expect(languages.size).toBe(0);
    });

    it('returns nothing for empty or unexpected output', () => {
      expect(parseEspeakVoiceList('')).toEqual({ languages: new Set(), variants: new Set() });
      expect(parseEspeakVoiceList('Error: something\n')).toEqual({ languages: new Set(), variants: new Set() });
    });
  });

  describe(isVoiceInstalled.name, () => {
    const inventory: EspeakInventory = {
      languages: new Set(['en-us', 'cmn-latn-pinyin']),
      variants: new Set(['f3']),
    };

    it.each([
      ['espeak:en-us', true],
      ['espeak:en-us-f', true],
      ['espeak:cmn', true],
      ['espeak:cmn-f', true],
      ['espeak:en-gb', false],
      ['espeak:de', false],
    ])('%s → %s', (id, installed) => {
      expect(isVoiceInstalled(byId(id), inventory)).toBe(installed);
    });

    it('needs the variant too', () => {
      expect(isVoiceInstalled(byId('espeak:en-us-f'), { ...inventory, variants: new Set() })).toBe(false);
    });
  });

  it('has unique ids, all under the espeak provider', () => {
    const ids = ESPEAK_VOICES.map((voice) => voice.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const voice of ESPEAK_VOICES) {
      expect(voice.id).toMatch(/^espeak:[a-z-]+$/);
      expect(voice.provider).toBe('espeak');
    }
  });

  it('speaks Mandarin with cmn-latn-pinyin, never the cmn voice that reads tone digits in English', () => {
    expect(byId('espeak:cmn')).toMatchObject({ language: 'zh', espeakLanguage: 'cmn-latn-pinyin' });
    expect(espeakVoiceArgument(byId('espeak:cmn'))).toBe('cmn-latn-pinyin');
    expect(espeakVoiceArgument(byId('espeak:cmn-f'))).toBe('cmn-latn-pinyin+f3');
    expect(espeakVoiceArgument(byId('espeak:en-us'))).toBe('en-us');
  });

  it('shows only the public fields', () => {
    expect(toPublicVoice(byId('espeak:en-us-f'))).toEqual({
      id: 'espeak:en-us-f',
      provider: 'espeak',
      language: 'en-US',
      name: 'English (US), female',
      gender: 'female',
    });
  });

  describe(defaultEspeakVoiceKey.name, () => {
    it.each([
      ['en', 'en-us'],
      ['EN', 'en-us'],
      ['en-US', 'en-us'],
      ['en-GB', 'en-gb'],
      ['en_gb', 'en-gb'],
      ['en-AU', 'en-gb'],
      ['en-Latn-IN', 'en-gb'],
      ['zh', 'cmn'],
      ['zh-CN', 'cmn'],
      ['zh-Hans-CN', 'cmn'],
      ['zh-TW', 'cmn'],
      ['cmn', 'cmn'],
      ['zh-cmn', 'cmn'],
      [' de-DE ', 'de'],
      ['fr-CA', 'fr'],
      ['es-419', 'es'],
    ])('%s → %s', (language, key) => {
      expect(defaultEspeakVoiceKey(language)).toBe(key);
    });

    it.each(['yue', 'zh-yue', 'ja', 'xx', ''])('%j → none', (language) => {
      expect(defaultEspeakVoiceKey(language)).toBeUndefined();
    });
  });
});
