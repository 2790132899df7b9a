/** One input image, before decoding. */
export interface ImageItem {
  /** Path written to the `path` column (relative to the input root, or as given in the manifest). */
  path: string;
  /** Absolute path to read, or undefined when the pixels come with the item (IDX). */
  file?: string;
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
  raw?: RawImages;
}
