export interface ImageRequest {
  /** A visual description, in English (see ScriptScene.visualPrompt). */
  prompt: string;
  /** The frame the image is for; providers pick their closest supported size and aspect. */
  width: number;
  height: number;
}

export interface ImageResult {
  /** Decided from the bytes (magic numbers), never from what the vendor claims. */
  format: 'png' | 'jpeg' | 'webp';
  bytes: Buffer;
  /** The prompt the model actually used, when it rewrote ours. */
  revisedPrompt?: string;
}

/**
 * Generates a still image for a scene. A DI token: the AI providers module binds it to an implementation.
 *
 * Implementations throw `AiProviderError` for every failure they expect and reject with the signal's reason once
 * `signal` aborts.
 */
export abstract class ImageGenerator {
  abstract readonly name: string;

  abstract generate(request: ImageRequest, signal?: AbortSignal): Promise<ImageResult>;
}
