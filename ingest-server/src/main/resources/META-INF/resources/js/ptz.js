// PTZ panel against ptz-service (through /api/ptz): cameras, mode and policy, joystick, presets, pan/tilt/zoom.
import { control, getJson, send } from './api.js';

const MOVE_MS = 400; // a joystick press moves the camera this long (the service stops it after)
const cameraSelect = document.getElementById('ptz-camera');
const modeSelect = document.getElementById('ptz-mode');
const stateLine = document.getElementById('ptz-state');
const presets = document.getElementById('ptz-presets');
const base = () => `/api/ptz/ptz/${encodeURIComponent(cameraSelect.value)}`;

export const ptzState = { cameras: [], status: null, moves: 0 };

export function startPtz() {
  for (let n = 1; n <= 4; n++) {
    const b = control(document.createElement('button'), `move the camera to preset ${n}`);
    b.textContent = `preset ${n}`;
    b.onclick = () => cameraSelect.value && send('POST', `${base()}/presets/${n}`);
    presets.append(b);
  }
  document.querySelectorAll('#joystick button').forEach(b => b.addEventListener('click', () => move(b.dataset)));
  modeSelect.onchange = () => cameraSelect.value && send('PUT', `${base()}/mode`, { mode: modeSelect.value });
  refreshCameras();
  setInterval(refreshStatus, 500);
  setInterval(refreshCameras, 5000);
}

async function move(d) {
  if (!cameraSelect.value) return;
  const body = d.stop ? { pan_speed: 0, tilt_speed: 0, zoom_speed: 0 }
    : { pan_speed: Number(d.pan || 0) * 0.5, tilt_speed: Number(d.tilt || 0) * 0.5, zoom_speed: Number(d.zoom || 0) * 0.5, duration_ms: MOVE_MS };
  const answer = await send('POST', `${base()}/move`, body);
  if (answer.ok) ptzState.moves++;
}

async function refreshCameras() {
  const list = await getJson('/api/ptz/ptz');
  const cameras = Array.isArray(list) ? list : (list && list.cameras) || [];
  ptzState.cameras = cameras;
  const ids = cameras.map(c => (typeof c === 'string' ? c : c.camera_id ?? c.id ?? c.camera ?? c.name));
  if (ids.join() === [...cameraSelect.options].map(o => o.value).join()) return;
  const keep = cameraSelect.value;
  cameraSelect.replaceChildren(...ids.map(id => new Option(id, id)));
  if (ids.includes(keep)) cameraSelect.value = keep;
  stateLine.textContent = ids.length ? '' : 'no PTZ camera (ptz-service down or none configured)';
}

async function refreshStatus() {
  if (!cameraSelect.value) return;
  const s = await getJson(`${base()}/status`);
  ptzState.status = s;
  if (!s) return;
  const modes = s.modes || ['manual', 'auto'];
  if ([...modeSelect.options].map(o => o.value).join() !== modes.join()) modeSelect.replaceChildren(...modes.map(m => new Option(m, m)));
  if (document.activeElement !== modeSelect && s.mode) modeSelect.value = s.mode;
  const num = v => (typeof v === 'number' ? v.toFixed(1) : '?');
  stateLine.textContent = `pan ${num(s.pan_deg)}°  tilt ${num(s.tilt_deg)}°  zoom ${num(s.zoom)}×  policy ${s.policy || '-'}`
    + (s.target_id != null ? `  target #${s.target_id}` : '');
}
