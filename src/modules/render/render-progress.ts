/** The parts of a render that run at once; `upload` is reported on its own at the end. */
export type RenderPart = 'voice' | 'visuals' | 'compose';

const PARTS: readonly RenderPart[] = ['voice', 'visuals', 'compose'];

/** Share of the overall progress each part is worth (encoding dominates; the rest is the tail). */
const WEIGHTS: Readonly<Record<RenderPart, number>> = { voice: 0.2, visuals: 0.05, compose: 0.7 };

/**
 * Overall progress of a render whose scenes are voiced, given visuals and encoded in a pipeline,
 * so several parts advance at once. The fraction is the weighted sum of every scene's progress in
 * every part (never decreasing while each scene's does not); the stage is the earliest part not
 * yet finished, so it moves voice → visuals → compose in order whatever overlaps.
 */
export class RenderProgress {
  private readonly done: Record<RenderPart, number[]>;

  constructor(private readonly scenes: number) {
    this.done = { voice: [], visuals: [], compose: [] };
    for (const part of PARTS) {
      this.done[part] = Array.from({ length: scenes }, () => 0);
    }
  }

  /** Records scene `index`'s progress in `part` (0–1; lower values than before are ignored). */
  set(part: RenderPart, index: number, fraction: number): void {
    const clamped = Math.min(1, Math.max(0, fraction));
    this.done[part][index] = Math.max(this.done[part][index], clamped);
  }

  get fraction(): number {
    const total = PARTS.reduce((sum, part) => sum + WEIGHTS[part] * this.share(part), 0);
    return Math.round(total * 10_000) / 10_000;
  }

  get stage(): RenderPart {
    return PARTS.find((part) => this.share(part) < 1) ?? 'compose';
  }

  private share(part: RenderPart): number {
    return this.scenes === 0 ? 1 : this.done[part].reduce((a, b) => a + b, 0) / this.scenes;
  }
}
