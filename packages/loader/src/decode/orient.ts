/**
 * Applies an EXIF orientation (1–8) to row-major HWC pixels, as sharp's `rotate()` / autoOrient does.
 */

/**
 * @example
 * const { pixels, width, height } = orient(px, 640, 480, 3, 6); // now 480 × 640
 */
export function orient(
  src: Uint8Array,
  w: number,
  h: number,
  c: number,
  orientation: number,
): { pixels: Uint8Array; width: number; height: number } {
  if (orientation <= 1 || orientation > 8) return { pixels: src, width: w, height: h };
  const swap = orientation >= 5;
  const ow = swap ? h : w;
  const oh = swap ? w : h;
  const out = new Uint8Array(src.length);
  for (let y = 0; y < oh; y++) {
    for (let x = 0; x < ow; x++) {
      let sx: number;
      let sy: number;
      switch (orientation) {
        case 2:
          sx = w - 1 - x;
          sy = y;
          break;
        case 3:
          sx = w - 1 - x;
          sy = h - 1 - y;
          break;
        case 4:
          sx = x;
          sy = h - 1 - y;
          break;
        case 5:
          sx = y;
          sy = x;
          break;
        case 6:
          sx = y;
          sy = h - 1 - x;
          break;
        case 7:
          sx = w - 1 - y;
          sy = h - 1 - x;
          break;
        default:
          sx = w - 1 - y;
          sy = x;
      }
      const s = (sy * w + sx) * c;
      const o = (y * ow + x) * c;
      for (let k = 0; k < c; k++) out[o + k] = src[s + k];
    }
  }
  return { pixels: out, width: ow, height: oh };
}
