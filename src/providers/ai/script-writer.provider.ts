import { AiProviderError } from 'src/providers/ai/ai-provider.errors';
import { collapseWhitespace } from 'src/providers/ai/text/sentences';

export interface ScriptRequest {
  /** User text: embedded in prompts and templates as data, never interpreted. */
  topic: string;
  /** BCP 47 tag as the user sent it, e.g. "en", "zh", "zh-CN". */
  language: string;
  sceneCount: number;
  durationSeconds: number;
  tone?: string;
}

export interface ScriptScene {
  /** 0-based, in playback order. */
  index: number;
  /** Spoken text, in the script's language. */
  narration: string;
  /** An image prompt for the scene's visual, written in English (image models follow English best). */
  visualPrompt: string;
}

export interface Script {
  title: string;
  language: string;
  scenes: ScriptScene[];
}

export interface ScriptUsage {
  promptTokens?: number;
  completionTokens?: number;
  totalTokens?: number;
  /** Characters of narration produced, for providers that do not count tokens. */
  characters?: number;
}

export interface ScriptResult {
  script: Script;
  usage?: ScriptUsage;
  /** The writer's `name`, e.g. "openai" or "offline". */
  provider: string;
  /** The model or template version; part of what a cached script depends on. */
  model?: string;
}

/**
 * Writes a scene-by-scene script for a topic. A DI token: the AI providers module binds it to the OpenAI or the
 * offline implementation.
 *
 * Implementations return scripts that passed `validateScript`, throw `AiProviderError` for every failure they expect,
 * and reject with the signal's reason once `signal` aborts.
 */
export abstract class ScriptWriter {
  abstract readonly name: string;

  /** The model or template version; with `name`, part of what a cached script depends on. */
  abstract get model(): string;

  /** Whether `write` can serve this language tag, so callers can reject a request before queueing it. */
  abstract supportsLanguage(language: string): boolean;

  abstract write(request: ScriptRequest, signal?: AbortSignal): Promise<ScriptResult>;
}

/** The contract's request limits (API.md, POST /scripts), and what one scene may hold downstream. */
export const SCRIPT_LIMITS = {
  topicMaxChars: 500,
  minScenes: 1,
  maxScenes: 20,
  minDurationSeconds: 5,
  maxDurationSeconds: 300,
  titleMaxChars: 200,
  /** Each narration is synthesised on its own, and voice synthesis takes at most 5000 characters. */
  narrationMaxChars: 5000,
  /** The smallest common image-prompt limit (4000 characters). */
  visualPromptMaxChars: 4000,
} as const;

const LANGUAGE_TAG = /^[a-z]{2,3}(?:[-_][a-z0-9]{1,8})*$/i;

/**
 * Trims and collapses the topic and tone, and checks the request against the contract. The DTO already enforces the
 * limits, so a failure here means a caller skipped it: AI_REFUSED, since retrying cannot help.
 */
export function normalizeScriptRequest(request: ScriptRequest): ScriptRequest {
  const problems: string[] = [];
  const topic = typeof request.topic === 'string' ? collapseWhitespace(request.topic) : '';
  if (!topic) {
    problems.push('topic must contain visible text');
  } else if ([...topic].length > SCRIPT_LIMITS.topicMaxChars) {
    problems.push(`topic must be at most ${SCRIPT_LIMITS.topicMaxChars} characters`);
  }
  const language = typeof request.language === 'string' ? request.language.trim() : '';
  if (!LANGUAGE_TAG.test(language)) {
    problems.push('language must be a language tag such as "en" or "zh"');
  }
  const { sceneCount, durationSeconds } = request;
  if (!Number.isInteger(sceneCount) || sceneCount < SCRIPT_LIMITS.minScenes || sceneCount > SCRIPT_LIMITS.maxScenes) {
    problems.push(`sceneCount must be an integer from ${SCRIPT_LIMITS.minScenes} to ${SCRIPT_LIMITS.maxScenes}`);
  }
  if (
    !Number.isFinite(durationSeconds) ||
    durationSeconds < SCRIPT_LIMITS.minDurationSeconds ||
    durationSeconds > SCRIPT_LIMITS.maxDurationSeconds
  ) {
    problems.push(
      `durationSeconds must be from ${SCRIPT_LIMITS.minDurationSeconds} to ${SCRIPT_LIMITS.maxDurationSeconds}`,
    );
  }
  if (problems.length > 0) {
    throw AiProviderError.refused(`Invalid script request: ${problems.join('; ')}`);
  }
  const tone = typeof request.tone === 'string' ? collapseWhitespace(request.tone) : '';
  return { topic, language, sceneCount, durationSeconds, ...(tone ? { tone } : {}) };
}

/**
 * The JSON a model is asked for (e.g. as an OpenAI `response_format` json_schema with `strict: true`); `validateScript`
 * is the authority on what is accepted.
 */
export const SCRIPT_OUTPUT_JSON_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['title', 'scenes'],
  properties: {
    title: { type: 'string' },
    scenes: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['index', 'narration', 'visualPrompt'],
        properties: {
          index: { type: 'integer', description: '0-based position of the scene' },
          narration: { type: 'string', description: 'What the narrator says, in the script language' },
          visualPrompt: { type: 'string', description: 'A concrete image description, in English' },
        },
      },
    },
  },
} as const;

/** Parses a chat completion's text as JSON, tolerating a Markdown code fence around it. */
export function parseScriptJson(content: string): unknown {
  const fenced = /^```(?:json)?\s*([\s\S]*?)\s*```$/i.exec(content.trim());
  const json = fenced ? fenced[1] : content.trim();
  try {
    return JSON.parse(json) as unknown;
  } catch (error) {
    throw AiProviderError.badOutput(`Script output is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
}

/** Text a reader of the language would expect: zh narration needs Han characters, en narration Latin letters. */
const SCRIPT_OF_LANGUAGE = new Map<string, { pattern: RegExp; name: string }>([
  ['en', { pattern: /\p{Script=Latin}/u, name: 'Latin letters' }],
  ['zh', { pattern: /\p{Script=Han}/u, name: 'Chinese characters' }],
]);

const MAX_REPORTED_PROBLEMS = 5;

/**
 * Checks and normalises a provider's raw script: whitespace collapsed and trimmed, exactly `sceneCount` scenes with
 * non-empty narration and visualPrompt, indexes 0..n-1 in order (a missing index is filled in), a non-empty title, and
 * `language` set to the requested tag. A model's own `language`, when given, must match the request's primary subtag.
 * Extra fields are dropped. Throws AI_BAD_OUTPUT listing what is wrong.
 */
export function validateScript(raw: unknown, request: Pick<ScriptRequest, 'sceneCount' | 'language'>): Script {
  const problems: string[] = [];
  if (!isRecord(raw)) {
    throw AiProviderError.badOutput(`Script output must be an object (got ${describe(raw)})`);
  }

  const title = text(raw.title, 'title', SCRIPT_LIMITS.titleMaxChars, problems);
  const requested = primarySubtag(request.language);
  if (raw.language !== undefined && (typeof raw.language !== 'string' || primarySubtag(raw.language) !== requested)) {
    problems.push(`language must be "${request.language}" (got ${describe(raw.language)})`);
  }

  const scenes: ScriptScene[] = [];
  if (!Array.isArray(raw.scenes)) {
    problems.push(`scenes must be an array (got ${describe(raw.scenes)})`);
  } else {
    if (raw.scenes.length !== request.sceneCount) {
      problems.push(`expected exactly ${request.sceneCount} scenes (got ${raw.scenes.length})`);
    }
    const expectedScript = SCRIPT_OF_LANGUAGE.get(requested);
    raw.scenes.forEach((scene: unknown, position) => {
      const path = `scenes[${position}]`;
      if (!isRecord(scene)) {
        problems.push(`${path} must be an object (got ${describe(scene)})`);
        return;
      }
      if (scene.index !== undefined && scene.index !== position) {
        problems.push(`${path}.index must be ${position} (got ${describe(scene.index)})`);
      }
      const narration = text(scene.narration, `${path}.narration`, SCRIPT_LIMITS.narrationMaxChars, problems);
      if (narration && expectedScript && !expectedScript.pattern.test(narration)) {
        problems.push(`${path}.narration has no ${expectedScript.name}, so it is not in "${request.language}"`);
      }
      const visualPrompt = text(
        scene.visualPrompt,
        `${path}.visualPrompt`,
        SCRIPT_LIMITS.visualPromptMaxChars,
        problems,
      );
      scenes.push({ index: position, narration, visualPrompt });
    });
  }

  if (problems.length > 0) {
    const shown = problems.slice(0, MAX_REPORTED_PROBLEMS);
    const more = problems.length - shown.length;
    throw AiProviderError.badOutput(`Invalid script: ${shown.join('; ')}${more > 0 ? `; and ${more} more` : ''}`);
  }
  return { title, language: request.language, scenes };
}

function text(value: unknown, path: string, maxChars: number, problems: string[]): string {
  if (typeof value !== 'string') {
    problems.push(`${path} must be a string (got ${describe(value)})`);
    return '';
  }
  const normalized = collapseWhitespace(value);
  if (!normalized) {
    problems.push(`${path} must not be empty`);
  } else if ([...normalized].length > maxChars) {
    problems.push(`${path} must be at most ${maxChars} characters`);
  }
  return normalized;
}

function primarySubtag(tag: string): string {
  return tag.trim().toLowerCase().split(/[-_]/)[0];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A type name, never the value: error messages may reach users and logs, model output should not. */
function describe(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  if (Array.isArray(value)) {
    return 'an array';
  }
  if (typeof value === 'number' && Number.isFinite(value)) {
    return String(value);
  }
  return typeof value === 'string' ? (value.trim() ? 'a string' : 'an empty string') : typeof value;
}
