// /ws/results/{stream}: results of every exchange joined by capture_ts. Parts of one capture_ts are merged here.
import { viewerSocket } from './api.js';

const KEEP = 900; // joined frames kept (30 s at 30 fps)

export class Results {
  constructor(stream, listeners) {
    this.stream = stream;
    this.listeners = listeners; // {onPart(kind, body, ts), onEvent(kind, body)}
    this.byTs = new Map();
    this.processed = []; // capture_ts of frames with a processed_frame, ascending
    this.arrivals = new Map(); // capture_ts -> Date.now() when its processed_frame arrived
    this.latestProcessedTs = 0;
    this.lastArrival = 0;
    this.open();
  }

  open() {
    this.socket = viewerSocket(`/ws/results/${encodeURIComponent(this.stream)}`, message => this.receive(message), () => {},
      () => !this.closed);
  }

  receive(message) {
    if (message.type === 'event') {
      this.listeners.onEvent?.(message.kind, message.body);
      return;
    }
    if (message.type !== 'result') return;
    const ts = message.capture_ts;
    const joined = this.byTs.get(ts) || {};
    Object.assign(joined, message.parts);
    this.byTs.set(ts, joined);
    if (message.parts.processed_frame && !this.arrivals.has(ts)) {
      // results come in capture order but for a few: insert from the end rather than sort every message
      let i = this.processed.length;
      while (i > 0 && this.processed[i - 1] > ts) i--;
      this.processed.splice(i, 0, ts);
      this.arrivals.set(ts, Date.now());
      this.latestProcessedTs = Math.max(this.latestProcessedTs, ts);
      this.lastArrival = performance.now();
    }
    for (const [kind, body] of Object.entries(message.parts)) this.listeners.onPart?.(kind, body, ts);
    while (this.byTs.size > KEEP) {
      const oldest = this.byTs.keys().next().value;
      this.byTs.delete(oldest);
      this.arrivals.delete(oldest);
      const i = this.processed.indexOf(oldest);
      if (i >= 0) this.processed.splice(i, 1);
    }
  }

  /** The processed_frame of exactly this capture_ts, if any. */
  exact(ts) {
    return this.byTs.get(ts)?.processed_frame;
  }

  /** When (Date.now()) the processed_frame of this capture_ts arrived, if it did. */
  arrival(ts) {
    return this.arrivals.get(ts);
  }

  /** The newest processed_frame at or before ts, within maxAgeMs of it. */
  before(ts, maxAgeMs) {
    for (let i = this.processed.length - 1; i >= 0; i--) {
      const t = this.processed[i];
      if (t <= ts) return ts - t <= maxAgeMs ? this.byTs.get(t)?.processed_frame : undefined;
    }
    return undefined;
  }

  /** Whether results are flowing at all (otherwise video is not held back waiting for them). */
  flowing() {
    return performance.now() - this.lastArrival < 2000;
  }

  close() {
    this.closed = true;
    this.socket?.close();
  }
}
