/** Calls `sample()` now and then every `intervalMs` until stopped (the /proc samplers' clock). */
export abstract class IntervalSampler {
  private timer?: NodeJS.Timeout;

  constructor(private readonly intervalMs = 50) {}

  abstract sample(): unknown;

  start(): this {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    return this;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
