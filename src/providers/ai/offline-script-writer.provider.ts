import { Injectable } from '@nestjs/common';
import { SCENE_TAIL_MS, SENTENCE_PAUSE_MS } from 'src/common/narration-timing';
import { AiProviderError } from 'src/providers/ai/ai-provider.errors';
import {
  FACETS,
  Facet,
  LanguageTemplates,
  Line,
  Tone,
  VISUAL_ANGLES,
  VISUAL_COMPOSITIONS,
  VISUAL_STYLES,
} from 'src/providers/ai/offline/script-templates';
import { EN_SCRIPT_TEMPLATES } from 'src/providers/ai/offline/script-templates.en';
import { ZH_SCRIPT_TEMPLATES } from 'src/providers/ai/offline/script-templates.zh';
import {
  SCRIPT_LIMITS,
  ScriptRequest,
  ScriptResult,
  ScriptWriter,
  normalizeScriptRequest,
  validateScript,
} from 'src/providers/ai/script-writer.provider';
import { estimateSpeechSeconds, joinSentences, splitSentences } from 'src/providers/ai/text/sentences';

export const OFFLINE_SCRIPT_PROVIDER = 'offline';
/**
 * Bump when the templates or the sizing change, so cached scripts keyed on the model are not served
 * for new wording (v2: sized for espeak-ng's pace and a render's pauses and scene tails).
 */
export const OFFLINE_SCRIPT_MODEL = 'offline-templates-v2';

type TemplateLanguage = 'en' | 'zh';
const TEMPLATES: Record<TemplateLanguage, LanguageTemplates> = { en: EN_SCRIPT_TEMPLATES, zh: ZH_SCRIPT_TEMPLATES };

/** A topic that takes longer than this to say is named in the title and visuals, and narrated as "this topic". */
const MAX_SPOKEN_TOPIC_SECONDS = 4.5;
const MAX_TITLE_TOPIC_CHARS = 80;

// The offline writer's scripts are spoken by the offline voices (espeak-ng), whose pace is not a
// neural voice's, and a render puts a pause after every sentence but a scene's last, which gets a
// longer tail: a sentence counts its pause, a scene the tail's difference.
const PAUSE_SECONDS = SENTENCE_PAUSE_MS / 1000;
const SCENE_EXTRA_SECONDS = (SCENE_TAIL_MS - SENTENCE_PAUSE_MS) / 1000;

/** Seconds of video a sentence makes when an offline voice speaks it: the speech and its pause. */
const offlineSentenceSeconds = (text: string, language: string) =>
  estimateSpeechSeconds(text, language, 'espeak') + PAUSE_SECONDS;

/**
 * About how long a script's video lasts when the offline voices speak it: espeak-ng's pace, the
 * pauses between sentences and each scene's tail. What `composeOfflineScript` sizes scripts by.
 */
export function offlineVideoSeconds(narrations: readonly string[], language: string): number {
  return narrations.reduce(
    (sum, narration) =>
      sum +
      splitSentences(narration).reduce((scene, text) => scene + offlineSentenceSeconds(text, language), 0) +
      SCENE_EXTRA_SECONDS,
    0,
  );
}

/** Which facets get a scene of their own when there is room for only some, best first. */
const BODY_PRIORITY: readonly Facet[] = [
  'intro',
  'why',
  'how',
  'tip',
  'fact',
  'example',
  'myth',
  'recap',
  'origin',
  'future',
];
/** Beyond one scene per facet (more than 12 scenes), these facets get a second and a third scene. */
const REPEAT_ORDER: readonly Facet[] = ['tip', 'example', 'how', 'fact', 'tip', 'example', 'how', 'fact'];
const BODY_FACETS: readonly Facet[] = FACETS.filter((facet) => facet !== 'hook' && facet !== 'cta');

const TONE_WORDS = new Map<string, Tone>([
  ['neutral', 'neutral'],
  ['informative', 'neutral'],
  ['playful', 'playful'],
  ['fun', 'playful'],
  ['funny', 'playful'],
  ['humorous', 'playful'],
  ['humourous', 'playful'],
  ['casual', 'playful'],
  ['lighthearted', 'playful'],
  ['witty', 'playful'],
  ['serious', 'serious'],
  ['formal', 'serious'],
  ['professional', 'serious'],
  ['academic', 'serious'],
  ['inspiring', 'inspiring'],
  ['inspirational', 'inspiring'],
  ['motivational', 'inspiring'],
  ['motivating', 'inspiring'],
  ['uplifting', 'inspiring'],
]);
const CHINESE_TONE_WORDS: readonly [string, Tone][] = [
  ['幽默', 'playful'],
  ['轻松', 'playful'],
  ['有趣', 'playful'],
  ['活泼', 'playful'],
  ['俏皮', 'playful'],
  ['严肃', 'serious'],
  ['正式', 'serious'],
  ['专业', 'serious'],
  ['励志', 'inspiring'],
  ['激励', 'inspiring'],
  ['鼓舞', 'inspiring'],
];

/**
 * The offline writer has hand-written templates for English and Simplified Chinese only. Any other language, including
 * Traditional Chinese, is refused (AI_REFUSED, not retryable) rather than answered in a language nobody asked for.
 */
export function offlineTemplateLanguage(language: string): TemplateLanguage | undefined {
  const [primary, ...subtags] = language.trim().toLowerCase().split(/[-_]/);
  if (primary === 'en') {
    return 'en';
  }
  if ((primary === 'zh' || primary === 'cmn') && !subtags.some((tag) => ['hant', 'tw', 'hk', 'mo'].includes(tag))) {
    return 'zh';
  }
  return undefined;
}

function resolveOfflineLanguage(language: string): TemplateLanguage {
  const resolved = offlineTemplateLanguage(language);
  if (!resolved) {
    throw AiProviderError.refused(
      `The offline script writer supports languages en, zh (Simplified Chinese); got "${language}"`,
      { provider: OFFLINE_SCRIPT_PROVIDER },
    );
  }
  return resolved;
}

/** Tone is free text; the first word we recognise wins, anything else reads neutral. */
export function resolveTone(tone: string | undefined): Tone {
  const normalized = (tone ?? '').toLowerCase();
  for (const word of normalized.split(/[^\p{L}]+/u)) {
    const known = TONE_WORDS.get(word);
    if (known) {
      return known;
    }
  }
  return CHINESE_TONE_WORDS.find(([word]) => normalized.includes(word))?.[1] ?? 'neutral';
}

export interface SceneSlot {
  facet: Facet;
  /** 0 for a facet's first scene, 1 and 2 for its repeats. */
  occurrence: number;
  occurrences: number;
  /** Facets without a scene of their own, told inside this one when the duration leaves room. */
  absorbs: Facet[];
  /** The only scene: opens like the hook, covers everything, closes like the call to action. */
  solo: boolean;
}

/**
 * What each scene covers: a hook, body facets chosen by priority and told in narrative order, and a call to action.
 * Facets that do not get a scene are folded into the scene before them, so short scripts still have material to fill
 * a long duration.
 */
export function planScenes(sceneCount: number): SceneSlot[] {
  const slot = (facet: Facet, occurrence = 0, occurrences = 1): SceneSlot => ({
    facet,
    occurrence,
    occurrences,
    absorbs: [],
    solo: false,
  });
  if (sceneCount === 1) {
    return [{ ...slot('hook'), absorbs: [...BODY_FACETS], solo: true }];
  }
  const chosen = new Set(BODY_PRIORITY.slice(0, sceneCount - 2));
  const repeats = REPEAT_ORDER.slice(0, Math.max(0, sceneCount - 2 - BODY_PRIORITY.length));
  const slots = [slot('hook')];
  for (const facet of BODY_FACETS) {
    if (!chosen.has(facet)) {
      slots[slots.length - 1].absorbs.push(facet);
      continue;
    }
    const occurrences = 1 + repeats.filter((repeated) => repeated === facet).length;
    for (let occurrence = 0; occurrence < occurrences; occurrence += 1) {
      slots.push(slot(facet, occurrence, occurrences));
    }
  }
  slots.push(slot('cta'));
  return slots;
}

interface Sentence {
  text: string;
  seconds: number;
}

/** A sentence every scene speaks, with a shorter alternative for tight budgets. */
interface FixedSentence {
  full: Sentence;
  short?: Sentence;
  useShort: boolean;
}

/** Sentences spoken or left out together: a facet's opening question never goes without its first answer. */
interface Passage {
  sentences: Sentence[];
  seconds: number;
  /** Which facet block of the scene it belongs to, and its place there; a block is spoken from its start. */
  section: number;
  position: number;
  chosen: boolean;
}

interface SceneDraft {
  opening: FixedSentence;
  /** Breadth first (every block's first passage, then every block's second…), so a scene folding in several facets
   * touches each before elaborating on any. */
  passages: Passage[];
  closing?: FixedSentence;
  visualPrompt: string;
}

/**
 * Writes a script from templates: deterministic (the only variation is seeded from a hash of the request), and sized
 * so the video the offline voices make of it lands close to `durationSeconds` (`offlineVideoSeconds`). Best effort
 * at the extremes: every scene speaks at least one short sentence (about 1.5 s), so 20 scenes cannot fit 10 seconds.
 */
export function composeOfflineScript(input: ScriptRequest): ScriptResult {
  const request = normalizeScriptRequest(input);
  const language = resolveOfflineLanguage(request.language);
  const templates = TEMPLATES[language];
  const tone = resolveTone(request.tone);
  const { topic } = request;
  const spokenTopic = stripTrailingPunctuation(topic);
  const ref =
    spokenTopic && estimateSpeechSeconds(spokenTopic, language) <= MAX_SPOKEN_TOPIC_SECONDS
      ? quoteIfQuestion(topic, spokenTopic, language)
      : templates.topicStandIn;
  const seed = fnv1a([topic, language, request.sceneCount, request.durationSeconds, tone].join('\u0000'));

  const sentence = (line: Line): Sentence => {
    const text = typeof line === 'string' ? line : line(ref);
    return { text, seconds: offlineSentenceSeconds(text, language) };
  };
  const facetOpening = (facet: Facet, salt: string): Sentence => {
    const leads = templates.facets[facet].lead[tone];
    return sentence(leads[fnv1a(`${seed}/${salt}`) % leads.length]);
  };

  const drafts = planScenes(request.sceneCount).map((slot, index): SceneDraft => {
    const facet = templates.facets[slot.facet];
    const repeat = slot.occurrence > 0 ? facet.more?.[slot.occurrence - 1] : undefined;
    const chunk = Math.ceil(facet.support.length / slot.occurrences);
    const sections: Sentence[][][] = [
      facet.support.slice(slot.occurrence * chunk, (slot.occurrence + 1) * chunk).map((line) => [sentence(line)]),
    ];
    slot.absorbs.forEach((absorbed, position) => {
      const [first, ...rest] = templates.facets[absorbed].support.map(sentence);
      sections.push([[facetOpening(absorbed, `${index}/${position}`), first], ...rest.map((line) => [line])]);
    });
    if (slot.solo) {
      sections.push(templates.facets.cta.support.map((line) => [sentence(line)]));
    }
    const ends = slot.solo || slot.facet === 'cta';
    const angle = VISUAL_ANGLES[slot.occurrence] ?? '';
    return {
      opening:
        repeat === undefined
          ? { full: facetOpening(slot.facet, String(index)), short: sentence(facet.short), useShort: false }
          : { full: sentence(repeat), useShort: false },
      passages: toPassages(sections),
      closing: ends
        ? { full: sentence(templates.signOff[tone]), short: sentence(templates.shortSignOff), useShort: false }
        : undefined,
      visualPrompt: [VISUAL_COMPOSITIONS[slot.facet](topic), angle, VISUAL_STYLES[tone], 'no text or lettering']
        .filter(Boolean)
        .join(', '),
    };
  });
  fitToDuration(drafts, request.durationSeconds - drafts.length * SCENE_EXTRA_SECONDS);

  const scenes = drafts.map((draft, index) => ({
    index,
    narration: joinSentences(spokenSentences(draft).map((spoken) => spoken.text)),
    visualPrompt: draft.visualPrompt,
  }));
  const script = validateScript({ title: buildTitle(topic, templates, tone), scenes }, request);
  return {
    script,
    provider: OFFLINE_SCRIPT_PROVIDER,
    model: OFFLINE_SCRIPT_MODEL,
    usage: { characters: script.scenes.reduce((sum, scene) => sum + [...scene.narration].length, 0) },
  };
}

function toPassages(sections: Sentence[][][]): Passage[] {
  const passages = sections.flatMap((section, sectionIndex) =>
    section.map((sentences, position) => ({
      sentences,
      seconds: sumSeconds(sentences),
      section: sectionIndex,
      position,
      chosen: false,
    })),
  );
  return passages.sort((a, b) => a.position - b.position || a.section - b.section);
}

function spoken(fixed: FixedSentence): Sentence {
  return fixed.useShort && fixed.short ? fixed.short : fixed.full;
}

function spokenSentences(draft: SceneDraft): Sentence[] {
  const middle = draft.passages
    .filter((passage) => passage.chosen)
    .sort((a, b) => a.section - b.section || a.position - b.position)
    .flatMap((passage) => passage.sentences);
  return [spoken(draft.opening), ...middle, ...(draft.closing ? [spoken(draft.closing)] : [])];
}

function sumSeconds(sentences: Sentence[]): number {
  return sentences.reduce((sum, sentence) => sum + sentence.seconds, 0);
}

/** A passage can be spoken once the one before it in its block is. */
function isReady(draft: SceneDraft, passage: Passage): boolean {
  return (
    !passage.chosen &&
    (passage.position === 0 ||
      draft.passages.some(
        (other) => other.chosen && other.section === passage.section && other.position === passage.position - 1,
      ))
  );
}

/**
 * Swaps in short openings and sign-offs (biggest saving first) while over the target, then adds passages to the scene
 * that is currently shortest, as long as each step brings the total closer to the target, then shortens once more.
 */
function fitToDuration(drafts: SceneDraft[], targetSeconds: number): void {
  const secondsOf = (draft: SceneDraft): number => sumSeconds(spokenSentences(draft));
  let total = drafts.reduce((sum, draft) => sum + secondsOf(draft), 0);
  const improves = (next: number): boolean => Math.abs(next - targetSeconds) < Math.abs(total - targetSeconds);

  const saving = (fixed: FixedSentence): number => fixed.full.seconds - (fixed.short?.seconds ?? fixed.full.seconds);
  const fixed = drafts
    .flatMap((draft) => (draft.closing ? [draft.opening, draft.closing] : [draft.opening]))
    .sort((a, b) => saving(b) - saving(a));
  const shorten = (): void => {
    for (const sentence of fixed) {
      if (sentence.short && !sentence.useShort && improves(total - saving(sentence))) {
        total -= saving(sentence);
        sentence.useShort = true;
      }
    }
  };
  shorten();

  const fitsNarration = (draft: SceneDraft, passage: Passage): boolean =>
    [...spokenSentences(draft), ...passage.sentences].reduce((sum, { text }) => sum + text.length + 1, 0) <=
    SCRIPT_LIMITS.narrationMaxChars;
  for (;;) {
    let added = false;
    for (const draft of [...drafts].sort((a, b) => secondsOf(a) - secondsOf(b))) {
      const passage = draft.passages.find(
        (candidate) =>
          isReady(draft, candidate) && improves(total + candidate.seconds) && fitsNarration(draft, candidate),
      );
      if (passage) {
        passage.chosen = true;
        total += passage.seconds;
        added = true;
        break;
      }
    }
    if (!added) {
      // The last passage may have overshot by more than a shorter opening saves.
      shorten();
      return;
    }
  }
}

function buildTitle(topic: string, templates: LanguageTemplates, tone: Tone): string {
  const bare = stripTrailingPunctuation(topic);
  if (!bare || /[?？]$/.test(topic) || [...bare].length > MAX_TITLE_TOPIC_CHARS) {
    return truncate(topic, MAX_TITLE_TOPIC_CHARS);
  }
  return templates.title[tone](capitalizeFirst(bare));
}

/** Drops what would clash with the sentence the topic is embedded in ("…about black holes?."). */
function stripTrailingPunctuation(text: string): string {
  return text.replace(/[\s.!?。！？…,，;；:：、]+$/u, '');
}

const EN_QUESTION = /^(?:how|why|what|when|where|who|which|can|could|does|do|did|is|are|should|will|would)\b/i;
const ZH_QUESTION = /吗|什么|为什么|为何|怎么|怎样|如何|哪|多少|是否/;

/** Templates read the topic as a noun phrase; a question embedded as one reads better quoted. */
function quoteIfQuestion(topic: string, spoken: string, language: TemplateLanguage): string {
  if (language === 'zh') {
    return /[?？]$/.test(topic) || ZH_QUESTION.test(spoken) ? `“${spoken}”` : spoken;
  }
  return /[?？]$/.test(topic) || EN_QUESTION.test(spoken) ? `"${spoken}"` : spoken;
}

/** "black holes" → "Black holes"; "iPhone" stays as written. */
function capitalizeFirst(text: string): string {
  const [first = '', second = ''] = [...text];
  return /\p{Ll}/u.test(first) && !/\p{Lu}/u.test(second) ? first.toUpperCase() + text.slice(first.length) : text;
}

function truncate(text: string, maxChars: number): string {
  const chars = [...text];
  if (chars.length <= maxChars) {
    return text;
  }
  const cut = chars.slice(0, maxChars - 1).join('');
  const space = cut.lastIndexOf(' ');
  return `${(space > maxChars / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** FNV-1a, 32 bit: a stable, dependency-free hash for seeding template choices. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** Offline script writing from templates: no network, no randomness, the same request always gives the same script. */
@Injectable()
export class OfflineScriptWriter extends ScriptWriter {
  override readonly name = OFFLINE_SCRIPT_PROVIDER;

  override get model(): string {
    return OFFLINE_SCRIPT_MODEL;
  }

  override supportsLanguage(language: string): boolean {
    return offlineTemplateLanguage(language) !== undefined;
  }

  override write(request: ScriptRequest, signal?: AbortSignal): Promise<ScriptResult> {
    // The executor turns a synchronous throw (bad request, unsupported language, abort) into a rejection.
    return new Promise((resolve) => {
      signal?.throwIfAborted();
      resolve(composeOfflineScript(request));
    });
  }
}
