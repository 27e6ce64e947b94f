export type AiProviderErrorCode = 'AI_RATE_LIMITED' | 'AI_UNAVAILABLE' | 'AI_BAD_OUTPUT' | 'AI_AUTH' | 'AI_REFUSED';

export interface AiProviderErrorOptions {
  /** Overrides the code's default (see RETRYABLE_BY_DEFAULT). */
  retryable?: boolean;
  /** The vendor's Retry-After hint; ignored unless it is a finite, non-negative number. */
  retryAfterMs?: number;
  /** Which provider failed, e.g. "openai" or "offline". */
  provider?: string;
  cause?: unknown;
}

/**
 * A model re-samples on retry, so bad output is worth another attempt; a refusal or a rejected key is not.
 */
const RETRYABLE_BY_DEFAULT: Record<AiProviderErrorCode, boolean> = {
  AI_RATE_LIMITED: true,
  AI_UNAVAILABLE: true,
  AI_BAD_OUTPUT: true,
  AI_AUTH: false,
  AI_REFUSED: false,
};

type ShortcutOptions = Omit<AiProviderErrorOptions, 'retryable'>;

/** The one error AI providers throw: vendor errors are translated into this before they leave src/providers/ai. */
export class AiProviderError extends Error {
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
  readonly provider?: string;

  constructor(
    readonly code: AiProviderErrorCode,
    message: string,
    options: AiProviderErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AiProviderError';
    this.retryable = options.retryable ?? RETRYABLE_BY_DEFAULT[code];
    const { retryAfterMs } = options;
    if (retryAfterMs !== undefined && Number.isFinite(retryAfterMs) && retryAfterMs >= 0) {
      this.retryAfterMs = retryAfterMs;
    }
    if (options.provider !== undefined) {
      this.provider = options.provider;
    }
  }

  static rateLimited(message = 'AI provider rate limit reached', options: ShortcutOptions = {}): AiProviderError {
    return new AiProviderError('AI_RATE_LIMITED', message, options);
  }

  static unavailable(message = 'AI provider is unavailable', options: ShortcutOptions = {}): AiProviderError {
    return new AiProviderError('AI_UNAVAILABLE', message, options);
  }

  static badOutput(message: string, options: AiProviderErrorOptions = {}): AiProviderError {
    return new AiProviderError('AI_BAD_OUTPUT', message, options);
  }

  static auth(message = 'AI provider rejected the credentials', options: ShortcutOptions = {}): AiProviderError {
    return new AiProviderError('AI_AUTH', message, options);
  }

  static refused(message: string, options: ShortcutOptions = {}): AiProviderError {
    return new AiProviderError('AI_REFUSED', message, options);
  }

  /** True only for an AiProviderError that asks to be retried; anything else is a bug, not a transient failure. */
  static isRetryable(error: unknown): boolean {
    return error instanceof AiProviderError && error.retryable;
  }
}
