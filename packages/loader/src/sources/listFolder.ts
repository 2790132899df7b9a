/**
 * A folder with one subfolder per class → items, the way torchvision's ImageFolder sees it: class index = position
 * of the subfolder name in code-point order; image files found recursively inside each class, sorted by path.
 *
 * The walk is safe on hostile trees: names are handled as bytes (a class folder whose name is not UTF-8 still loads;
 * its name is shown with U+FFFD), a class folder may be a symbolic link (followed, like ImageFolder), but inside a
 * class a linked folder is followed only when it stays inside that class's folder and was not listed yet — so a link
 * to `..` or to another class never loads images twice or under the wrong label. Loops, dangling links, links out of
 * the class and unreadable folders are reported (as {@link SkippedEntry}), not silently counted.
 */
import type { Dirent } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fsError, TripletkitError } from '@tripletkit/common';
import type { ImageItem, ResolvedSource, SkippedEntry } from './imageItem.ts';

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

const SLASH = Buffer.from('/');
const join = (dir: Buffer, name: Buffer) => Buffer.concat([dir, SLASH, name]);
/** Byte order = code-point order for UTF-8 names. */
const byBytes = (a: Dirent<Buffer>, b: Dirent<Buffer>) => Buffer.compare(a.name, b.name);
/** A path as text (for the `path` column, class names and messages): UTF-8, invalid bytes as U+FFFD. */
const text = (b: Buffer) => b.toString('utf8');
/** A path as given to fs: a string when it survives the round trip, else the bytes themselves. */
const fsPath = (b: Buffer): string | Buffer => (Buffer.from(text(b)).equals(b) ? text(b) : b);
const inside = (child: string, parent: string) => child === parent || child.startsWith(parent + path.sep);

type Kind = 'dir' | 'file' | 'other' | { skip: SkippedEntry['reason']; message: string };

/** Directory / file / other, following symbolic links; a broken or looping link is a skip with its reason. */
async function kindOf(full: Buffer, e: Dirent<Buffer>): Promise<Kind> {
  if (e.isDirectory()) return 'dir';
  if (e.isFile()) return 'file';
  if (!e.isSymbolicLink()) return 'other';
  try {
    const st = await fs.stat(full);
    return st.isDirectory() ? 'dir' : st.isFile() ? 'file' : 'other';
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') return { skip: 'symlink-loop', message: 'the symbolic link resolves to itself (a loop)' };
    if (code === 'ENOENT') return { skip: 'dangling-link', message: 'the symbolic link points to nothing' };
    return { skip: 'unreadable', message: `the symbolic link cannot be followed (${code})` };
  }
}

interface Walk {
  out: string[];
  files: (string | Buffer)[];
  skipped: SkippedEntry[];
  ignored: number;
  /** Real path of every folder listed so far → its class. */
  visited: Map<string, string>;
}

async function walk(dir: Buffer, rel: string, cls: { name: string; real: string }, w: Walk, real: string) {
  let entries: Dirent<Buffer>[];
  try {
    entries = await fs.readdir(dir, { withFileTypes: true, encoding: 'buffer' });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    w.skipped.push({ index: -1, path: rel, reason: 'unreadable', message: `the folder cannot be listed (${code})` });
    return;
  }
  entries.sort(byBytes);
  for (const e of entries) {
    if (e.name[0] === 0x2e) continue; // .DS_Store, editors' temp files, .git
    const full = join(dir, e.name);
    const r = `${rel}/${text(e.name)}`;
    const kind = await kindOf(full, e);
    if (typeof kind === 'object') {
      w.skipped.push({ index: -1, path: r, reason: kind.skip, message: kind.message });
    } else if (kind === 'dir') {
      const sub = await fs.realpath(full).catch(() => undefined);
      if (sub === undefined) {
        w.skipped.push({ index: -1, path: r, reason: 'unreadable', message: 'the folder cannot be resolved' });
      } else if (inside(real, sub)) {
        w.skipped.push({
          index: -1,
          path: r,
          reason: 'symlink-loop',
          message: 'the link points back to a folder above it',
        });
      } else if (w.visited.has(sub)) {
        const owner = w.visited.get(sub)!;
        w.skipped.push({
          index: -1,
          path: r,
          reason: 'already-listed',
          message: `the link leads to a folder already listed${owner === cls.name ? '' : ` as class ${owner}`}`,
        });
      } else if (!inside(sub, cls.real)) {
        const owner = [...w.visited].find(([p]) => inside(sub, p))?.[1];
        w.skipped.push({
          index: -1,
          path: r,
          reason: 'outside-class',
          message: owner
            ? `the link leads into class ${owner}'s folder`
            : `the link leads out of class ${cls.name}'s folder (to ${sub})`,
        });
      } else {
        w.visited.set(sub, cls.name);
        await walk(full, r, cls, w, sub);
      }
    } else if (kind === 'file' && IMAGE_EXTENSIONS.has(path.extname(text(e.name)).toLowerCase())) {
      w.out.push(r);
      w.files.push(fsPath(full));
    } else w.ignored++;
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
  const rootB = Buffer.from(root);
  let entries: Dirent<Buffer>[];
  try {
    entries = await fs.readdir(rootB, { withFileTypes: true, encoding: 'buffer' });
  } catch (err) {
    throw fsError(err, root, 'input folder');
  }
  const rootReal = await fs.realpath(root);
  const visible = entries.filter((e) => e.name[0] !== 0x2e).sort(byBytes);
  const w: Walk = { out: [], files: [], skipped: [], ignored: 0, visited: new Map() };
  const classDirs: { name: string; bytes: Buffer; real: string }[] = [];
  for (const e of visible) {
    const full = join(rootB, e.name);
    const kind = await kindOf(full, e);
    const name = text(e.name);
    if (typeof kind === 'object') w.skipped.push({ index: -1, path: name, reason: kind.skip, message: kind.message });
    else if (kind !== 'dir') w.ignored++;
    else {
      const real = await fs.realpath(full);
      if (inside(rootReal, real)) {
        w.skipped.push({
          index: -1,
          path: name,
          reason: 'symlink-loop',
          message: 'the link points to the input folder or above it',
        });
        continue;
      }
      const twin = classDirs.find((c) => inside(real, c.real) || inside(c.real, real));
      if (twin) {
        throw new TripletkitError(
          'E_DATA',
          `The class folders ${twin.name} and ${name} in ${root} overlap (one is, or contains, the other through a symbolic link).`,
          { hint: 'Give every class its own folder; remove or fix the symbolic link.' },
        );
      }
      classDirs.push({ name, bytes: e.name, real });
    }
  }
  if (classDirs.length === 0) {
    throw new TripletkitError('E_EMPTY', `The input folder ${root} has no class subfolders.`, {
      hint: 'Put the images of each class in their own subfolder: root/<class>/<image>.',
    });
  }
  for (const c of classDirs) w.visited.set(c.real, c.name);
  const items: ImageItem[] = [];
  for (let label = 0; label < classDirs.length; label++) {
    const c = classDirs[label];
    const from = w.out.length;
    await walk(join(rootB, c.bytes), c.name, c, w, c.real);
    for (let i = from; i < w.out.length; i++) items.push({ path: w.out[i], file: w.files[i], label });
  }
  if (items.length === 0) {
    throw new TripletkitError('E_EMPTY', `The input folder ${root} has class subfolders but no image files.`, {
      hint: `Image files are recognised by extension (${[...IMAGE_EXTENSIONS].join(', ')}).`,
    });
  }
  const classes = classDirs.map((c) => c.name);
  return { kind: 'folder', root, items, classes, ignored: w.ignored, skipped: w.skipped };
}
