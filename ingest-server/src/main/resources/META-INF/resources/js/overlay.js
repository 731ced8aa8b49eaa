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

/**
 * A COCO RLE mask's counts as numbers: as they are when sent as an array, else from COCO's compressed string (each
 * count in 5-bit groups, least significant first, 48 + group a character, 0x20 = more groups, 0x10 of the last = sign;
 * from the fourth count on the difference to the count two before).
 */
function countsOf(mask) {
  if (typeof mask.counts !== 'string') return mask.counts;
  const s = mask.counts, counts = [];
  for (let p = 0; p < s.length;) {
    let x = 0, k = 0, c;
    do { c = s.charCodeAt(p++) - 48; x += (c & 0x1f) * 32 ** k++; } while (c & 0x20);
    if (c & 0x10) x -= 32 ** k;
    counts.push(counts.length > 2 ? x + counts[counts.length - 2] : x);
  }
  return counts;
}

/** Runs of ones of column-major counts as [start, end) pixel indices. */
function* runs(counts) {
  let at = 0;
  for (let i = 0; i < counts.length; i++) {
    if (i % 2 === 1) yield [at, at + counts[i]];
    at += counts[i];
  }
}

/** The smallest rectangle of a frame of this height holding every run of ones of these column-major counts. */
function extent(countsOfMasks, height) {
  let x0 = Infinity, y0 = Infinity, x1 = -1, y1 = -1;
  for (const counts of countsOfMasks) {
    for (const [start, end] of runs(counts)) {
      if (end <= start) continue;
      const c0 = Math.floor(start / height), c1 = Math.floor((end - 1) / height);
      x0 = Math.min(x0, c0); x1 = Math.max(x1, c1);
      if (c0 === c1) { y0 = Math.min(y0, start % height); y1 = Math.max(y1, (end - 1) % height); } else { y0 = 0; y1 = height - 1; }
    }
  }
  return x1 < 0 ? null : { x: x0, y: y0, w: x1 - x0 + 1, h: y1 - y0 + 1 };
}

// Masks are full-frame RLE, but objects cover a small part of it: decoding and compositing only the rectangle that
// holds them keeps a 720p30 overlay cheap enough for a software-rendering browser. COCO's runs go down the columns,
// so the rectangle is composited transposed (a frame column is a row of the canvas, each run one fill) and drawn
// transposed back.
function masksOf(frame) {
  if (maskCache.has(frame)) return maskCache.get(frame);
  const first = (frame.objects || []).find(o => o.mask && o.mask.counts && o.mask.size);
  if (!first) return null;
  const [height, width] = first.mask.size;
  const masks = frame.objects.filter(o => o.mask && o.mask.counts && o.mask.size
    && o.mask.size[0] === height && o.mask.size[1] === width).map(o => ({ id: o.id, counts: countsOf(o.mask) }));
  const box = extent(masks.map(m => m.counts), height);
  if (!box) return null;
  const canvas = new OffscreenCanvas(box.h, box.w);
  const ctx = canvas.getContext('2d');
  const image = ctx.createImageData(box.h, box.w);
  const pixels = new Uint32Array(image.data.buffer);
  for (const m of masks) {
    const colour = rgbaOf(m.id);
    for (const [start, end] of runs(m.counts)) {
      for (let column = Math.floor(start / height), at = start; at < end; column++) {
        const columnEnd = Math.min(end, (column + 1) * height);
        const from = (column - box.x) * box.h - box.y - column * height;
        pixels.fill(colour, from + at, from + columnEnd);
        at = columnEnd;
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
  if (masks) { // mask pixels to frame pixels, then to the context; the canvas's (u, v) is the frame's (y, x)
    const { canvas, box } = masks, mx = frame.width / masks.width * sx, my = frame.height / masks.height * sy;
    ctx.save();
    ctx.transform(0, my, mx, 0, box.x * mx, box.y * my);
    ctx.drawImage(canvas, 0, 0);
    ctx.restore();
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
