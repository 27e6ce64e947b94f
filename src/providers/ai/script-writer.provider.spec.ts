import { AiProviderError } from 'src/providers/ai/ai-provider.errors';
import {
  SCRIPT_OUTPUT_JSON_SCHEMA,
  ScriptRequest,
  normalizeScriptRequest,
  parseScriptJson,
  validateScript,
} from 'src/providers/ai/script-writer.provider';

const scene = (index: number, narration = `Scene ${index} narration.`) => ({
  index,
  narration,
  visualPrompt: `A concrete picture for scene ${index}`,
});
const rawScript = (count: number) => ({
  title: 'Black Holes, Explained',
  scenes: Array.from({ length: count }, (_, index) => scene(index)),
});

function badOutput(action: () => unknown): AiProviderError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(AiProviderError);
    expect((error as AiProviderError).code).toBe('AI_BAD_OUTPUT');
    return error as AiProviderError;
  }
  throw new Error('expected AI_BAD_OUTPUT');
}

describe(validateScript.name, () => {
  const request = { sceneCount: 2, language: 'en' };

  it('accepts a well-formed script and returns exactly what the contract needs', () => {
    expect(validateScript(rawScript(2), request)).toEqual({
      title: 'Black Holes, Explained',
      language: 'en',
      scenes: [scene(0), scene(1)],
    });
  });

  it('normalises: trims, collapses whitespace, fills missing indexes, drops extra fields, sets the language', () => {
    const raw = {
      title: '  Black\n holes ',
      language: 'zh-Hans',
      mood: 'ignored',
      scenes: [
        { narration: ' 黑洞是\n怎么形成的？ ', visualPrompt: ' A  black hole ', extra: 1 },
        { index: 1, narration: '它们来自恒星。', visualPrompt: 'A star\tcollapsing' },
      ],
    };
    expect(validateScript(raw, { sceneCount: 2, language: 'zh-CN' })).toEqual({
      title: 'Black holes',
      language: 'zh-CN',
      scenes: [
        { index: 0, narration: '黑洞是 怎么形成的？', visualPrompt: 'A black hole' },
        { index: 1, narration: '它们来自恒星。', visualPrompt: 'A star collapsing' },
      ],
    });
  });

  it.each<[string, unknown, RegExp]>([
    ['null', null, /must be an object \(got null\)/],
    ['a string', 'Here is your script', /must be an object \(got a string\)/],
    ['an array', [scene(0), scene(1)], /must be an object \(got an array\)/],
    ['a missing title', { scenes: rawScript(2).scenes }, /title must be a string \(got undefined\)/],
    ['a blank title', { ...rawScript(2), title: ' \n ' }, /title must not be empty/],
    ['a numeric title', { ...rawScript(2), title: 42 }, /title must be a string \(got 42\)/],
    ['an overlong title', { ...rawScript(2), title: 'x'.repeat(201) }, /title must be at most 200 characters/],
    ['scenes that are not an array', { title: 't', scenes: { 0: scene(0) } }, /scenes must be an array/],
    ['too few scenes', rawScript(1), /expected exactly 2 scenes \(got 1\)/],
    ['too many scenes', rawScript(3), /expected exactly 2 scenes \(got 3\)/],
    ['a scene that is not an object', { ...rawScript(2), scenes: [scene(0), 'scene two'] }, /scenes\[1\] must be/],
    [
      'a missing narration',
      { ...rawScript(2), scenes: [scene(0), { index: 1, visualPrompt: 'p' }] },
      /scenes\[1\]\.narration must be a string/,
    ],
    [
      'an empty narration',
      { ...rawScript(2), scenes: [scene(0), scene(1, '   ')] },
      /scenes\[1\]\.narration must not be empty/,
    ],
    [
      'an overlong narration',
      { ...rawScript(2), scenes: [scene(0), scene(1, 'word '.repeat(1001))] },
      /scenes\[1\]\.narration must be at most 5000 characters/,
    ],
    [
      'an empty visual prompt',
      { ...rawScript(2), scenes: [scene(0), { ...scene(1), visualPrompt: '' }] },
      /scenes\[1\]\.visualPrompt must not be empty/,
    ],
    [
      'a missing visual prompt',
      { ...rawScript(2), scenes: [{ index: 0, narration: 'n' }, scene(1)] },
      /scenes\[0\]\.visualPrompt must be a string/,
    ],
    [
      '1-based indexes',
      {
        ...rawScript(2),
        scenes: [
          { ...scene(0), index: 1 },
          { ...scene(1), index: 2 },
        ],
      },
      /scenes\[0\]\.index must be 0 \(got 1\).*scenes\[1\]\.index must be 1 \(got 2\)/,
    ],
    [
      'indexes out of order',
      { ...rawScript(2), scenes: [scene(1), scene(0)] },
      /scenes\[0\]\.index must be 0 \(got 1\)/,
    ],
    ['a string index', { ...rawScript(2), scenes: [{ ...scene(0), index: '0' }, scene(1)] }, /index must be 0/],
    ['another language', { ...rawScript(2), language: 'fr' }, /language must be "en"/],
  ])('rejects %s with AI_BAD_OUTPUT', (_case, raw, message) => {
    expect(badOutput(() => validateScript(raw, request)).message).toMatch(message);
  });

  it.each<[string, string, string]>([
    ['Chinese narration', 'zh', 'Black holes form when stars collapse.'],
    ['English narration', 'en', '黑洞是恒星坍缩形成的。'],
  ])('rejects narration not written in the requested script (%s)', (_case, language, narration) => {
    const raw = { title: 'Title', scenes: [scene(0, narration)] };
    expect(badOutput(() => validateScript(raw, { sceneCount: 1, language })).message).toMatch(
      /scenes\[0\]\.narration has no (Latin letters|Chinese characters)/,
    );
  });

  it('does not guess the script of languages it has no rule for', () => {
    const raw = { title: 'Titre', scenes: [scene(0, 'Les trous noirs.')] };
    expect(validateScript(raw, { sceneCount: 1, language: 'fr' }).language).toBe('fr');
  });

  it('lists the first problems and counts the rest, without echoing model output', () => {
    const raw = { title: '', scenes: Array.from({ length: 8 }, () => ({ narration: 'SECRET-ish text' })) };
    const { message } = badOutput(() => validateScript(raw, { sceneCount: 8, language: 'en' }));
    expect(message).toMatch(/^Invalid script: title must not be empty; scenes\[0\]\.visualPrompt must be a string/);
    expect(message).toMatch(/; and 4 more$/);
    expect(message).not.toContain('SECRET');
  });

  it('is idempotent', () => {
    const once = validateScript(rawScript(2), request);
    expect(validateScript(once, request)).toEqual(once);
  });
});

describe(parseScriptJson.name, () => {
  it.each<[string, string]>([
    ['bare JSON', '{"title":"t","scenes":[]}'],
    ['a fenced block', '```json\n{"title":"t","scenes":[]}\n```'],
    ['an unlabelled fence with padding', '  ```\n{"title":"t","scenes":[]}\n```  '],
  ])('parses %s', (_case, content) => {
    expect(parseScriptJson(content)).toEqual({ title: 't', scenes: [] });
  });

  it.each(['', 'Sure! Here is your script:', '{"title": "t",'])('rejects %p with AI_BAD_OUTPUT', (content) => {
    expect(badOutput(() => parseScriptJson(content)).message).toMatch(/^Script output is not valid JSON/);
  });

  it('describes the shape validateScript accepts', () => {
    const parsed = parseScriptJson(JSON.stringify(rawScript(1)));
    expect(Object.keys(parsed as object)).toEqual([...SCRIPT_OUTPUT_JSON_SCHEMA.required]);
    expect(Object.keys(rawScript(1).scenes[0])).toEqual([
      ...SCRIPT_OUTPUT_JSON_SCHEMA.properties.scenes.items.required,
    ]);
    expect(validateScript(parsed, { sceneCount: 1, language: 'en' }).scenes).toHaveLength(1);
  });
});

describe(normalizeScriptRequest.name, () => {
  const valid: ScriptRequest = { topic: 'black holes', language: 'en', sceneCount: 5, durationSeconds: 30 };

  it('collapses whitespace in the topic and tone and trims the language', () => {
    expect(
      normalizeScriptRequest({ ...valid, topic: '  black\n\n holes\t', language: ' zh-CN ', tone: '  playful ' }),
    ).toEqual({ ...valid, topic: 'black holes', language: 'zh-CN', tone: 'playful' });
  });

  it('drops a blank tone', () => {
    expect(normalizeScriptRequest({ ...valid, tone: '   ' })).toEqual(valid);
  });

  it('counts the topic limit in characters, not UTF-16 units', () => {
    expect(normalizeScriptRequest({ ...valid, topic: '𠀀'.repeat(500) }).topic).toHaveLength(1000);
  });

  it.each<[string, Partial<ScriptRequest>, RegExp]>([
    ['a blank topic', { topic: ' \n\t ' }, /topic must contain visible text/],
    ['an overlong topic', { topic: 'x'.repeat(501) }, /topic must be at most 500 characters/],
    ['an empty language', { language: '' }, /language must be a language tag/],
    ['a language that is not a tag', { language: 'english please' }, /language must be a language tag/],
    ['no scenes', { sceneCount: 0 }, /sceneCount must be an integer from 1 to 20/],
    ['too many scenes', { sceneCount: 21 }, /sceneCount/],
    ['a fractional scene count', { sceneCount: 2.5 }, /sceneCount/],
    ['too short', { durationSeconds: 4 }, /durationSeconds must be from 5 to 300/],
    ['too long', { durationSeconds: 301 }, /durationSeconds/],
    ['a duration that is not a number', { durationSeconds: Number.NaN }, /durationSeconds/],
  ])('refuses %s (AI_REFUSED, not retryable)', (_case, change, message) => {
    try {
      normalizeScriptRequest({ ...valid, ...change });
      throw new Error('expected AI_REFUSED');
    } catch (error) {
      expect(error).toMatchObject({ code: 'AI_REFUSED', retryable: false });
      expect((error as Error).message).toMatch(message);
    }
  });
});
