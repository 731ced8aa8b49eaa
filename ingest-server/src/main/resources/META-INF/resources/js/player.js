// Live video of one stream on a canvas, with its objects drawn on the picture they belong to (same capture_ts).
// The page picks, in order: WebCodecs where the browser decodes the stream's codec, else Media Source Extensions
// (fragmented MP4) where MediaSource.isTypeSupported says yes, else frame-processor's overlay MJPEG (objects already
// drawn in) through the proxy, saying why. ?player=webcodecs|mse|mjpeg forces one (falling back to the MJPEG only).
import { readUrl } from './api.js';
import { MsePlayer } from './mse.js';
import { Screen } from './screen.js';
import { WebCodecsPlayer } from './webcodecs.js';

export const PLAYERS = ['webcodecs', 'mse', 'mjpeg'];

/** What a person calls the codec of an RFC 6381 codec string. */
export function codecName(codec) {
  return codec?.startsWith('hvc1.') || codec?.startsWith('hev1.') ? 'H.265' : codec?.startsWith('avc1.') ? 'H.264' : codec;
}

class MjpegPlayer {
  constructor(player) {
    this.player = player;
    this.running = true;
    player.stats.overlayUrl = readUrl(`/api/processor/streams/${encodeURIComponent(player.stream)}/overlay.mjpeg`);
    this.img = new Image();
    this.img.src = player.stats.overlayUrl;
    requestAnimationFrame(() => this.render());
  }

  render() {
    if (!this.running) return;
    requestAnimationFrame(() => this.render());
    if (this.img.complete && this.img.naturalWidth) this.player.screen.paint(this.img, this.img.naturalWidth, this.img.naturalHeight);
  }

  snapshot() { return { width: this.img.naturalWidth, height: this.img.naturalHeight }; }

  close() { this.running = false; this.img.src = ''; }
}

const ENGINES = { webcodecs: WebCodecsPlayer, mse: MsePlayer, mjpeg: MjpegPlayer };

export class LivePlayer {
  constructor(canvas, stream, results, wanted = 'auto') {
    this.stream = stream;
    this.results = results;
    this.wanted = PLAYERS.includes(wanted) ? wanted : 'auto';
    this.screen = new Screen(canvas, results);
    this.stats = { mode: 'connecting', framesReceived: 0, framesDecoded: 0, framesSkipped: 0, decoderDrops: 0, decoderLost: 0 };
    this.start(this.wanted === 'auto' ? 'webcodecs' : this.wanted);
  }

  start(name) {
    const old = this.engine;
    this.engine = null;
    old?.close();
    this.stats.mode = name;
    const engine = new ENGINES[name](this);
    if (this.stats.mode === name) this.engine = engine; // its constructor may already have passed the stream on
  }

  /**
   * The engine cannot play the stream (e.g. H.265 without a decoder for it): the next player in the page's order
   * takes over; a forced player falls back to the overlay MJPEG only. The notice says why.
   */
  cannot(engine, why) {
    if (engine !== this.engine && this.engine !== null) return; // an engine already replaced
    const next = this.wanted === 'auto' && this.stats.mode === 'webcodecs' ? 'mse' : 'mjpeg';
    const codec = this.stats.codec;
    // the notice under the video is for the overlay MJPEG: another decoding player taking over needs none
    this.stats.fallbackReason = next !== 'mjpeg' ? undefined : codec ? `this browser cannot decode ${codecName(codec)} (${codec})` : why;
    this.stats.passedOver = { ...this.stats.passedOver, [this.stats.mode]: why };
    if (engine !== this.engine) engine.close();
    this.start(next);
  }

  /** Counts a processed_frame's arrival (capture to result received). */
  resultArrived(ts) { this.screen.hops.add('resultReceived', Date.now() - ts); }

  framePoint(event) { return this.screen.framePoint(event); }

  /** capture_ts of the picture on the screen (0 until one with a capture time is shown): what a prompt names. */
  get lastCaptureTs() { return this.screen.stats.lastCaptureTs; }

  /** Starts the latency figures afresh, e.g. once a benchmark's warm-up is over. */
  restartLatency() { this.screen.restartLatency(); }

  snapshot() {
    const screen = this.screen.snapshot();
    return { ...this.stats, ...screen, queued: 0, decoding: 0, ...this.engine?.snapshot() };
  }

  /** What window.fleetPlayer.stats() and the status line say. */
  summary() {
    const screen = this.screen.snapshot();
    return { player: this.stats.mode, codec: this.stats.codec ?? null, width: this.screen.canvas.width,
      height: this.screen.canvas.height, framesShown: screen.framesDrawn,
      latencyMs: { p50: screen.shownLatency.p50, p95: screen.shownLatency.p95 } };
  }

  close() {
    this.engine?.close();
  }
}
