// Segments of a stream on a timeline; playback from storage-service (the browser seeks with HTTP Range through the
// proxy) with the archived objects drawn on the picture whose capture time matches.
import { getJson, readUrl } from './api.js';
import { drawObjects } from './overlay.js';

const timeline = document.getElementById('timeline');
const video = document.getElementById('recording');
const overlay = document.getElementById('recording-overlay');
const ctx = overlay.getContext('2d');

export const recordingState = { segments: 0, playing: null, results: 0, overlaysDrawn: 0, currentTime: 0, error: null };
const notice = document.getElementById('recording-notice');

// recordings are fragmented MP4 files, played by the browser's own MP4 player (the demuxer and decoders its MSE uses):
// a codec it has no decoder for (H.265 in Chromium without a platform decoder) is said plainly, with the file to fetch
video.addEventListener('error', () => {
  const reason = { 3: 'a picture could not be decoded', 4: 'this browser has no decoder for its codec (H.265?)' }[video.error?.code]
    || video.error?.message || 'it could not be played';
  recordingState.error = reason;
  notice.hidden = false;
  notice.replaceChildren(`This recording cannot be played here: ${reason}. `);
  const link = document.createElement('a');
  link.href = video.currentSrc || video.src;
  link.textContent = 'Download it';
  notice.append(link);
});
let stream = null;
let archived = []; // processed_frame results of the playing segment, by capture_ts ascending
let segmentStart = 0;

export function showRecordings(streamId) {
  stream = streamId;
  refreshRecordings();
}

export async function refreshRecordings() {
  if (!stream) return;
  const list = await getJson(`/api/storage/archive/streams/${encodeURIComponent(stream)}/segments`);
  const segments = (list?.segments || []).filter(s => !s.open && s.state !== 'recording' && !String(s.path).includes('.partial'));
  recordingState.segments = segments.length;
  timeline.replaceChildren();
  if (!segments.length) { timeline.title = 'no closed recording yet'; return; }
  const from = segments[0].start_ts, to = segments[segments.length - 1].end_ts, span = Math.max(1, to - from);
  for (const s of segments) {
    const bar = document.createElement('div');
    bar.className = 'segment' + (s.start_ts === recordingState.playing ? ' playing' : '');
    bar.style.left = `${(s.start_ts - from) / span * 100}%`;
    bar.style.width = `${(s.end_ts - s.start_ts) / span * 100}%`;
    bar.title = `${new Date(s.start_ts).toLocaleTimeString()} – ${new Date(s.end_ts).toLocaleTimeString()}, ${s.frames} frames`;
    bar.dataset.start = s.start_ts;
    bar.onclick = () => play(s);
    timeline.append(bar);
  }
}

export async function play(segment) {
  recordingState.playing = segment.start_ts;
  segmentStart = segment.start_ts;
  timeline.querySelectorAll('.segment').forEach(b => b.classList.toggle('playing', Number(b.dataset.start) === segment.start_ts));
  const id = encodeURIComponent(stream);
  const results = await getJson(`/api/storage/archive/streams/${id}/results?from=${segment.start_ts}&to=${segment.end_ts}&kind=processed_frames`);
  archived = (results?.results || []).filter(r => r.capture_ts != null).sort((a, b) => a.capture_ts - b.capture_ts);
  recordingState.results = archived.length;
  recordingState.error = null;
  notice.hidden = true;
  video.src = readUrl(`/api/storage/archive/streams/${id}/segments/${segment.start_ts}.mp4`);
  video.play().catch(() => {});
  video.requestVideoFrameCallback?.(drawArchived);
}

function drawArchived(now, meta) {
  recordingState.currentTime = video.currentTime;
  if (overlay.width !== video.videoWidth) { overlay.width = video.videoWidth; overlay.height = video.videoHeight; }
  ctx.clearRect(0, 0, overlay.width, overlay.height);
  const ts = segmentStart + Math.round((meta?.mediaTime ?? video.currentTime) * 1000);
  const frame = nearest(ts);
  if (frame) {
    drawObjects(ctx, frame, overlay.width / frame.width, overlay.height / frame.height);
    recordingState.overlaysDrawn++;
  }
  video.requestVideoFrameCallback(drawArchived);
}

/** The archived result closest to ts, within half a frame at 15 fps. */
function nearest(ts) {
  let lo = 0, hi = archived.length - 1;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (archived[mid].capture_ts < ts) lo = mid + 1; else hi = mid; }
  const candidates = [archived[lo - 1], archived[lo]].filter(Boolean);
  const best = candidates.sort((a, b) => Math.abs(a.capture_ts - ts) - Math.abs(b.capture_ts - ts))[0];
  return best && Math.abs(best.capture_ts - ts) <= 34 ? best : null;
}
