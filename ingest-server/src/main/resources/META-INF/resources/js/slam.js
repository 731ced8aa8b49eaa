// Top-down trajectory (x, z of the camera-to-world translation) with keyframes and the tracking state, live.
const canvas = document.getElementById('trajectory');
const ctx = canvas.getContext('2d');
const stateLabel = document.getElementById('slam-state');
const MAX_POINTS = 5000;

export const slamState = { points: 0, keyframes: 0, state: null, results: {} }; // results: how many per tracking state
let path = [];

export function resetSlam() {
  path = [];
  Object.assign(slamState, { points: 0, keyframes: 0, state: null, results: {} });
  draw();
}

export function slamResult(result) {
  slamState.state = result.tracking_state;
  slamState.results[result.tracking_state] = (slamState.results[result.tracking_state] || 0) + 1;
  stateLabel.textContent = `${result.tracking_state || ''}${result.num_inliers != null ? ` · ${result.num_inliers} inliers` : ''}`;
  if (!Array.isArray(result.pose) || result.pose.length !== 16) return;
  path.push({ x: result.pose[3], z: result.pose[11], key: !!result.is_keyframe, lost: result.tracking_state === 'lost' });
  if (path.length > MAX_POINTS) path.shift();
  slamState.points = path.length;
  if (result.is_keyframe) slamState.keyframes++;
  draw();
}

function draw() {
  ctx.fillStyle = '#000';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  if (!path.length) return;
  const xs = path.map(p => p.x), zs = path.map(p => p.z);
  const [minX, maxX, minZ, maxZ] = [Math.min(...xs), Math.max(...xs), Math.min(...zs), Math.max(...zs)];
  const span = Math.max(maxX - minX, maxZ - minZ, 0.1);
  const scale = (canvas.width - 20) / span;
  const at = p => [10 + (p.x - minX) * scale, canvas.height - 10 - (p.z - minZ) * scale];
  ctx.strokeStyle = '#6cf';
  ctx.beginPath();
  path.forEach((p, i) => (i ? ctx.lineTo(...at(p)) : ctx.moveTo(...at(p))));
  ctx.stroke();
  for (const p of path) {
    if (!p.key) continue;
    ctx.fillStyle = '#fc6';
    ctx.fillRect(at(p)[0] - 2, at(p)[1] - 2, 5, 5);
  }
  const last = at(path[path.length - 1]);
  ctx.fillStyle = path[path.length - 1].lost ? '#f44' : '#8f8';
  ctx.beginPath();
  ctx.arc(last[0], last[1], 5, 0, 2 * Math.PI);
  ctx.fill();
}
