/**
 * A folder with one subfolder per class → items, the way torchvision's ImageFolder sees it: class index = position
 * of the subfolder name in code-point order; image files found recursively inside each class, sorted by path.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { fsError, TripletkitError } from '@tripletkit/common';
import type { ImageItem, ResolvedSource } from './imageItem.ts';

/** File extensions treated as images (everything sharp decodes). Other files are ignored and counted. */
export const IMAGE_EXTENSIONS: ReadonlySet<string> = new Set([
  '.jpg',
  '.jpeg',
  '.jpe',
  '.jfif',
  '.png',
  '.webp',
  '.gif',
  '.tif',
  '.tiff',
  '.avif',
  '.heic',
  '.heif',
  '.svg',
  '.jp2',
  '.jxl',
]);

const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

async function walk(dir: string, rel: string, out: string[], ignored: { n: number }): Promise<void> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch (err) {
    throw fsError(err, dir, 'class folder');
  }
  entries.sort((a, b) => byCodePoint(a.name, b.name));
  for (const e of entries) {
    if (e.name.startsWith('.')) continue; // .DS_Store, editors' temp files
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) await walk(path.join(dir, e.name), r, out, ignored);
    else if (IMAGE_EXTENSIONS.has(path.extname(e.name).toLowerCase())) out.push(r);
    else ignored.n++;
  }
}

/**
 * Lists `root` (class-per-subfolder layout).
 *
 * @example
 * const { items, classes } = await listFolder('data/train'); // classes = ['cat', 'dog']
 */
export async function listFolder(root: string): Promise<ResolvedSource> {
  let stat: import('node:fs').Stats;
  try {
    stat = await fs.stat(root);
  } catch (err) {
    throw fsError(err, root, 'input folder');
  }
  if (!stat.isDirectory()) {
    throw new TripletkitError('E_ARG', `The input ${root} is a file, not a folder of class subfolders.`, {
      hint: 'Give a folder with one subfolder per class, or a manifest with --manifest, or --idx images labels.',
    });
  }
  let entries: import('node:fs').Dirent[];
  try {
    entries = await fs.readdir(root, { withFileTypes: true });
  } catch (err) {
    throw fsError(err, root, 'input folder');
  }
  const classes = entries
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort(byCodePoint);
  const ignored = { n: 0 };
  ignored.n += entries.filter((e) => !e.isDirectory() && !e.name.startsWith('.')).length;
  if (classes.length === 0) {
    throw new TripletkitError('E_EMPTY', `The input folder ${root} has no class subfolders.`, {
      hint: 'Put the images of each class in their own subfolder: root/<class>/<image>.',
    });
  }
  const items: ImageItem[] = [];
  for (let label = 0; label < classes.length; label++) {
    const files: string[] = [];
    await walk(path.join(root, classes[label]), classes[label], files, ignored);
    for (const rel of files) items.push({ path: rel, file: path.join(root, rel), label });
  }
  if (items.length === 0) {
    throw new TripletkitError('E_EMPTY', `The input folder ${root} has class subfolders but no image files.`, {
      hint: `Image files are recognised by extension (${[...IMAGE_EXTENSIONS].join(', ')}).`,
    });
  }
  return { kind: 'folder', root, items, classes, ignored: ignored.n };
}
