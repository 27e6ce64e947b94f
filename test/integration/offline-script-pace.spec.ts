import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SCENE_TAIL_MS, SENTENCE_PAUSE_MS } from 'src/common/narration-timing';
import { decodePcmWav, pcmDurationMs } from 'src/media/ffmpeg/wav';
import { composeOfflineScript, offlineVideoSeconds } from 'src/providers/ai/offline-script-writer.provider';
import {
  buildEspeakArgs,
  espeakWordsPerMinute,
  prepareEspeakText,
} from 'src/providers/ai/offline/speech/espeak-command';
import { ESPEAK_VOICES, espeakVoiceArgument } from 'src/providers/ai/offline/speech/espeak-voices';
import { splitSentences } from 'src/providers/ai/text/sentences';

/**
 * The offline writer sizes its scripts for the offline voices: spoken by real espeak-ng, sentence
 * by sentence as the voice layer does, with a render's pauses and scene tails, a script asked for
 * N seconds makes a video of about N seconds, in English and in Mandarin.
 */
describe('offline scripts spoken by espeak-ng (real)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'reelsmith-pace-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Seconds espeak-ng takes to speak one sentence, run as the offline voice runs it (voice, pace, text). */
  const spoken = (text: string, voiceId: string, language: string): number => {
    const voice = ESPEAK_VOICES.find((candidate) => candidate.id === voiceId)!;
    const outPath = join(dir, 'sentence.wav');
    const args = buildEspeakArgs({
      voice: espeakVoiceArgument(voice),
      wordsPerMinute: espeakWordsPerMinute(1),
      outPath,
      text: prepareEspeakText(text, language),
    });
    execFileSync('espeak-ng', args);
    return pcmDurationMs(decodePcmWav(readFileSync(outPath))!) / 1000;
  };

  it.each([
    ['en', 'espeak:en-us', 'How bees talk'],
    ['zh', 'espeak:cmn', '长城的故事'],
  ])('%s: the video lasts about what was asked, and about what the writer estimated', (language, voice, topic) => {
    // Scene counts that fit the length: every scene says at least a sentence (`does its best` below that).
    const cases = [
      [15, 3],
      [30, 5],
      [60, 6],
    ];
    const measured = cases.map(([durationSeconds, sceneCount]) => {
      const { script } = composeOfflineScript({ topic, language, sceneCount, durationSeconds });
      const narrations = script.scenes.map((scene) => scene.narration);
      const video = narrations.reduce((sum, narration) => {
        const sentences = splitSentences(narration);
        const speech = sentences.reduce((total, sentence) => total + spoken(sentence, voice, language), 0);
        return sum + speech + (SENTENCE_PAUSE_MS * (sentences.length - 1) + SCENE_TAIL_MS) / 1000;
      }, 0);
      const estimated = offlineVideoSeconds(narrations, language);
      return { durationSeconds, video: Math.round(video * 10) / 10, estimated: Math.round(estimated * 10) / 10 };
    });
    const off = measured.filter(
      ({ durationSeconds, video, estimated }) =>
        Math.abs(video - durationSeconds) > durationSeconds * 0.2 || Math.abs(estimated - video) > video * 0.15,
    );
    expect(off).toEqual([]);
  });
});
