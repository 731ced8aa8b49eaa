// The live canvas: whichever player decodes (WebCodecs, MSE or the overlay MJPEG) hands it pictures with their
// capture_ts, and it draws each with the objects of the same capture_ts, keeping the figures of what was shown.
import { drawObjects } from './overlay.js';
import { Hops } from './hops.js';
import { Rate, Window } from './stats.js';

const STALE_OVERLAY_MS = 150; // a picture without its own result shows the previous one only if this recent

export class Screen {
  constructor(canvas, results) {
    this.canvas = canvas;
    this.ctx = canvas.getContext('2d');
    this.results = results;
    this.latency = new Window(); // capture to overlay on screen, pictures with their own result
    this.shown = new Window();   // capture to picture on screen, every picture
    this.hops = new Hops();
    this.drawnRate = new Rate();
    this.stats = { framesDrawn: 0, overlaysDrawn: 0, objectsDrawn: [], lastObjects: [], lastCaptureTs: 0 };
  }

  /**
   * Draws a picture (a VideoFrame, a video or an image element) of capture_ts ts with its objects; arrived is when
   * (Date.now()) the picture was ready, for the hop figures, or undefined where the player cannot tell.
   */
  paint(picture, width, height, ts, arrived) {
    const drawStart = performance.now();
    if (this.canvas.width !== width || this.canvas.height !== height) {
      this.canvas.width = width;
      this.canvas.height = height;
    }
    this.ctx.drawImage(picture, 0, 0, width, height);
    this.stats.framesDrawn++;
    this.drawnRate.tick();
    if (ts === undefined) return; // the overlay MJPEG: objects already drawn in, no capture time
    this.stats.lastCaptureTs = ts;
    const exact = this.results.exact(ts);
    const objects = exact || this.results.before(ts, STALE_OVERLAY_MS);
    if (objects) {
      drawObjects(this.ctx, objects, width / objects.width, height / objects.height);
      this.stats.overlaysDrawn++;
      this.stats.objectsDrawn = (objects.objects || []).map(o => o.id);
      this.stats.lastObjects = (objects.objects || []).map(o => ({ id: o.id, bbox: o.bbox }));
    } else {
      this.stats.objectsDrawn = [];
    }
    const drawn = Date.now();
    this.hops.add('drawing', performance.now() - drawStart);
    this.shown.add(drawn - ts);
    if (!exact) return;
    this.latency.add(drawn - ts); // capture (server clock) to overlay on screen
    this.hops.add('captureToDrawn', drawn - ts);
    const result = this.results.arrival(ts);
    if (arrived === undefined) return;
    this.hops.add('lastArrivalToDrawn', drawn - Math.max(arrived, result));
    this.hops.lastArrived[result > arrived ? 'result' : 'picture']++;
  }

  /** Frame pixels of a mouse event on the canvas. */
  framePoint(event) {
    const r = this.canvas.getBoundingClientRect();
    return { x: Math.round((event.clientX - r.left) * this.canvas.width / r.width),
             y: Math.round((event.clientY - r.top) * this.canvas.height / r.height) };
  }

  restartLatency() { this.latency = new Window(); this.shown = new Window(); this.hops = new Hops(); }

  snapshot() {
    return { ...this.stats, fpsDrawn: this.drawnRate.perSecond(), hops: this.hops.snapshot(),
      latency: { p50: this.latency.percentile(50), p95: this.latency.percentile(95), count: this.latency.values.length },
      shownLatency: { p50: this.shown.percentile(50), p95: this.shown.percentile(95), count: this.shown.values.length } };
  }
}
