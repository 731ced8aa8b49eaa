// Figures measured in the page, exposed on window.dashboard for tests and benchmarks.
export class Window {
  constructor(size = 600) { this.size = size; this.values = []; }
  add(v) { this.values.push(v); if (this.values.length > this.size) this.values.shift(); }
  percentile(p) {
    if (!this.values.length) return null;
    const sorted = [...this.values].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor(p / 100 * sorted.length))];
  }
}

export class Rate { // events per second over the last 2 s
  constructor() { this.times = []; }
  tick() { const now = performance.now(); this.times.push(now); while (this.times[0] < now - 2000) this.times.shift(); }
  perSecond() { const now = performance.now(); while (this.times.length && this.times[0] < now - 2000) this.times.shift(); return this.times.length / 2; }
}
