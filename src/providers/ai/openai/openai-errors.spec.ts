import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError, OpenAIError } from 'openai';
import { AiProviderError } from 'src/providers/ai/ai-provider.errors';
import { redactSecrets, retryAfterMsFrom, toAiProviderError } from 'src/providers/ai/openai/openai-errors';
import { everythingPrinted } from 'test/utils/openai-mock-server';

const KEY = 'sk-test-SECRET-123';

const apiError = (status: number, error: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
  APIError.generate(status, { error: { message: 'vendor says no', ...error } }, undefined, new Headers(headers));

describe(toAiProviderError.name, () => {
  it.each<[string, unknown, Partial<AiProviderError>]>([
    ['401', apiError(401), { code: 'AI_AUTH', retryable: false }],
    ['403', apiError(403), { code: 'AI_AUTH', retryable: false }],
    ['429', apiError(429), { code: 'AI_RATE_LIMITED', retryable: true }],
    ['429 quota', apiError(429, { code: 'insufficient_quota' }), { code: 'AI_RATE_LIMITED', retryable: false }],
    ['500', apiError(500), { code: 'AI_UNAVAILABLE', retryable: true }],
    ['503', apiError(503), { code: 'AI_UNAVAILABLE', retryable: true }],
    ['408', apiError(408), { code: 'AI_UNAVAILABLE', retryable: true }],
    ['409', apiError(409), { code: 'AI_UNAVAILABLE', retryable: true }],
    ['400', apiError(400), { code: 'AI_UNAVAILABLE', retryable: false }],
    ['404', apiError(404, { code: 'model_not_found' }), { code: 'AI_UNAVAILABLE', retryable: false }],
    ['400 policy code', apiError(400, { code: 'content_policy_violation' }), { code: 'AI_REFUSED', retryable: false }],
    ['400 Azure filter', apiError(400, { code: 'content_filter' }), { code: 'AI_REFUSED' }],
    ['400 safety message', apiError(400, { message: 'Rejected by our safety system' }), { code: 'AI_REFUSED' }],
    ['timeout', new APIConnectionTimeoutError(), { code: 'AI_UNAVAILABLE', retryable: true }],
    ['connection', new APIConnectionError({ message: 'fetch failed' }), { code: 'AI_UNAVAILABLE', retryable: true }],
    ['abort', new APIUserAbortError(), { code: 'AI_UNAVAILABLE' }],
    ['other SDK error', new OpenAIError('odd'), { code: 'AI_UNAVAILABLE' }],
    ['body stream cut', new TypeError('terminated'), { code: 'AI_UNAVAILABLE', retryable: true }],
  ])('maps %s', (_name, error, expected) => {
    expect(toAiProviderError(error, [KEY])).toMatchObject({ ...expected, provider: 'openai' });
  });

  it('passes an AiProviderError through', () => {
    const error = AiProviderError.badOutput('x');
    expect(toAiProviderError(error)).toBe(error);
  });

  it('keeps the retry hint of a 429 and a 503', () => {
    expect(toAiProviderError(apiError(429, {}, { 'retry-after': '7' })).retryAfterMs).toBe(7_000);
    expect(toAiProviderError(apiError(503, {}, { 'retry-after-ms': '250' })).retryAfterMs).toBe(250);
  });

  it('says what happened (status, vendor code, message, request id) but never the key', () => {
    const error = toAiProviderError(
      apiError(
        401,
        { message: `Incorrect API key provided: ${KEY}.`, code: 'invalid_api_key' },
        {
          'x-request-id': 'req_123',
        },
      ),
      [KEY],
    );
    expect(error.message).toBe(
      'OpenAI rejected the credentials (401, invalid_api_key, Incorrect API key provided: [redacted]., request id req_123)',
    );
    expect(everythingPrinted(error)).not.toContain(KEY);
    expect('cause' in error).toBe(false);
  });

  it('shortens a long vendor message', () => {
    const error = toAiProviderError(apiError(500, { message: 'x'.repeat(5_000) }));
    expect(error.message.length).toBeLessThan(400);
  });
});

describe(redactSecrets.name, () => {
  it.each([
    [`key ${KEY} here`, 'key [redacted] here'],
    ['Authorization: Bearer abc.def-ghi', 'Authorization: Bearer [redacted]'],
    ['masked sk-proj-abcd****wxyz too', 'masked sk-[redacted] too'],
    ['nothing secret', 'nothing secret'],
  ])('%p → %p', (input, output) => {
    expect(redactSecrets(input, [KEY])).toBe(output);
  });
});

describe(retryAfterMsFrom.name, () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it.each<[Record<string, string>, number | undefined]>([
    [{ 'retry-after-ms': '1500' }, 1500],
    [{ 'retry-after-ms': '12.5', 'retry-after': '99' }, 12.5],
    [{ 'retry-after': '2' }, 2000],
    [{ 'retry-after': '0.25' }, 250],
    [{ 'retry-after': 'Thu, 01 Jan 2026 00:00:03 GMT' }, 3000],
    [{ 'retry-after': 'Wed, 31 Dec 2025 23:59:00 GMT' }, 0],
    [{ 'retry-after': 'soon' }, undefined],
    [{ 'retry-after-ms': '-5' }, undefined],
    [{}, undefined],
  ])('%p → %p', (headers, expected) => {
    expect(retryAfterMsFrom(new Headers(headers), now)).toBe(expected);
  });
});
