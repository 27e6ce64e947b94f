import { OpenAIError } from 'openai';
import { AiProviderError } from 'src/providers/ai/ai-provider.errors';
import { OPENAI_PROVIDER, toAiProviderError } from 'src/providers/ai/openai/openai-errors';

export interface RetryPolicy {
  /** Retries after the first attempt; only rate limits and unavailability are retried. */
  maxRetries: number;
  /** Back-off before retry n (from 0) is baseDelayMs * 2^n, capped at maxDelayMs, with jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
  /**
   * The longest vendor wait hint (Retry-After) honoured in process. A longer hint fails the call at once with
   * `retryAfterMs` set, so the task queue waits instead of holding a worker slot.
   */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRetries: 3,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 30_000,
};

export interface RetryOptions {
  policy: RetryPolicy;
  /** Deadline for one attempt, response body included (the SDK's own timeout stops at the headers). */
  attemptTimeoutMs: number;
  /** Redacted from every error message. */
  secrets?: readonly (string | undefined)[];
  signal?: AbortSignal;
  /** In [0, 1); injectable so tests can pin the jitter. */
  random?: () => number;
}

const RETRIED_CODES = new Set(['AI_RATE_LIMITED', 'AI_UNAVAILABLE']);

/**
 * What the vendor side can cause: SDK errors, and what fetch throws when a connection drops mid-body (TypeError
 * "terminated") or a 200 carries no JSON (SyntaxError). Anything else, a full disk say, is ours and passes unchanged.
 */
function isVendorFailure(error: unknown): boolean {
  return (
    error instanceof AiProviderError ||
    error instanceof OpenAIError ||
    error instanceof TypeError ||
    error instanceof SyntaxError
  );
}

/** How long to wait before retry `retry` (0-based): the vendor's hint when it gave one, else jittered back-off. */
export function retryDelayMs(
  failure: AiProviderError,
  retry: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number {
  if (failure.retryAfterMs !== undefined) {
    // Never earlier than asked; a little later, so clients told the same time do not return in lockstep.
    return Math.round(failure.retryAfterMs * (1 + 0.1 * random()));
  }
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

/**
 * Runs `attempt` until it succeeds, retrying rate limits, 5xx, connection failures and timeouts with back-off. Vendor
 * failures leave as AiProviderErrors; an abort rejects with the signal's reason at once (in-flight request and back-off
 * wait included).
 */
export async function withRetries<T>(attempt: (signal: AbortSignal) => Promise<T>, options: RetryOptions): Promise<T> {
  const { policy, signal, random = Math.random } = options;
  for (let retry = 0; ; retry += 1) {
    signal?.throwIfAborted();
    let failure: AiProviderError;
    try {
      return await runAttempt(attempt, options);
    } catch (error) {
      if (signal?.aborted) {
        throw signal.reason;
      }
      if (!isVendorFailure(error)) {
        throw error;
      }
      failure = toAiProviderError(error, options.secrets);
    }
    if (!failure.retryable || !RETRIED_CODES.has(failure.code) || retry >= policy.maxRetries) {
      throw failure;
    }
    if (failure.retryAfterMs !== undefined && failure.retryAfterMs > policy.maxRetryAfterMs) {
      throw failure;
    }
    await sleep(retryDelayMs(failure, retry, policy, random), signal);
  }
}

class AttemptTimeout extends Error {
  constructor(readonly timeoutMs: number) {
    super(`attempt exceeded ${timeoutMs} ms`);
  }
}

async function runAttempt<T>(attempt: (signal: AbortSignal) => Promise<T>, options: RetryOptions): Promise<T> {
  const { signal, attemptTimeoutMs } = options;
  const controller = new AbortController();
  const onAbort = () => controller.abort(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(() => controller.abort(new AttemptTimeout(attemptTimeoutMs)), attemptTimeoutMs);
  // Settles the call the moment the attempt's signal fires, even if the SDK were slow to notice it.
  let stopWaiting: (reason: unknown) => void = () => undefined;
  const aborted = new Promise<never>((_resolve, reject) => {
    stopWaiting = reject;
  });
  const onAttemptAbort = () => stopWaiting(controller.signal.reason);
  controller.signal.addEventListener('abort', onAttemptAbort, { once: true });
  const work = attempt(controller.signal);
  // Whichever loses the race must not surface as an unhandled rejection.
  work.catch(() => undefined);
  aborted.catch(() => undefined);
  try {
    return await Promise.race([work, aborted]);
  } catch (error) {
    if (controller.signal.reason instanceof AttemptTimeout && !signal?.aborted) {
      throw AiProviderError.unavailable(`OpenAI did not finish within ${attemptTimeoutMs} ms`, {
        provider: OPENAI_PROVIDER,
      });
    }
    throw error;
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
    controller.signal.removeEventListener('abort', onAttemptAbort);
  }
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
