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

const maskCache = new WeakMap(); // processed_frame -> its masks drawn on one small canvas, and where it goes

/** Foreground runs of a row-major RLE mask as [start, end) pixel indices. */
function* runs(counts) {
  let at = 0;
  for (let i = 0; i < counts.length; i++) {
    if (i % 2 === 1) yield [at, at + counts[i]];
    at += counts[i];
  }
}

/** The smallest rectangle of a frame of this width holding every foreground run of these masks. */
function extent(masks, width) {
  let x0 = Infinity, y0 = Infinity, x1 = -1, y1 = -1;
  for (const m of masks) {
    for (const [start, end] of runs(m.counts)) {
      if (end <= start) continue;
      const r0 = Math.floor(start / width), r1 = Math.floor((end - 1) / width);
      y0 = Math.min(y0, r0); y1 = Math.max(y1, r1);
      if (r0 === r1) { x0 = Math.min(x0, start % width); x1 = Math.max(x1, (end - 1) % width); } else { x0 = 0; x1 = width - 1; }
    }
  }
  return x1 < 0 ? null : { x: x0, y: y0, w: x1 - x0 + 1, h: y1 - y0 + 1 };
}

// Masks are full-frame RLE, but objects cover a small part of it: decoding and compositing only the rectangle that
// holds them keeps a 720p30 overlay cheap enough for a software-rendering browser.
function masksOf(frame) {
  if (maskCache.has(frame)) return maskCache.get(frame);
  const first = (frame.objects || []).find(o => o.mask && o.mask.counts);
  if (!first) return null;
  const { width, height } = first.mask;
  const masks = frame.objects.filter(o => o.mask && o.mask.counts && o.mask.width === width && o.mask.height === height);
  const box = extent(masks.map(o => o.mask), width);
  if (!box) return null;
  const canvas = new OffscreenCanvas(box.w, box.h);
  const ctx = canvas.getContext('2d');
  const image = ctx.createImageData(box.w, box.h);
  const pixels = new Uint32Array(image.data.buffer);
  for (const o of masks) {
    const colour = rgbaOf(o.id);
    for (const [start, end] of runs(o.mask.counts)) {
      for (let row = Math.floor(start / width), at = start; at < end; row++) {
        const rowEnd = Math.min(end, (row + 1) * width);
        const from = (row - box.y) * box.w - box.x;
        pixels.fill(colour, from + at - row * width, from + rowEnd - row * width);
        at = rowEnd;
      }
    }
  }
  ctx.putImageData(image, 0, 0);
  const drawn = { canvas, box, width, height };
  maskCache.set(frame, drawn);
  return drawn;
}

/** Draws {@code frame}'s objects; {@code sx, sy} scale frame pixels to the context. */
export function drawObjects(ctx, frame, sx = 1, sy = 1) {
  const masks = masksOf(frame);
  if (masks) { // mask pixels to frame pixels, then to the context
    const { canvas, box } = masks, mx = frame.width / masks.width * sx, my = frame.height / masks.height * sy;
    ctx.drawImage(canvas, box.x * mx, box.y * my, box.w * mx, box.h * my);
  }
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
