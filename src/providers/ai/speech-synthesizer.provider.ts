export interface Voice {
  id: string;
  provider: string;
  language: string;
  name: string;
  gender?: 'female' | 'male' | 'neutral';
}

export interface SpeechRequest {
  text: string;
  voiceId: string;
  /** 0.5–2 */
  speed: number;
}

export interface SpeechResult {
  format: 'wav' | 'mp3';
  characters: number;
}

/** Turns narration into audio. A DI token: the AI providers module binds it to the OpenAI or the offline engine. */
export abstract class SpeechSynthesizer {
  /** 'offline' | 'openai' */
  abstract readonly name: string;
  abstract listVoices(): Voice[];
  abstract defaultVoiceFor(language: string): string | undefined;
  /** Writes one utterance's audio to outPath. */
  abstract synthesize(request: SpeechRequest, outPath: string, signal?: AbortSignal): Promise<SpeechResult>;
}
