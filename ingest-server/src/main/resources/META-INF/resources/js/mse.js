// The MSE player: /ws/view/{stream}?format=fmp4 appended to a MediaSource's SourceBuffer on a <video> under the
// canvas. At each picture the video presents (requestVideoFrameCallback) the Screen draws it with the objects of its
// capture_ts, which is base_ts + its presentation time in ms. Playback is kept near the live edge: it is paced by
// the results, as WebCodecs' hold is, never more than HOLD_S behind the newest picture; behind that it speeds up or
// seeks, and media already played is removed, so the buffer never grows.
import { viewerSocket } from './api.js';
import { Rate } from './stats.js';

const HOLD_S = 0.8;          // longest playback waits behind the newest picture for its results
const SEEK_BEHIND_S = 0.5;   // further behind the target than this: seek to it; less: play faster
const CATCH_UP_RATE = 1.25;
const KEEP_S = 3;            // media kept behind the playback position
const MAX_PENDING = 30;      // fragments waiting for the SourceBuffer: more means it is behind, so drop to a key picture
const ARRIVALS_KEPT = 300;

export class MsePlayer {
  constructor(player) {
    this.player = player;
    this.stats = player.stats;
    this.received = new Rate();
    this.pending = [];
    this.arrivals = new Map(); // capture_ts -> Date.now() when its fragment arrived
    this.running = true;
    if (typeof MediaSource === 'undefined') { player.cannot(this, 'no Media Source Extensions in this browser'); return; }
    this.video = document.createElement('video');
    this.video.muted = true;
    this.video.playsInline = true;
    this.video.className = 'mse-source';
    player.screen.canvas.before(this.video);
    this.presented();
    this.socket = viewerSocket(`/ws/view/${encodeURIComponent(player.stream)}?format=fmp4`,
      message => this.configure(message), data => this.data(data), () => this.running);
  }

  /** A new initialization segment follows: a new MediaSource for it (the codec or the size may have changed). */
  configure(message) {
    if (message.type !== 'config' || message.format !== 'fmp4') return;
    const mime = `video/mp4; codecs="${message.codec}"`;
    this.stats.codec = message.codec;
    this.stats.codecSupported = MediaSource.isTypeSupported(mime);
    if (!this.stats.codecSupported) { this.player.cannot(this, `cannot decode ${message.codec}`); return; }
    this.base = message.base_ts;
    this.pending = [];
    this.sourceBuffer = null;
    const source = this.source = new MediaSource();
    if (this.video.src) URL.revokeObjectURL(this.video.src);
    this.video.src = URL.createObjectURL(source);
    source.addEventListener('sourceopen', () => {
      if (source !== this.source || !this.running) return;
      const buffer = this.sourceBuffer = source.addSourceBuffer(mime);
      buffer.addEventListener('updateend', () => this.pump());
      buffer.addEventListener('error', () => { this.stats.error = 'SourceBuffer error'; this.needKey = true; });
      this.pump();
    }, { once: true });
  }

  data(buffer) {
    const bytes = new Uint8Array(buffer);
    if (bytes[0] === 2) { this.pending.push(bytes.subarray(1)); this.needKey = false; this.pump(); return; }
    if (bytes[0] !== 3 || !this.source) return;
    const key = (bytes[1] & 1) === 1;
    const ts = Number(new DataView(buffer).getBigInt64(2));
    const now = Date.now();
    this.stats.framesReceived++;
    this.received.tick();
    this.player.screen.hops.add('pictureReceived', now - ts);
    if (!key && (this.needKey || this.pending.length > MAX_PENDING)) {
      this.needKey = true; // behind: the SourceBuffer gets nothing until the next key picture
      this.stats.decoderDrops++;
      return;
    }
    this.needKey = false;
    this.arrivals.set(ts, now);
    if (this.arrivals.size > ARRIVALS_KEPT) this.arrivals.delete(this.arrivals.keys().next().value);
    this.pending.push(bytes.subarray(10));
    this.pump();
  }

  /** Appends everything waiting, as one append, whenever the SourceBuffer is free. */
  pump() {
    const buffer = this.sourceBuffer;
    if (!buffer || buffer.updating) return;
    if (!this.pending.length) { this.keepLive(); return; }
    const all = new Uint8Array(this.pending.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const part of this.pending) { all.set(part, at); at += part.length; }
    this.pending = [];
    try {
      buffer.appendBuffer(all);
    } catch (e) { // QuotaExceededError, or the source closed under it
      this.stats.error = String(e);
      this.needKey = true;
    }
  }

  /** Keeps playback just behind the target and the buffer short. */
  keepLive() {
    const video = this.video, ranges = video.buffered, buffer = this.sourceBuffer;
    if (!ranges.length || !buffer) return;
    const start = ranges.start(ranges.length - 1), end = ranges.end(ranges.length - 1);
    const results = this.player.results;
    const target = results.flowing() ? Math.min(end, Math.max(end - HOLD_S, (results.latestProcessedTs - this.base) / 1000)) : end;
    const behind = target - video.currentTime;
    if (behind > SEEK_BEHIND_S || video.currentTime < start) {
      video.currentTime = Math.max(start, target);
      this.stats.seeks = (this.stats.seeks || 0) + 1;
    }
    video.playbackRate = behind > 0.1 ? CATCH_UP_RATE : 1;
    if (video.paused) video.play().catch(() => {});
    const first = ranges.start(0);
    if (!buffer.updating && video.currentTime - first > 2 * KEEP_S) buffer.remove(first, video.currentTime - KEEP_S);
  }

  /** Draws every picture the video presents, with the objects of its capture_ts. */
  presented() {
    this.video.requestVideoFrameCallback((now, frame) => {
      if (!this.running) return;
      if (this.base !== undefined) {
        const ts = this.base + Math.round(frame.mediaTime * 1000);
        this.stats.framesDecoded++;
        this.player.screen.paint(this.video, frame.width, frame.height, ts, this.arrivals.get(ts));
      }
      this.keepLive();
      this.presented();
    });
  }

  snapshot() {
    const ranges = this.video?.buffered;
    return { fpsReceived: this.received.perSecond(), queued: this.pending.length,
      bufferedS: ranges?.length ? ranges.end(ranges.length - 1) - this.video.currentTime : 0,
      width: this.video?.videoWidth, height: this.video?.videoHeight };
  }

  close() {
    this.running = false;
    this.socket?.close();
    if (this.video) {
      this.video.pause();
      if (this.video.src) URL.revokeObjectURL(this.video.src);
      this.video.removeAttribute('src');
      this.video.load();
      this.video.remove();
    }
  }
}
