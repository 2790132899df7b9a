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
