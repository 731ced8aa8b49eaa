// Where the live view's latency goes, hop by hop, in ms: capture (server clock) to picture received, picture handed to
// the decoder to decoded, capture to result received, the later of picture decoded and result received to drawn,
// drawing alone, capture to drawn; and which of picture and result arrived last. Exposed as window.dashboard.live.hops.
import { Window } from './stats.js';

const NAMES = ['pictureReceived', 'decoded', 'resultReceived', 'lastArrivalToDrawn', 'drawing', 'captureToDrawn'];

export class Hops {
  constructor() {
    this.windows = Object.fromEntries(NAMES.map(n => [n, new Window()]));
    this.lastArrived = { picture: 0, result: 0 };
  }

  add(name, ms) { this.windows[name].add(Math.round(ms)); }

  snapshot() {
    const hops = Object.fromEntries(Object.entries(this.windows).map(([n, w]) => [n,
      { p50: w.percentile(50), p95: w.percentile(95), p99: w.percentile(99), count: w.values.length }]));
    return { ...hops, lastArrived: { ...this.lastArrived } };
  }
}
