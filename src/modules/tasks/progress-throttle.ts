export const PROGRESS_STEP = 5;

/**
 * Decides which progress reports are worth writing: integers only, never decreasing, and only
 * every PROGRESS_STEP percent or when the stage changes (a report per frame would flood the row,
 * Redis and every SSE client).
 */
export class ProgressThrottle {
  private sentPercent = 0;
  private sentStage: string | null;

  constructor(initialPercent = 0, initialStage: string | null = null) {
    this.sentPercent = initialPercent;
    this.sentStage = initialStage;
  }

  /** The update to send, or undefined when this report adds nothing worth sending. */
  next(percent: number, stage?: string): { progress: number; stage: string | null } | undefined {
    const clamped = Math.max(this.sentPercent, Math.min(100, Math.floor(Number.isFinite(percent) ? percent : 0)));
    const nextStage = stage ?? this.sentStage;
    const stageChanged = nextStage !== this.sentStage;
    if (!stageChanged && clamped - this.sentPercent < PROGRESS_STEP && !(clamped === 100 && this.sentPercent < 100)) {
      return undefined;
    }
    this.sentPercent = clamped;
    this.sentStage = nextStage;
    return { progress: clamped, stage: nextStage };
  }
}
