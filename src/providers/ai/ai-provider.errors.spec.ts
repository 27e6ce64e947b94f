import { AiProviderError, AiProviderErrorCode } from 'src/providers/ai/ai-provider.errors';

describe(AiProviderError.name, () => {
  it.each<[string, AiProviderError, AiProviderErrorCode, boolean]>([
    ['rateLimited', AiProviderError.rateLimited(), 'AI_RATE_LIMITED', true],
    ['unavailable', AiProviderError.unavailable(), 'AI_UNAVAILABLE', true],
    ['badOutput', AiProviderError.badOutput('not JSON'), 'AI_BAD_OUTPUT', true],
    ['auth', AiProviderError.auth(), 'AI_AUTH', false],
    ['refused', AiProviderError.refused('unsupported language'), 'AI_REFUSED', false],
  ])('%s() has code %s and retryable=%s', (_name, sut, code, retryable) => {
    expect(sut).toBeInstanceOf(Error);
    expect(sut).toBeInstanceOf(AiProviderError);
    expect(sut).toMatchObject({ name: 'AiProviderError', code, retryable });
    expect(sut.message).not.toBe('');
  });

  it('lets the caller override whether an error is retryable', () => {
    expect(AiProviderError.badOutput('offline bug', { retryable: false }).retryable).toBe(false);
    expect(new AiProviderError('AI_REFUSED', 'try later', { retryable: true }).retryable).toBe(true);
  });

  it('keeps the retry hint, the provider and the cause', () => {
    const cause = new Error('429 from vendor');
    const sut = AiProviderError.rateLimited('slow down', { retryAfterMs: 1500, provider: 'openai', cause });
    expect(sut).toMatchObject({ message: 'slow down', retryAfterMs: 1500, provider: 'openai', cause });
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('ignores a nonsensical retry hint (%p)', (retryAfterMs) => {
    expect(AiProviderError.rateLimited(undefined, { retryAfterMs }).retryAfterMs).toBeUndefined();
  });

  it('has no cause unless one is given', () => {
    expect('cause' in AiProviderError.unavailable()).toBe(false);
  });

  it.each<[unknown, boolean]>([
    [AiProviderError.unavailable(), true],
    [AiProviderError.auth(), false],
    [new Error('boom'), false],
    ['AI_UNAVAILABLE', false],
    [undefined, false],
  ])('isRetryable(%p) is %p', (error, expected) => {
    expect(AiProviderError.isRetryable(error)).toBe(expected);
  });
});
