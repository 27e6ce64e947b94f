import type { PcmAudio } from 'src/media/ffmpeg/wav';

/**
 * Narration assembled from decoded PCM in-process: joining a scene's sentence clips and laying
 * every scene's narration on the video's timeline are copies and one multiply per sample, cheaper
 * than starting an ffmpeg for each (~60 ms of CPU before it does any work).
 */

/** The one sample rate every piece shares, or undefined when they differ (or there are none). */
function commonRate(pieces: readonly PcmAudio[]): number | undefined {
  const rate = pieces[0]?.sampleRate;
  return rate !== undefined && pieces.every((piece) => piece.sampleRate === rate) ? rate : undefined;
}

const samplesIn = (ms: number, sampleRate: number) => Math.max(0, Math.round((ms * sampleRate) / 1000));

/**
 * Clips one after another with `pauseMs` of silence between them, scaled by `gainDb`; undefined
 * when their sample rates differ.
 */
export function joinClips(clips: readonly PcmAudio[], pauseMs: number, gainDb: number): PcmAudio | undefined {
  const sampleRate = commonRate(clips);
  if (sampleRate === undefined) {
    return undefined;
  }
  const pause = samplesIn(pauseMs, sampleRate);
  const length = clips.reduce((sum, clip) => sum + clip.samples.length, 0) + pause * (clips.length - 1);
  const samples = new Float32Array(length);
  const gain = 10 ** (gainDb / 20);
  let at = 0;
  for (const clip of clips) {
    for (let i = 0; i < clip.samples.length; i++) {
      samples[at + i] = clip.samples[i] * gain;
    }
    at += clip.samples.length + pause;
  }
  return { sampleRate, samples };
}

export interface PlacedAudio {
  audio: PcmAudio;
  startMs: number;
  /** At most this much of the audio is used. */
  durationMs: number;
}

/**
 * Pieces placed at their start times on a silent timeline of `totalMs`, each cut to its
 * `durationMs` and to the timeline; pieces that overlap add up. Undefined when their sample rates
 * differ.
 */
export function layOnTimeline(pieces: readonly PlacedAudio[], totalMs: number): PcmAudio | undefined {
  const sampleRate = commonRate(pieces.map((piece) => piece.audio));
  if (sampleRate === undefined) {
    return undefined;
  }
  const samples = new Float32Array(samplesIn(totalMs, sampleRate));
  for (const { audio, startMs, durationMs } of pieces) {
    const start = samplesIn(startMs, sampleRate);
    const count = Math.min(audio.samples.length, samplesIn(durationMs, sampleRate), samples.length - start);
    for (let i = 0; i < count; i++) {
      samples[start + i] += audio.samples[i];
    }
  }
  return { sampleRate, samples };
}
