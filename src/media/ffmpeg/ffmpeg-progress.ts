/**
 * Reads ffmpeg's `-progress pipe:1` output (key=value lines) and turns `out_time_us` into a
 * fraction of the expected duration. Chunks may split lines anywhere.
 */
export class FfmpegProgressParser {
  private pending = '';

  constructor(
    private readonly totalMs: number,
    private readonly onFraction: (fraction: number) => void,
  ) {}

  push(chunk: string): void {
    const lines = (this.pending + chunk).split('\n');
    this.pending = lines.pop() ?? '';
    for (const line of lines) {
      const [key, value] = line.trim().split('=');
      if ((key === 'out_time_us' || key === 'out_time_ms') && this.totalMs > 0) {
        // Despite its name, out_time_ms is in microseconds too.
        const micros = Number(value);
        if (Number.isFinite(micros) && micros >= 0) {
          this.onFraction(Math.min(1, micros / 1000 / this.totalMs));
        }
      } else if (key === 'progress' && value === 'end') {
        this.onFraction(1);
      }
    }
  }
}
