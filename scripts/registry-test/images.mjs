// A small, deterministic image folder for the registry test: 4 classes × 12 gray 12×12 PNGs, written with the
// repository's own sharp (a dependency of @tripletkit/loader).
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const loaderPkg = fileURLToPath(new URL('../../packages/loader/package.json', import.meta.url));
const sharp = createRequire(loaderPkg)('sharp');

/** Writes imgs/c<k>/<i>.png under `dir`. */
export async function generateImages(dir) {
  for (let c = 0; c < 4; c++) {
    mkdirSync(path.join(dir, `c${c}`), { recursive: true });
    for (let i = 0; i < 12; i++) {
      const px = Buffer.alloc(144);
      for (let k = 0; k < px.length; k++) px[k] = ((k * (c + 3) + i * 7) % 97) * 2 + (k % 12 < c * 3 ? 60 : 0);
      const raw = { raw: { width: 12, height: 12, channels: 1 } };
      await sharp(px, raw)
        .png()
        .toFile(path.join(dir, `c${c}`, `${i}.png`));
    }
  }
}
