// Draws a processed_frame's objects (mask, box, id, label) onto a 2D context scaled to the frame.
const colours = new Map();

export function colourOf(id) {
  if (!colours.has(id)) colours.set(id, `hsl(${(id * 137.5) % 360} 90% 55%)`);
  return colours.get(id);
}

function rgbaOf(id) { // little-endian RGBA packed for a Uint32Array, 45% alpha
  const h = ((id * 137.5) % 360) / 60, x = 1 - Math.abs((h % 2) - 1);
  const [r, g, b] = [[1, x, 0], [x, 1, 0], [0, 1, x], [0, x, 1], [x, 0, 1], [1, 0, x]][Math.floor(h) % 6]
    .map(v => Math.round(40 + v * 215));
  return (115 << 24) | (b << 16) | (g << 8) | r;
}

const maskCache = new WeakMap(); // processed_frame -> canvas with all its masks

function masksOf(frame) {
  if (maskCache.has(frame)) return maskCache.get(frame);
  const withMasks = (frame.objects || []).filter(o => o.mask && o.mask.counts);
  if (!withMasks.length) return null;
  const { width, height } = withMasks[0].mask;
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d');
  const image = ctx.createImageData(width, height);
  const pixels = new Uint32Array(image.data.buffer);
  for (const o of withMasks) {
    if (o.mask.width !== width || o.mask.height !== height) continue;
    const colour = rgbaOf(o.id);
    let at = 0;
    o.mask.counts.forEach((run, i) => {
      if (i % 2 === 1) pixels.fill(colour, at, Math.min(at + run, pixels.length));
      at += run;
    });
  }
  ctx.putImageData(image, 0, 0);
  maskCache.set(frame, canvas);
  return canvas;
}

/** Draws {@code frame}'s objects; {@code sx, sy} scale frame pixels to the context. */
export function drawObjects(ctx, frame, sx = 1, sy = 1) {
  const masks = masksOf(frame);
  if (masks) ctx.drawImage(masks, 0, 0, frame.width * sx, frame.height * sy);
  ctx.lineWidth = 2;
  ctx.font = '16px system-ui, sans-serif';
  for (const o of frame.objects || []) {
    const [x, y, w, h] = o.bbox;
    ctx.strokeStyle = ctx.fillStyle = colourOf(o.id);
    ctx.strokeRect(x * sx, y * sy, w * sx, h * sy);
    const text = `#${o.id} ${o.label || ''} ${o.score != null ? o.score.toFixed(2) : ''}`;
    ctx.fillText(text, x * sx + 2, Math.max(14, y * sy - 4));
  }
}
