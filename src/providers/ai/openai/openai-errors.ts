import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { AiProviderError } from 'src/providers/ai/ai-provider.errors';

export const OPENAI_PROVIDER = 'openai';

/** Vendor codes (OpenAI, Azure OpenAI) for a prompt or an output its safety system blocked. */
const CONTENT_POLICY_CODES = new Set([
  'content_policy_violation',
  'content_filter',
  'moderation_blocked',
  'image_generation_user_error',
]);
const CONTENT_POLICY_MESSAGE = /safety system|content (?:management )?policy|content filter/i;
/** A 429 with this code is a billing limit, not a rate limit: waiting does not help. */
const QUOTA_CODES = new Set(['insufficient_quota', 'billing_hard_limit_reached']);
const MAX_VENDOR_MESSAGE_CHARS = 300;

type HttpError = APIError<number | undefined, Headers | undefined, object | undefined>;

/**
 * Removes credentials from text that came back from the vendor: an OpenAI-compatible server may echo the key (OpenAI
 * itself masks all but its last characters), and an `Authorization` value must never reach a message or a log.
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[] = []): string {
  let redacted = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) {
      redacted = redacted.split(secret).join('[redacted]');
    }
  }
  return redacted
    .replace(/\bBearer\s+[^\s"',;]+/gi, 'Bearer [redacted]')
    .replace(/\b(sk|rk|sess)-[A-Za-z0-9_*.-]{4,}/g, '$1-[redacted]');
}

/**
 * The vendor's wait hint: `retry-after-ms` (OpenAI's own, milliseconds), else `retry-after` (seconds or an HTTP date).
 */
export function retryAfterMsFrom(headers: Headers | undefined, now = Date.now()): number | undefined {
  const millis = Number.parseFloat(headers?.get('retry-after-ms') ?? '');
  if (Number.isFinite(millis) && millis >= 0) {
    return millis;
  }
  const value = headers?.get('retry-after')?.trim();
  if (!value) {
    return undefined;
  }
  if (/^\d+(?:\.\d+)?$/.test(value)) {
    return Number.parseFloat(value) * 1000;
  }
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Translates whatever the OpenAI SDK threw into an AiProviderError. The SDK error is deliberately not kept as `cause`:
 * it holds the raw vendor body and response headers, which loggers print in full. Its useful parts (status, vendor
 * code, request id, a redacted and shortened message) go into the message instead.
 */
export function toAiProviderError(error: unknown, secrets: readonly (string | undefined)[] = []): AiProviderError {
  if (error instanceof AiProviderError) {
    return error;
  }
  const provider = OPENAI_PROVIDER;
  if (error instanceof APIConnectionTimeoutError) {
    return AiProviderError.unavailable('OpenAI request timed out', { provider });
  }
  if (error instanceof APIUserAbortError) {
    return AiProviderError.unavailable('OpenAI request was aborted', { provider });
  }
  if (error instanceof APIConnectionError) {
    return AiProviderError.unavailable('Could not connect to OpenAI', { provider });
  }
  const apiError = error instanceof APIError ? (error as HttpError) : undefined;
  const status = apiError?.status;
  if (!apiError || status === undefined) {
    const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return AiProviderError.unavailable(`OpenAI call failed (${redact(text, secrets)})`, { provider });
  }

  const detail = describeApiError(apiError, secrets);
  const vendorCode = typeof apiError.code === 'string' ? apiError.code : undefined;
  if (status === 401 || status === 403) {
    return AiProviderError.auth(`OpenAI rejected the credentials (${detail})`, { provider });
  }
  if (status === 429) {
    if (vendorCode && QUOTA_CODES.has(vendorCode)) {
      return new AiProviderError('AI_RATE_LIMITED', `OpenAI quota exhausted (${detail})`, {
        provider,
        retryable: false,
      });
    }
    return AiProviderError.rateLimited(`OpenAI rate limit reached (${detail})`, {
      provider,
      retryAfterMs: retryAfterMsFrom(apiError.headers),
    });
  }
  if (status >= 500 || status === 408 || status === 409) {
    return AiProviderError.unavailable(`OpenAI is unavailable (${detail})`, {
      provider,
      retryAfterMs: retryAfterMsFrom(apiError.headers),
    });
  }
  if (
    (status === 400 || status === 422) &&
    ((vendorCode && CONTENT_POLICY_CODES.has(vendorCode)) ||
      (apiError.type && CONTENT_POLICY_CODES.has(apiError.type)) ||
      CONTENT_POLICY_MESSAGE.test(apiError.message))
  ) {
    return AiProviderError.refused(`OpenAI refused the request under its content policy (${detail})`, { provider });
  }
  // Any other 4xx (unknown model, bad parameter, input too long) is a configuration or code problem: resending the
  // same request cannot succeed.
  return new AiProviderError('AI_UNAVAILABLE', `OpenAI rejected the request (${detail})`, {
    provider,
    retryable: false,
  });
}

function describeApiError(error: HttpError, secrets: readonly (string | undefined)[]) {
  const parts = [String(error.status)];
  if (typeof error.code === 'string' && error.code) {
    parts.push(error.code);
  }
  const message = error.message.replace(/^\d{3}\s+/, '').trim();
  if (message) {
    parts.push(redact(message, secrets));
  }
  if (error.requestID) {
    parts.push(`request id ${error.requestID}`);
  }
  return parts.join(', ');
}

function redact(text: string, secrets: readonly (string | undefined)[]): string {
  const redacted = redactSecrets(text, secrets);
  const chars = [...redacted];
  return chars.length > MAX_VENDOR_MESSAGE_CHARS ? `${chars.slice(0, MAX_VENDOR_MESSAGE_CHARS).join('')}…` : redacted;
}
