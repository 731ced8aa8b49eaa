// The dashboard: stream list with health, live view with click-to-track, PTZ, SLAM and recordings panels.
import { canControl, getJson, send, session, signedIn } from './api.js';
import { LivePlayer, codecName } from './player.js';
import { Results } from './results.js';
import { ptzState, startPtz } from './ptz.js';
import { resetSlam, slamResult, slamState } from './slam.js';
import { recordingState, refreshRecordings, showRecordings } from './recordings.js';

const SERVICES = { processor: 'frame-processor', slam: 'slam-service', storage: 'storage-service', ptz: 'ptz-service' };
const canvas = document.getElementById('video');
const rows = document.querySelector('#streams tbody');
let selected = null, player = null, results = null;
// ?stream=ID picks the stream (#ID too, as older links do), ?player=webcodecs|mse|mjpeg the player
const params = new URLSearchParams(location.search);
const wantedPlayer = params.get('player') || 'auto';

const dashboard = window.dashboard = {
  get selected() { return selected; },
  get live() { return player?.snapshot(); },
  get ptz() { return ptzState; },
  get slam() { return slamState; },
  get recording() { return recordingState; },
  get session() { return { ...session }; },
  prompts: [],
  streams: [],
  replicas: {},
  restartLatency: () => player?.restartLatency(),
};

/** The player of the stream on screen: {player, codec, width, height, framesShown, latencyMs: {p50, p95}}. */
window.fleetPlayer = { stats: () => player?.summary() ?? null };

function select(stream) {
  if (stream === selected) return;
  selected = stream;
  player?.close();
  results?.close();
  resetSlam();
  document.getElementById('live-stream').textContent = stream;
  results = new Results(stream, {
    onPart: (kind, body, ts) => {
      if (kind === 'slam_result') slamResult(body);
      else if (kind === 'processed_frame') player?.resultArrived(ts);
    },
    onEvent: kind => kind === 'recording_closed' && refreshRecordings(),
  });
  player = new LivePlayer(canvas, stream, results, wantedPlayer);
  showRecordings(stream);
  params.set('stream', stream);
  history.replaceState(null, '', `?${params}`);
  renderRows();
}

async function refreshStreams() {
  const streams = await getJson('/streams') || [];
  const perService = {};
  // every replica of each service, with the streams it owns and its states (one service URL may be many replicas)
  const directory = await getJson('/dashboard/replicas');
  await Promise.all(Object.keys(SERVICES).map(async name => {
    const replicas = directory?.[name]?.replicas || [];
    if (replicas.length) {
      perService[name] = { states: replicas.flatMap(r => r.streams || []), replicas, up: true };
      return;
    }
    const [states, ownership] = await Promise.all([getJson(`/api/${name}/streams`), getJson(`/api/${name}/ownership`)]);
    perService[name] = { states: states || [], replicas: ownership ? [{ replica: ownership.replica, owned: ownership.owned || [] }] : [],
      up: states !== null };
  }));
  dashboard.replicas = Object.fromEntries(Object.entries(perService).map(([name, p]) =>
    [name, p.replicas.map(r => ({ replica: r.replica, owned: r.owned || [] }))]));
  renderReplicas();
  const details = await Promise.all(streams.map(s => getJson(`/streams/${encodeURIComponent(s.id)}`)));
  dashboard.streams = streams.map((s, i) => ({ ...s, drops: (details[i]?.readers || []).reduce((n, r) => n + r.drops, 0),
    services: Object.fromEntries(Object.entries(perService).map(([name, p]) => [name, serviceView(p, s.id)])) }));
  renderRows();
  if (!selected) {
    // a link to one stream (?stream=id, or #id) waits for that stream; without one the first stream is shown
    const wanted = params.get('stream') || decodeURIComponent(location.hash.slice(1));
    const first = wanted ? streams.find(s => s.id === wanted) : streams[0];
    if (first) select(first.id);
  }
}

function serviceView(p, id) {
  if (!p.up) return { up: false };
  const owner = p.replicas.find(r => r.owned?.includes(id));
  // the owner's state where a replica owns the stream and reported its states
  const state = (owner?.streams || p.states).find(s => s.stream_id === id);
  return { up: true, fps: state?.fps_in, processed: state?.fps_processed, dropped: state?.dropped,
    reconnects: state?.reconnects, owner: owner?.replica || null };
}

function renderReplicas() {
  const list = document.getElementById('replicas');
  list.replaceChildren(...Object.entries(dashboard.replicas).filter(([, rs]) => rs.length > 1 || rs.some(r => r.owned.length))
    .map(([name, rs]) => {
      const li = document.createElement('li');
      li.textContent = `${SERVICES[name]}: ` + rs.map(r => `${r.replica} (${r.owned.length ? r.owned.join(', ') : 'no stream'})`).join(' · ');
      return li;
    }));
}

function renderRows() {
  rows.replaceChildren(...dashboard.streams.map(s => {
    const tr = document.createElement('tr');
    tr.className = s.id === selected ? 'selected' : '';
    tr.dataset.stream = s.id;
    const services = Object.entries(s.services).map(([name, v]) => !v.up ? `${name}: down`
      : v.fps == null ? `${name}: not pulling`
      : `${name}: ${v.processed?.toFixed(1)} fps, ${v.dropped} drops, ${v.reconnects} reconnects${v.owner ? ` @${v.owner}` : ''}`).join(' · ');
    tr.innerHTML = `<td></td><td>${s.input_fps.toFixed(1)} fps · ${s.source_state}</td><td>${s.readers} (${s.drops} drops)</td><td></td>`;
    tr.cells[0].textContent = s.id;
    tr.cells[3].textContent = services;
    tr.onclick = () => select(s.id);
    return tr;
  }));
}

// click: positive point; shift-click: negative point; drag: box (the operator's: a viewer's canvas only shows)
let down = null;
canvas.addEventListener('mousedown', e => {
  if (player && canControl()) down = { ...player.framePoint(e), shown: player.lastCaptureTs };
});
canvas.addEventListener('mouseup', async e => {
  if (!down || !player) return;
  const up = player.framePoint(e), start = down;
  down = null;
  const dragged = Math.abs(up.x - start.x) > 8 && Math.abs(up.y - start.y) > 8;
  const body = dragged
    ? { box: [Math.min(up.x, start.x), Math.min(up.y, start.y), Math.abs(up.x - start.x), Math.abs(up.y - start.y)] }
    : { points: [{ x: up.x, y: up.y, positive: !e.shiftKey }] };
  // the picture the user aimed at (a click's when pressed, a box's when finished): frame-processor carries the
  // prompt along with the object it was made on, which has moved on by the frame the prompt reaches
  const shown = dragged ? player.lastCaptureTs : start.shown;
  if (shown) body.capture_ts = shown;
  const answer = await send('POST', `/api/processor/streams/${encodeURIComponent(selected)}/prompts`, body);
  dashboard.prompts.push({ request: body, status: answer.status, answer: answer.body, at: Date.now() });
  document.getElementById('prompt-answer').textContent = answer.ok
    ? `object #${answer.body.object_id} ${answer.body.created ? 'created' : 'corrected'}` : `prompt refused (${answer.status}${answer.body?.message ? ': ' + answer.body.message : ''})`;
});

setInterval(() => {
  const live = player?.snapshot();
  if (!live) return;
  const shown = player.summary();
  document.getElementById('video-mode').textContent = `${shown.player}${shown.codec ? ` · ${codecName(shown.codec)} (${shown.codec})` : ''}`
    + ` · ${shown.width}x${shown.height} · ${shown.framesShown} frames shown, ${live.fpsDrawn.toFixed(0)} fps`
    + (shown.latencyMs.p50 == null ? '' : ` · capture→shown p50 ${shown.latencyMs.p50} ms, p95 ${shown.latencyMs.p95} ms`);
  showFallback(live);
  document.getElementById('latency').textContent = live.latency.p50 == null ? ''
    : `capture→overlay p50 ${live.latency.p50} ms, p95 ${live.latency.p95} ms`;
  document.getElementById('objects').textContent = live.objectsDrawn.length ? `objects ${live.objectsDrawn.map(id => `#${id}`).join(' ')}` : '';
}, 500);

/** Says plainly why the page shows the overlay MJPEG rather than the decoded stream (e.g. H.265 it cannot decode). */
function showFallback(live) {
  document.getElementById('video-notice').hidden = !live.fallbackReason;
  if (!live.fallbackReason) return;
  document.getElementById('video-notice-reason').textContent = live.fallbackReason;
  document.getElementById('video-notice-overlay').href = live.overlayUrl;
}

await signedIn; // every read needs the session
startPtz();
refreshStreams();
setInterval(refreshStreams, 2000);
setInterval(refreshRecordings, 10000);
