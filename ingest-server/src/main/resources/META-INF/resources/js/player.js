// Live video of one stream on a canvas, with its objects drawn on the picture they belong to (same capture_ts).
// H.264 or H.265 from /ws/view/{stream} decoded by WebCodecs; where WebCodecs cannot decode it (no WebCodecs, or
// H.265 in a browser without an HEVC decoder), the page says so and shows frame-processor's overlay MJPEG (objects
// already drawn in) through the proxy.
import { readUrl, socketUrl } from './api.js';
import { drawObjects } from './overlay.js';
import { Hops } from './hops.js';
import { Rate, Window } from './stats.js';

const HOLD_MS = 800;        // longest a decoded picture waits for its results
const STALE_OVERLAY_MS = 150; // a picture without its own result shows the previous one only if this recent
const MAX_QUEUE = 90;       // decoded pictures waiting to be shown
// a decoder whose oldest picture waited this long is behind: it gets nothing more until the next key picture, so
// a slow decoder costs dropped pictures, never a growing queue
const DECODER_BEHIND_MS = 100;

/** What a person calls the codec of an RFC 6381 codec string. */
function codecName(codec) {
  return codec.startsWith('hvc1.') || codec.startsWith('hev1.') ? 'H.265' : codec.startsWith('avc1.') ? 'H.264' : codec;
}

export class LivePlayer {
  constructor(canvas, stream, results) {
    this.canvas = canvas;
    this.ctx = canvas.getContext('2d');
    this.stream = stream;
    this.results = results;
    this.queue = [];   // decoded pictures, oldest first
    this.decoding = []; // {ts, handed} of pictures handed to the decoder and not out yet, in decoding order
    this.latency = new Window();
    this.hops = new Hops();
    this.received = new Rate(); this.decodedRate = new Rate(); this.drawnRate = new Rate();
    this.stats = { mode: 'connecting', framesReceived: 0, framesDecoded: 0, framesDrawn: 0, overlaysDrawn: 0,
      framesSkipped: 0, decoderDrops: 0, decoderLost: 0, objectsDrawn: [], lastObjects: [], lastCaptureTs: 0 };
    this.running = true;
    requestAnimationFrame(() => this.render());
    if (typeof VideoDecoder === 'undefined') this.fallback('no WebCodecs in this browser'); else this.openVideo();
  }

  openVideo() {
    if (!this.running || this.stats.mode === 'mjpeg') return;
    const socket = this.socket = new WebSocket(socketUrl(`/ws/view/${encodeURIComponent(this.stream)}`));
    socket.binaryType = 'arraybuffer';
    socket.onmessage = e => typeof e.data === 'string' ? this.configure(JSON.parse(e.data)) : this.chunk(e.data);
    socket.onclose = () => { if (this.running && this.stats.mode !== 'mjpeg') setTimeout(() => this.openVideo(), 1000); };
  }

  async configure(message) {
    if (message.type !== 'config') return;
    // pictures that arrive while support is checked must not reach a decoder set up for another codec
    if (this.decoder && this.decoder.state !== 'closed') this.decoder.close();
    this.decoder = null;
    const config = { codec: message.codec, optimizeForLatency: true };
    const support = await VideoDecoder.isConfigSupported(config).catch(() => ({ supported: false }));
    this.stats.codec = message.codec;
    this.stats.codecSupported = support.supported === true;
    if (!support.supported) { this.fallback(`this browser cannot decode ${codecName(message.codec)} (${message.codec})`); return; }
    this.decoder = new VideoDecoder({ output: f => this.decoded(f), error: e => { this.needKey = true; this.stats.error = String(e); } });
    this.decoder.configure(config);
    this.decoding = [];
    this.needKey = true;
    this.stats.mode = 'webcodecs';
  }

  chunk(buffer) {
    const view = new DataView(buffer);
    if (view.getUint8(0) !== 1 || !this.decoder || this.decoder.state !== 'configured') return;
    const key = (view.getUint8(1) & 1) === 1;
    const ts = Number(view.getBigInt64(2));
    const now = Date.now();
    this.stats.framesReceived++;
    this.received.tick();
    this.hops.add('pictureReceived', now - ts);
    if (!key && (this.needKey || now - (this.decoding[0]?.handed ?? now) > DECODER_BEHIND_MS)) {
      this.needKey = true; // behind: skip to the next key frame
      this.stats.decoderDrops++;
      return;
    }
    this.needKey = false;
    this.decoding.push({ ts, handed: now });
    this.decoder.decode(new EncodedVideoChunk({ type: key ? 'key' : 'delta', timestamp: ts * 1000, data: new Uint8Array(buffer, 10) }));
  }

  decoded(frame) {
    const ts = Math.round(frame.timestamp / 1000), now = Date.now();
    this.stats.framesDecoded++;
    this.decodedRate.tick();
    // pictures the decoder left out leave the list with the next one it outputs
    while (this.decoding.length && this.decoding[0].ts <= ts) {
      const handed = this.decoding.shift();
      if (handed.ts === ts) this.hops.add('decoded', now - handed.handed); else this.stats.decoderLost++;
    }
    this.queue.push({ frame, ts, at: performance.now(), decoded: now });
    while (this.queue.length > MAX_QUEUE) { this.queue.shift().frame.close(); this.stats.framesSkipped++; }
  }

  /** A picture may show once its result is here, once results passed it (not processed), or after HOLD_MS. */
  ready(entry, now) {
    return this.results.exact(entry.ts) || this.results.latestProcessedTs >= entry.ts
      || !this.results.flowing() || now - entry.at > HOLD_MS;
  }

  render() {
    if (!this.running) return;
    requestAnimationFrame(() => this.render());
    if (this.stats.mode === 'mjpeg') { this.renderMjpeg(); return; }
    const now = performance.now();
    let newest = -1;
    this.queue.forEach((entry, i) => { if (this.ready(entry, now)) newest = i; });
    if (newest < 0) return;
    // latest frame wins: the newest ready picture is drawn, older ones are superseded (a display shows one picture
    // per refresh; showing them in turn would be a queue)
    const superseded = this.queue.splice(0, newest);
    superseded.forEach(e => e.frame.close());
    this.stats.framesSkipped += superseded.length;
    const { frame, ts, decoded } = this.queue.shift();
    const drawStart = performance.now();
    if (this.canvas.width !== frame.displayWidth || this.canvas.height !== frame.displayHeight) {
      this.canvas.width = frame.displayWidth;
      this.canvas.height = frame.displayHeight;
    }
    this.ctx.drawImage(frame, 0, 0, this.canvas.width, this.canvas.height);
    frame.close();
    this.stats.framesDrawn++;
    this.drawnRate.tick();
    this.stats.lastCaptureTs = ts;
    const exact = this.results.exact(ts);
    const objects = exact || this.results.before(ts, STALE_OVERLAY_MS);
    if (objects) {
      drawObjects(this.ctx, objects, this.canvas.width / objects.width, this.canvas.height / objects.height);
      this.stats.overlaysDrawn++;
      this.stats.objectsDrawn = (objects.objects || []).map(o => o.id);
      this.stats.lastObjects = (objects.objects || []).map(o => ({ id: o.id, bbox: o.bbox }));
    } else {
      this.stats.objectsDrawn = [];
    }
    const drawn = Date.now();
    this.hops.add('drawing', performance.now() - drawStart);
    if (!exact) return;
    this.latency.add(drawn - ts); // capture (server clock) to overlay on screen
    this.hops.add('captureToDrawn', drawn - ts);
    const result = this.results.arrival(ts);
    this.hops.add('lastArrivalToDrawn', drawn - Math.max(decoded, result));
    this.hops.lastArrived[result > decoded ? 'result' : 'picture']++;
  }

  /** Counts a processed_frame's arrival (capture to result received). */
  resultArrived(ts) { this.hops.add('resultReceived', Date.now() - ts); }

  fallback(reason) {
    this.stats.mode = 'mjpeg';
    this.stats.fallbackReason = reason;
    this.stats.overlayUrl = readUrl(`/api/processor/streams/${encodeURIComponent(this.stream)}/overlay.mjpeg`);
    this.socket?.close();
    this.img = new Image();
    this.img.src = this.stats.overlayUrl;
  }

  renderMjpeg() {
    if (!this.img.complete || !this.img.naturalWidth) return;
    if (this.canvas.width !== this.img.naturalWidth) { this.canvas.width = this.img.naturalWidth; this.canvas.height = this.img.naturalHeight; }
    this.ctx.drawImage(this.img, 0, 0);
    this.stats.framesDrawn++;
  }

  /** Frame pixels of a mouse event on the canvas. */
  framePoint(event) {
    const r = this.canvas.getBoundingClientRect();
    return { x: Math.round((event.clientX - r.left) * this.canvas.width / r.width),
             y: Math.round((event.clientY - r.top) * this.canvas.height / r.height) };
  }

  /** Starts the latency figures afresh, e.g. once a benchmark's warm-up is over. */
  restartLatency() { this.latency = new Window(); this.hops = new Hops(); }

  snapshot() {
    return { ...this.stats, fpsReceived: this.received.perSecond(), fpsDecoded: this.decodedRate.perSecond(),
      fpsDrawn: this.drawnRate.perSecond(), queued: this.queue.length, decoding: this.decoding.length,
      hops: this.hops.snapshot(),
      latency: { p50: this.latency.percentile(50), p95: this.latency.percentile(95), count: this.latency.values.length } };
  }

  close() {
    this.running = false;
    this.socket?.close();
    if (this.img) this.img.src = '';
    this.queue.forEach(e => e.frame.close());
    this.queue = [];
    if (this.decoder && this.decoder.state !== 'closed') this.decoder.close();
  }
}
