import { joinClips, layOnTimeline } from 'src/media/audio/pcm-timeline';
import type { PcmAudio } from 'src/media/ffmpeg/wav';

// 10 Hz keeps the sample counts readable: 100 ms is one sample.
const pcm = (samples: number[], sampleRate = 10): PcmAudio => ({ sampleRate, samples: Float32Array.from(samples) });
const values = (audio: PcmAudio | undefined) => Array.from(audio!.samples, (v) => Math.round(v * 1000) / 1000);

describe(joinClips.name, () => {
  it('puts the pause between clips, not after the last, and applies the gain', () => {
    const joined = joinClips([pcm([0.1, 0.2]), pcm([0.3]), pcm([-0.4])], 200, 20 * Math.log10(2));
    expect(joined?.sampleRate).toBe(10);
    expect(values(joined)).toEqual([0.2, 0.4, 0, 0, 0.6, 0, 0, -0.8]);
  });

  it('keeps values past full scale (the master limits peaks, not the track)', () => {
    expect(values(joinClips([pcm([0.8])], 250, 6))).toEqual([1.596]);
  });

  it('refuses clips of different sample rates, and no clips', () => {
    expect(joinClips([pcm([0.1]), pcm([0.1], 20)], 0, 0)).toBeUndefined();
    expect(joinClips([], 0, 0)).toBeUndefined();
  });
});

describe(layOnTimeline.name, () => {
  it('places each piece at its start on silence of the whole length, cut to its slot', () => {
    const bed = layOnTimeline(
      [
        { audio: pcm([0.1, 0.2, 0.3]), startMs: 100, durationMs: 200 },
        { audio: pcm([0.5]), startMs: 500, durationMs: 1000 },
      ],
      800,
    );
    expect(values(bed)).toEqual([0, 0.1, 0.2, 0, 0, 0.5, 0, 0]);
  });

  it('adds up overlapping pieces and cuts what runs past the end', () => {
    const bed = layOnTimeline(
      [
        { audio: pcm([0.1, 0.1, 0.1]), startMs: 0, durationMs: 300 },
        { audio: pcm([0.2, 0.2, 0.2]), startMs: 100, durationMs: 300 },
      ],
      300,
    );
    expect(values(bed)).toEqual([0.1, 0.3, 0.3]);
  });

  it('refuses pieces of different sample rates, and no pieces', () => {
    const pieces = [pcm([0.1]), pcm([0.1], 20)].map((audio) => ({ audio, startMs: 0, durationMs: 100 }));
    expect(layOnTimeline(pieces, 100)).toBeUndefined();
    expect(layOnTimeline([], 100)).toBeUndefined();
  });
});
