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

/** Directory / file / other, following symbolic links (as torchvision's ImageFolder does). */
async function kindOf(dir: string, e: import('node:fs').Dirent): Promise<'dir' | 'file' | 'other'> {
  if (e.isDirectory()) return 'dir';
  if (e.isFile()) return 'file';
  if (!e.isSymbolicLink()) return 'other';
  const st = await fs.stat(path.join(dir, e.name)).catch(() => undefined);
  return st?.isDirectory() ? 'dir' : st?.isFile() ? 'file' : 'other';
}

async function walk(dir: string, rel: string, out: string[], ignored: { n: number }, seen: Set<string>): Promise<void> {
  // Real paths already walked: a symbolic link pointing back up must not loop forever.
  const real = await fs.realpath(dir).catch(() => dir);
  if (seen.has(real)) return;
  seen.add(real);
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
    const kind = await kindOf(dir, e);
    if (kind === 'dir') await walk(path.join(dir, e.name), r, out, ignored, seen);
    else if (kind === 'file' && IMAGE_EXTENSIONS.has(path.extname(e.name).toLowerCase())) out.push(r);
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
  const visible = entries.filter((e) => !e.name.startsWith('.'));
  const kinds = await Promise.all(visible.map((e) => kindOf(root, e)));
  const classes = visible
    .filter((_, i) => kinds[i] === 'dir')
    .map((e) => e.name)
    .sort(byCodePoint);
  const ignored = { n: visible.length - classes.length };
  if (classes.length === 0) {
    throw new TripletkitError('E_EMPTY', `The input folder ${root} has no class subfolders.`, {
      hint: 'Put the images of each class in their own subfolder: root/<class>/<image>.',
    });
  }
  const items: ImageItem[] = [];
  for (let label = 0; label < classes.length; label++) {
    const files: string[] = [];
    await walk(path.join(root, classes[label]), classes[label], files, ignored, new Set());
    for (const rel of files) items.push({ path: rel, file: path.join(root, rel), label });
  }
  if (items.length === 0) {
    throw new TripletkitError('E_EMPTY', `The input folder ${root} has class subfolders but no image files.`, {
      hint: `Image files are recognised by extension (${[...IMAGE_EXTENSIONS].join(', ')}).`,
    });
  }
  return { kind: 'folder', root, items, classes, ignored: ignored.n };
}
