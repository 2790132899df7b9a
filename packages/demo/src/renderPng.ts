import { writeAtomic } from '@tripletkit/common';
import sharp from 'sharp';

/**
 * Rasterises an SVG string to a PNG file with sharp (librsvg), written atomically. `density` 144 renders at 2× the
 * SVG's pixel size, so text stays crisp on high-DPI screens while the HTML shows it at its SVG size.
 *
 * @example
 * await svgToPng(lineChart({...}), 'report/loss.png');
 */
export async function svgToPng(svg: string, file: string, density = 144): Promise<void> {
  await writeAtomic(file, async (tmp) => {
    await sharp(Buffer.from(svg), { density }).png({ compressionLevel: 9 }).toFile(tmp);
  });
}

/** Format and size of an image file (for checks and tests). */
export async function imageInfo(
  file: string,
): Promise<{ format: string; width: number; height: number; channels: number }> {
  const m = await sharp(file).metadata();
  return { format: m.format ?? 'unknown', width: m.width ?? 0, height: m.height ?? 0, channels: m.channels ?? 0 };
}

/** Decodes an image file to 8-bit RGB pixels, row-major (for checks and tests). */
export async function readRgb(file: string): Promise<{ data: Uint8Array; width: number; height: number }> {
  const { data, info } = await sharp(file)
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  return {
    data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    width: info.width,
    height: info.height,
  };
}
