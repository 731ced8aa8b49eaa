// The WebCodecs player: Annex-B pictures from /ws/view/{stream} decoded by VideoDecoder, each held until its
// results are here (or HOLD_MS), then drawn by the Screen at the next display refresh: latest frame wins.
import { viewerSocket } from './api.js';
import { Rate } from './stats.js';

const HOLD_MS = 800;        // longest a decoded picture waits for its results
const MAX_QUEUE = 90;       // decoded pictures waiting to be shown
// a decoder whose oldest picture waited this long is behind: it gets nothing more until the next key picture, so
// a slow decoder costs dropped pictures, never a growing queue
const DECODER_BEHIND_MS = 100;

export class WebCodecsPlayer {
  constructor(player) {
    this.player = player;
    this.stats = player.stats;
    this.queue = [];    // decoded pictures, oldest first
    this.decoding = []; // {ts, handed} of pictures handed to the decoder and not out yet, in decoding order
    this.received = new Rate(); this.decodedRate = new Rate();
    this.running = true;
    if (typeof VideoDecoder === 'undefined') { player.cannot(this, 'no WebCodecs in this browser'); return; }
    requestAnimationFrame(() => this.render());
    this.socket = viewerSocket(`/ws/view/${encodeURIComponent(player.stream)}`,
      message => this.configure(message), data => this.chunk(data), () => this.running);
  }

  async configure(message) {
    if (message.type !== 'config') return;
    // pictures that arrive while support is checked must not reach a decoder set up for another codec
    this.closeDecoder();
    const config = { codec: message.codec, optimizeForLatency: true };
    const support = await VideoDecoder.isConfigSupported(config).catch(() => ({ supported: false }));
    if (!this.running) return;
    this.stats.codec = message.codec;
    this.stats.codecSupported = support.supported === true;
    if (!support.supported) { this.player.cannot(this, `cannot decode ${message.codec}`); return; }
    this.decoder = new VideoDecoder({ output: f => this.decoded(f), error: e => { this.needKey = true; this.stats.error = String(e); } });
    this.decoder.configure(config);
    this.decoding = [];
    this.needKey = true;
  }

  chunk(buffer) {
    const view = new DataView(buffer);
    if (view.getUint8(0) !== 1 || !this.decoder || this.decoder.state !== 'configured') return;
    const key = (view.getUint8(1) & 1) === 1;
    const ts = Number(view.getBigInt64(2));
    const now = Date.now();
    this.stats.framesReceived++;
    this.received.tick();
    this.player.screen.hops.add('pictureReceived', now - ts);
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
      if (handed.ts === ts) this.player.screen.hops.add('decoded', now - handed.handed); else this.stats.decoderLost++;
    }
    this.queue.push({ frame, ts, at: performance.now(), decoded: now });
    while (this.queue.length > MAX_QUEUE) { this.queue.shift().frame.close(); this.stats.framesSkipped++; }
  }

  /** A picture may show once its result is here, once results passed it (not processed), or after HOLD_MS. */
  ready(entry, now) {
    const results = this.player.results;
    return results.exact(entry.ts) || results.latestProcessedTs >= entry.ts || !results.flowing() || now - entry.at > HOLD_MS;
  }

  render() {
    if (!this.running) return;
    requestAnimationFrame(() => this.render());
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
    this.player.screen.paint(frame, frame.displayWidth, frame.displayHeight, ts, decoded);
    frame.close();
  }

  snapshot() {
    return { fpsReceived: this.received.perSecond(), fpsDecoded: this.decodedRate.perSecond(), queued: this.queue.length,
      decoding: this.decoding.length, width: this.player.screen.canvas.width, height: this.player.screen.canvas.height };
  }

  closeDecoder() {
    if (this.decoder && this.decoder.state !== 'closed') this.decoder.close();
    this.decoder = null;
  }

  close() {
    this.running = false;
    this.socket?.close();
    this.queue.forEach(e => e.frame.close());
    this.queue = [];
    this.closeDecoder();
  }
}
