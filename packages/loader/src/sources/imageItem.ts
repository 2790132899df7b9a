/** One input image, before decoding. */
export interface ImageItem {
  /** Path written to the `path` column (relative to the input root, or as given in the manifest). */
  path: string;
  /** Path to read (bytes when the name is not valid UTF-8), or undefined when the pixels come with the item (IDX). */
  file?: string | Buffer;
  label: number;
}

/** Raw pixels that need no decoding (IDX images). */
export interface RawImages {
  width: number;
  height: number;
  channels: number;
  /** n × height × width × channels. */
  pixels: Uint8Array;
}

/** A resolved input: items in order, class names, and raw pixels for IDX. */
export interface ResolvedSource {
  kind: 'folder' | 'manifest' | 'idx';
  root: string;
  items: ImageItem[];
  classes: string[];
  /** Files ignored because their extension is not an image format (folders only). */
  ignored: number;
  /** Folder entries not listed, with the reason (links that loop, dangle or lead out of their class, ...). */
  skipped?: SkippedEntry[];
  raw?: RawImages;
}

/** A folder entry the walk did not follow; reported with the bad files (index -1: not an input row). */
export interface SkippedEntry {
  index: -1;
  path: string;
  reason: 'symlink-loop' | 'dangling-link' | 'outside-class' | 'already-listed' | 'unreadable';
  message: string;
}
