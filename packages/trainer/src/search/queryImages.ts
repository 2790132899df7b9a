import fs from 'node:fs/promises';
import path from 'node:path';
import { fsError, TripletkitError } from '@tripletkit/common';
import { type BadFile, IMAGE_EXTENSIONS, type ImageSource, openImages, writeImages } from '@tripletkit/loader';
import type { Preprocessing } from './preprocessing.ts';

/** Images ready for a model: an images file with exactly the given preprocessing. */
export interface PreparedImages {
  /** Images file (the user's own, or one written to `tmpDir`). */
  file: string;
  /** Whether labels mean something (an images file or class folders), or are a placeholder (loose files). */
  labelled: boolean;
  /** Files that could not be decoded and were skipped. */
  skipped: BadFile[];
}

const sameShape = (a: Preprocessing, h: number, w: number, c: number) =>
  a.height === h && a.width === w && a.channels === c;

/**
 * Turns what the user named — an images file, a folder (class subfolders or loose images) or a list of image files —
 * into an images file preprocessed exactly as `prep` says (size, channels, fit, kernel), so query pixels match the
 * gallery's and the model's.
 *
 * @example
 * const q = await prepareImages(['a.jpg', 'b.png'], prep, tmp);
 */
export async function prepareImages(input: string[], prep: Preprocessing, tmpDir: string): Promise<PreparedImages> {
  if (input.length === 0) {
    throw new TripletkitError('E_ARG', 'No query images given.', {
      hint: 'Give image files, a folder or an images .arrow file.',
    });
  }
  if (input.length === 1 && input[0].endsWith('.arrow')) {
    const images = await openImages(input[0]);
    const { height, width, channels } = images;
    await images.close();
    if (!sameShape(prep, height, width, channels)) {
      throw new TripletkitError(
        'E_DATA',
        `The images file ${input[0]} holds ${height}×${width}×${channels} images but the model takes ${prep.height}×${prep.width}×${prep.channels}.`,
        {
          hint: `Give the original images instead (they are then loaded as the model expects), or reload them with --size ${prep.height} --channels ${prep.channels} --fit ${prep.fit}.`,
        },
      );
    }
    return { file: input[0], labelled: true, skipped: [] };
  }
  let source: ImageSource;
  let labelled = false;
  if (input.length === 1 && (await isDirectory(input[0]))) {
    const entries = await fs.readdir(input[0], { withFileTypes: true });
    if (entries.some((e) => e.isDirectory())) {
      source = { folder: input[0] };
      labelled = true;
    } else {
      const files = entries
        .filter((e) => IMAGE_EXTENSIONS.has(path.extname(e.name).toLowerCase()))
        .map((e) => path.join(input[0], e.name))
        .sort();
      source = { manifest: await writeManifest(files, tmpDir) };
    }
  } else {
    for (const f of input) await fs.stat(f).catch((err) => Promise.reject(fsError(err, f, 'query image')));
    source = { manifest: await writeManifest(input, tmpDir) };
  }
  const file = path.join(tmpDir, 'query.arrow');
  const skipped: BadFile[] = [];
  await writeImages(file, source, {
    height: prep.height,
    width: prep.width,
    channels: prep.channels,
    fit: prep.fit,
    kernel: prep.kernel,
    onBadFile: (b) => skipped.push(b),
  });
  return { file, labelled, skipped };
}

async function isDirectory(p: string): Promise<boolean> {
  const st = await fs.stat(p).catch((err) => Promise.reject(fsError(err, p, 'query folder')));
  return st.isDirectory();
}

/** A JSONL manifest of loose files (absolute paths; one placeholder label, since these images have no class). */
async function writeManifest(files: string[], tmpDir: string): Promise<string> {
  if (files.length === 0) {
    throw new TripletkitError('E_ARG', 'The query folder holds no image files.', {
      hint: `Give a folder with images (${[...IMAGE_EXTENSIONS].slice(0, 5).join(', ')}, …).`,
    });
  }
  const manifest = path.join(tmpDir, 'query.jsonl');
  await fs.writeFile(manifest, files.map((f) => JSON.stringify({ path: path.resolve(f), label: '?' })).join('\n'));
  return manifest;
}
