import { SCENE_TAIL_MS } from 'src/common/narration-timing';
import { absoluteCues, contentHash, MIN_SCENE_MS, planTimeline } from 'src/modules/render/render-plan';

const voiced = (narrationMs: number, sentences: [string, number, number][]) => ({
  narrationKey: `k${narrationMs}`,
  narrationMs,
  sentences: sentences.map(([text, startMs, durationMs]) => ({ text, startMs, durationMs })),
});

describe(planTimeline.name, () => {
  it('lays scenes end to end with a tail after each narration and a minimum length', () => {
    const plan = planTimeline(
      [
        voiced(3000, [
          ['A.', 0, 1200],
          ['B.', 1450, 1550],
        ]),
        voiced(800, [['C.', 0, 800]]),
      ],
      30,
    );
    expect(plan.scenes.map((s) => [s.startMs, s.durationMs])).toEqual([
      [0, 3000 + SCENE_TAIL_MS],
      [3000 + SCENE_TAIL_MS, MIN_SCENE_MS],
    ]);
    expect(plan.durationMs).toBe(3000 + SCENE_TAIL_MS + MIN_SCENE_MS);
    expect(plan.scenes[0].cues).toEqual([
      { startMs: 0, endMs: 1200, text: 'A.' },
      { startMs: 1450, endMs: 3000, text: 'B.' },
    ]);
  });

  it('moves cues onto the video clock for WebVTT', () => {
    const plan = planTimeline(
      [
        voiced(1000, [['A.', 0, 1000]]),
        voiced(2000, [
          ['B.', 0, 900],
          ['C.', 1150, 850],
        ]),
      ],
      30,
    );
    expect(absoluteCues(plan.scenes)).toEqual([
      { startMs: 0, endMs: 1000, text: 'A.' },
      { startMs: 2000, endMs: 2900, text: 'B.' },
      { startMs: 3150, endMs: 4000, text: 'C.' },
    ]);
  });
});

describe('scene lengths', () => {
  it('are whole frames, so the joined video and the audio timeline agree', () => {
    const plan = planTimeline([voiced(1234, []), voiced(2345, [])], 30);
    for (const scene of plan.scenes) {
      expect(Math.abs(((scene.durationMs * 30) / 1000) % 1)).toBeLessThan(1e-9);
    }
  });
});

describe(contentHash.name, () => {
  it('is stable for equal inputs and differs otherwise', () => {
    expect(contentHash({ a: 1, b: [2] })).toBe(contentHash({ a: 1, b: [2] }));
    expect(contentHash({ a: 1 })).not.toBe(contentHash({ a: 2 }));
    expect(contentHash('x')).toMatch(/^[0-9a-f]{64}$/);
  });
});
