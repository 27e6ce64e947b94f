import { APIError } from 'openai';
import { AiProviderError } from 'src/providers/ai/ai-provider.errors';
import { DEFAULT_RETRY_POLICY, retryDelayMs, withRetries } from 'src/providers/ai/openai/openai-retry';

const FAST = { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 4, maxRetryAfterMs: 1_000 };
const status = (code: number) => APIError.generate(code, { error: { message: 'x' } }, undefined, new Headers());

describe(retryDelayMs.name, () => {
  const unavailable = AiProviderError.unavailable();

  it('backs off exponentially with jitter between half and all of the step, up to the cap', () => {
    expect([0, 1, 2, 3, 4, 5].map((retry) => retryDelayMs(unavailable, retry, DEFAULT_RETRY_POLICY, () => 0))).toEqual([
      250, 500, 1000, 2000, 4000, 4000,
    ]);
    expect(retryDelayMs(unavailable, 1, DEFAULT_RETRY_POLICY, () => 0.999)).toBe(1000);
  });

  it('waits at least the vendor hint, plus at most 10 %', () => {
    const limited = AiProviderError.rateLimited(undefined, { retryAfterMs: 2000 });
    expect(retryDelayMs(limited, 3, DEFAULT_RETRY_POLICY, () => 0)).toBe(2000);
    expect(retryDelayMs(limited, 3, DEFAULT_RETRY_POLICY, () => 0.999)).toBe(2200);
  });
});

describe(withRetries.name, () => {
  it('returns the first success', async () => {
    const attempt = jest.fn().mockRejectedValueOnce(status(502)).mockResolvedValueOnce('ok');
    await expect(withRetries(attempt, { policy: FAST, attemptTimeoutMs: 1_000 })).resolves.toBe('ok');
    expect(attempt).toHaveBeenCalledTimes(2);
  });

  it('stops after maxRetries', async () => {
    const attempt = jest.fn().mockRejectedValue(status(500));
    await expect(withRetries(attempt, { policy: FAST, attemptTimeoutMs: 1_000 })).rejects.toMatchObject({
      code: 'AI_UNAVAILABLE',
    });
    expect(attempt).toHaveBeenCalledTimes(3);
  });

  it('does not retry bad output, refusals or credentials', async () => {
    for (const error of [AiProviderError.badOutput('x'), status(400), status(401)]) {
      const attempt = jest.fn().mockRejectedValue(error);
      await expect(withRetries(attempt, { policy: FAST, attemptTimeoutMs: 1_000 })).rejects.toBeInstanceOf(
        AiProviderError,
      );
      expect(attempt).toHaveBeenCalledTimes(1);
    }
  });

  it('lets a local failure (a full disk) through unchanged and unretried', async () => {
    const full = Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
    const attempt = jest.fn().mockRejectedValue(full);
    await expect(withRetries(attempt, { policy: FAST, attemptTimeoutMs: 1_000 })).rejects.toBe(full);
    expect(attempt).toHaveBeenCalledTimes(1);
  });

  it('gives each attempt a signal that fires at its deadline', async () => {
    const signals: AbortSignal[] = [];
    const attempt = (signal: AbortSignal) => {
      signals.push(signal);
      return new Promise<never>(() => undefined);
    };
    await expect(
      withRetries(attempt, { policy: { ...FAST, maxRetries: 1 }, attemptTimeoutMs: 50 }),
    ).rejects.toMatchObject({ code: 'AI_UNAVAILABLE', message: 'OpenAI did not finish within 50 ms' });
    expect(signals).toHaveLength(2);
    expect(signals.every((signal) => signal.aborted)).toBe(true);
  });
});
