import OpenAI from 'openai';
import type { AppConfig } from 'src/config/app.config';
import { AiProviderError } from 'src/providers/ai/ai-provider.errors';
import { OPENAI_PROVIDER } from 'src/providers/ai/openai/openai-errors';
import { DEFAULT_RETRY_POLICY, RetryOptions, RetryPolicy } from 'src/providers/ai/openai/openai-retry';

export type OpenAiSettings = AppConfig['ai']['openai'];

export const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';

export interface OpenAiClientOptions {
  /** Per request, until the response headers arrive (the retry helper also bounds the body). */
  timeoutMs: number;
}

/**
 * One OpenAI client for any OpenAI-compatible endpoint (OPENAI_BASE_URL). Everything comes from validated config, so the
 * SDK reads no environment variables of its own (OPENAI_ORG_ID, OPENAI_LOG, ...).
 */
export function createOpenAiClient(settings: OpenAiSettings, options: OpenAiClientOptions): OpenAI {
  if (!settings.apiKey) {
    throw AiProviderError.auth('OPENAI_API_KEY is not set', { provider: OPENAI_PROVIDER });
  }
  return new OpenAI({
    apiKey: settings.apiKey,
    baseURL: settings.baseUrl || OPENAI_DEFAULT_BASE_URL,
    organization: null,
    project: null,
    webhookSecret: null,
    timeout: options.timeoutMs,
    // Retries are ours (openai-retry.ts): bounded, abortable, and the same for every provider.
    maxRetries: 0,
    // The SDK's debug log prints request headers; failures reach our logs as redacted AiProviderErrors instead.
    logLevel: 'off',
  });
}

/** What every OpenAI provider's constructor takes besides the settings; tests shrink the timings. */
export interface OpenAiProviderOptions {
  /** One attempt's deadline, body included. */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /** Jitter source, in [0, 1). */
  random?: () => number;
}

/** A provider's client and the retry options every call through it uses. */
export interface OpenAiConnection {
  client: OpenAI;
  /** Options for `withRetries`: the same bounds, per-attempt deadline and key redaction for every call. */
  retry(signal?: AbortSignal): RetryOptions;
}

/** What each OpenAI provider builds from its settings, its options and its own default deadline. */
export function openAiConnection(
  settings: OpenAiSettings,
  options: OpenAiProviderOptions,
  defaultTimeoutMs: number,
): OpenAiConnection {
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  return {
    client: createOpenAiClient(settings, { timeoutMs }),
    retry: (signal) => ({
      policy,
      attemptTimeoutMs: timeoutMs,
      secrets: [settings.apiKey],
      signal,
      random: options.random,
    }),
  };
}
