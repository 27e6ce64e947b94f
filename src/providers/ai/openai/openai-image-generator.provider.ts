import type { ImageGenerateParamsNonStreaming, ImagesResponse } from 'openai/resources/images';
import { AiProviderError } from 'src/providers/ai/ai-provider.errors';
import { ImageGenerator, ImageRequest, ImageResult } from 'src/providers/ai/image-generator.provider';
import {
  OpenAiConnection,
  openAiConnection,
  OpenAiProviderOptions,
  OpenAiSettings,
} from 'src/providers/ai/openai/openai-client.factory';
import { OPENAI_PROVIDER } from 'src/providers/ai/openai/openai-errors';
import { withRetries } from 'src/providers/ai/openai/openai-retry';
import { collapseWhitespace } from 'src/providers/ai/text/sentences';

export const OPENAI_IMAGE_TIMEOUT_MS = 120_000;

/** Sizes each model family accepts; an unknown (OpenAI-compatible) model gets the GPT image sizes. */
const SIZES_BY_FAMILY: [RegExp, string[]][] = [
  [/^dall-e-2/i, ['1024x1024', '512x512', '256x256']],
  [/^dall-e-3/i, ['1024x1024', '1792x1024', '1024x1792']],
];
const GPT_IMAGE_SIZES = ['1024x1024', '1536x1024', '1024x1536'];
/** GPT image models always answer in base64 and reject `response_format`; DALL·E defaults to a URL without it. */
const ALWAYS_BASE64 = /^gpt-image/i;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** The supported size whose aspect ratio is closest to the requested frame's (the larger one on a tie). */
export function chooseImageSize(model: string, width: number, height: number): string {
  const sizes = SIZES_BY_FAMILY.find(([family]) => family.test(model))?.[1] ?? GPT_IMAGE_SIZES;
  const target = Math.log(width / height);
  let best = sizes[0];
  let bestScore = Number.POSITIVE_INFINITY;
  for (const size of sizes) {
    const [w, h] = size.split('x').map(Number);
    const score = Math.abs(Math.log(w / h) - target);
    if (score < bestScore - 1e-9) {
      best = size;
      bestScore = score;
    }
  }
  return best;
}

/** The image type from its first bytes; a vendor's claimed format is not trusted. */
export function sniffImageFormat(bytes: Buffer): ImageResult['format'] | undefined {
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) {
    return 'png';
  }
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) {
    return 'jpeg';
  }
  if (bytes.length >= 12 && bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP') {
    return 'webp';
  }
  return undefined;
}

/** OpenAI image generation; the image comes back inline as base64, never fetched from a URL. */
export class OpenAiImageGenerator extends ImageGenerator {
  override readonly name = OPENAI_PROVIDER;
  private readonly api: OpenAiConnection;

  constructor(
    private readonly settings: OpenAiSettings,
    options: OpenAiProviderOptions = {},
  ) {
    super();
    this.api = openAiConnection(settings, options, OPENAI_IMAGE_TIMEOUT_MS);
  }

  override async generate(request: ImageRequest, signal?: AbortSignal): Promise<ImageResult> {
    signal?.throwIfAborted();
    const prompt = typeof request.prompt === 'string' ? collapseWhitespace(request.prompt) : '';
    if (!prompt) {
      throw AiProviderError.refused('Image prompt must contain visible text', { provider: OPENAI_PROVIDER });
    }
    const { width, height } = request;
    if (!(Number.isFinite(width) && width > 0 && Number.isFinite(height) && height > 0)) {
      throw AiProviderError.refused('Image width and height must be positive numbers', { provider: OPENAI_PROVIDER });
    }

    const model = this.settings.imageModel;
    const params: ImageGenerateParamsNonStreaming = {
      model,
      prompt,
      n: 1,
      size: chooseImageSize(model, width, height),
      ...(ALWAYS_BASE64.test(model) ? {} : { response_format: 'b64_json' as const }),
    };
    const response: ImagesResponse = await withRetries(
      (attemptSignal) => this.api.client.images.generate(params, { signal: attemptSignal }),
      this.api.retry(signal),
    );
    return decodeImage(response);
  }
}

function decodeImage(response: ImagesResponse): ImageResult {
  const image = response.data?.[0];
  const b64 = typeof image?.b64_json === 'string' ? image.b64_json.replace(/\s+/g, '') : '';
  if (!b64) {
    // A `url` alone is refused on purpose: fetching whatever address a vendor (or a compatible server) names is an
    // SSRF risk, and we asked for base64.
    const why = image?.url ? 'a URL instead of inline base64 data' : 'no image data';
    throw AiProviderError.badOutput(`Image output has ${why}`, { provider: OPENAI_PROVIDER });
  }
  if (!BASE64.test(b64)) {
    throw AiProviderError.badOutput('Image output is not valid base64', { provider: OPENAI_PROVIDER });
  }
  const bytes = Buffer.from(b64, 'base64');
  const format = sniffImageFormat(bytes);
  if (!format) {
    throw AiProviderError.badOutput('Image output is not a PNG, JPEG or WebP image', { provider: OPENAI_PROVIDER });
  }
  const revisedPrompt = typeof image?.revised_prompt === 'string' ? image.revised_prompt.trim() : '';
  return { format, bytes, ...(revisedPrompt ? { revisedPrompt } : {}) };
}
