import { RenderProgress } from 'src/modules/render/render-progress';

describe(RenderProgress.name, () => {
  it('starts at nothing, in the voice stage', () => {
    const progress = new RenderProgress(2);
    expect([progress.fraction, progress.stage]).toEqual([0, 'voice']);
  });

  it('weighs overlapping parts and names the earliest unfinished one', () => {
    const progress = new RenderProgress(2);
    progress.set('voice', 0, 1);
    progress.set('visuals', 0, 1);
    progress.set('compose', 0, 0.5);
    // voice 0.2 × ½ + visuals 0.05 × ½ + compose 0.7 × ¼
    expect([progress.fraction, progress.stage]).toEqual([0.3, 'voice']);
    progress.set('voice', 1, 1);
    expect(progress.stage).toBe('visuals');
    progress.set('visuals', 1, 1);
    expect(progress.stage).toBe('compose');
    progress.set('compose', 0, 1);
    progress.set('compose', 1, 1);
    expect([progress.fraction, progress.stage]).toEqual([0.95, 'compose']);
  });

  it('never goes backwards and clamps out-of-range reports', () => {
    const progress = new RenderProgress(1);
    progress.set('compose', 0, 0.6);
    progress.set('compose', 0, 0.2);
    expect(progress.fraction).toBe(0.42);
    progress.set('voice', 0, 7);
    progress.set('visuals', 0, -1);
    expect(progress.fraction).toBe(0.62);
  });
});
