import { writeAtomic } from '@tripletkit/common';
import sharp, { type OverlayOptions } from 'sharp';
import { FONT, PALETTE, text } from './svg.ts';

/** One image of the grid: raw pixels (H·W·C, channels last) and a caption under it. */
export interface GridImage {
  pixels: Uint8Array;
  width: number;
  height: number;
  channels: number;
  caption: string;
}

/** One row: a query and its nearest references, each marked right (same class) or wrong. */
export interface GridRow {
  query: GridImage;
  neighbors: (GridImage & { correct: boolean })[];
}

const TILE = 84;
const BORDER = 5;
const GAP = 10;
const CAPTION = 18;
const PAD = 16;
const HEADER = 44;

/**
 * Draws a retrieval grid to a PNG: one query per row (blue border) followed by its nearest neighbours, each with a
 * green border when it has the query's class and red when it does not. Images are upscaled with nearest-neighbour
 * sampling so pixels stay sharp; captions and borders come from an SVG layer.
 *
 * @example
 * await retrievalGrid([{ query, neighbors }], 'report/retrieval.png', 'Test queries and their 5 nearest neighbours');
 */
export async function retrievalGrid(rows: GridRow[], file: string, title: string): Promise<void> {
  const cols = Math.max(1, ...rows.map((r) => r.neighbors.length));
  const cell = TILE + 2 * BORDER;
  const width = PAD * 2 + cell + 3 * GAP + cols * (cell + GAP) - GAP;
  const rowH = cell + CAPTION + GAP;
  const height = HEADER + rows.length * rowH + PAD;
  const svg: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<g font-family="${FONT}" fill="#222222">`,
    text(PAD, 22, title, { size: 15, weight: 'bold' }),
    text(PAD, 38, 'query', { size: 11, fill: PALETTE.blue }),
    text(PAD + cell + 3 * GAP, 38, 'nearest first — green: same class, red: another class', { size: 11 }),
  ];
  const tiles: OverlayOptions[] = [];
  const place = async (img: GridImage, x: number, y: number, color: string) => {
    svg.push(`<rect x="${x}" y="${y}" width="${cell}" height="${cell}" fill="${color}"/>`);
    svg.push(text(x + cell / 2, y + cell + 14, img.caption, { size: 11, anchor: 'middle' }));
    const input = await sharp(Buffer.from(img.pixels.buffer, img.pixels.byteOffset, img.pixels.byteLength), {
      raw: { width: img.width, height: img.height, channels: img.channels as 1 | 2 | 3 | 4 },
    })
      .resize(TILE, TILE, { kernel: 'nearest', fit: 'contain', background: '#000000' })
      .png()
      .toBuffer();
    tiles.push({ input, left: x + BORDER, top: y + BORDER });
  };
  for (let r = 0; r < rows.length; r++) {
    const y = HEADER + r * rowH;
    await place(rows[r].query, PAD, y, PALETTE.blue);
    for (let c = 0; c < rows[r].neighbors.length; c++) {
      const n = rows[r].neighbors[c];
      await place(n, PAD + cell + 3 * GAP + c * (cell + GAP), y, n.correct ? PALETTE.green : PALETTE.red);
    }
  }
  svg.push('</g></svg>');
  const base = sharp(Buffer.from(svg.join('\n')));
  await writeAtomic(file, async (tmp) => {
    await base.composite(tiles).png({ compressionLevel: 9 }).toFile(tmp);
  });
}
