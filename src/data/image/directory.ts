// Listing an image folder laid out one subfolder per class (Keras' flow_from_directory layout).
import type { Dirent, Stats } from 'node:fs';
import { DataError, ValueError } from '../../tensor/errors.js';
import { imageNode, joinPath as join } from './node.js';

// Node's fs, loaded lazily (see node.ts).
const statSync = (p: string): Stats => imageNode().fs.statSync(p);
const readdirSync = (p: string): Dirent[] => imageNode().fs.readdirSync(p, { withFileTypes: true });
const realpathSync = (p: string): string => imageNode().fs.realpathSync(p);

/** File extensions read as images (case-insensitive). */
export const IMAGE_EXTENSIONS: readonly string[] = ['.png', '.jpg', '.jpeg'];
/** Image formats that are recognised but not decoded: reported once per listing, not read. */
const UNSUPPORTED_IMAGE_EXTENSIONS: readonly string[] = ['.bmp', '.gif', '.ppm', '.tif', '.tiff', '.webp'];

/** One class folder's images, as paths relative to the root folder ('/'-separated), in Keras' order. */
export interface ClassFiles {
  className: string;
  files: string[];
}

export interface ListingOptions {
  /** Class subfolder names in label order; default: every subfolder, sorted. */
  classes?: readonly string[];
  /** Follow symbolic links to folders inside class folders (default false). */
  followLinks?: boolean;
}

function checkDirectory(dir: unknown, what: string): string {
  if (typeof dir !== 'string' || dir === '') throw new ValueError(`${what}: directory must be a non-empty string, got ${JSON.stringify(dir)}`);
  imageNode(); // outside Node, say so rather than "does not exist"
  let isDir: boolean;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    throw new DataError(`${what}: directory '${dir}' does not exist`);
  }
  if (!isDir) throw new DataError(`${what}: '${dir}' is a file, not a directory of class subfolders`);
  return dir;
}

function isDirectoryEntry(parent: string, e: Dirent, followLinks: boolean): boolean {
  if (e.isDirectory()) return true;
  if (!e.isSymbolicLink() || !followLinks) return false;
  try {
    return statSync(join(parent, e.name)).isDirectory();
  } catch {
    return false;
  }
}

function isFileEntry(parent: string, e: Dirent): boolean {
  if (e.isFile()) return true;
  if (!e.isSymbolicLink()) return false;
  try {
    return statSync(join(parent, e.name)).isFile();
  } catch {
    return false;
  }
}

const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The class names of `dir`: its subfolders, sorted (hidden folders such as `.ipynb_checkpoints`
 * are ignored), or `classes` when given (each must exist). Throws a DataError for a missing
 * directory or one without class subfolders.
 */
export function classFolders(dir: string, classes: readonly string[] | undefined, what: string): string[] {
  checkDirectory(dir, what);
  if (classes !== undefined) {
    if (!Array.isArray(classes) || classes.length === 0 || !classes.every((c) => typeof c === 'string' && c !== '')) {
      throw new ValueError(`${what}: classes must be a non-empty array of subfolder names, got ${JSON.stringify(classes)}`);
    }
    if (new Set(classes).size !== classes.length) throw new ValueError(`${what}: classes contains a name twice: ${JSON.stringify(classes)}`);
    for (const c of classes) {
      let ok = false;
      try {
        ok = statSync(join(dir, c)).isDirectory();
      } catch {
        ok = false;
      }
      if (!ok) throw new DataError(`${what}: class folder '${join(dir, c)}' does not exist (classes: ${classes.join(', ')})`);
    }
    return [...classes];
  }
  const names = readdirSync(dir)
    .filter((e) => !e.name.startsWith('.') && isDirectoryEntry(dir, e, true))
    .map((e) => e.name)
    .sort(byCodeUnit);
  if (names.length === 0) {
    throw new DataError(
      `${what}: '${dir}' has no class subfolders; put each class's images in its own folder (e.g. ${join(dir, 'cats')}/, ${join(dir, 'dogs')}/)`,
    );
  }
  return names;
}

/**
 * The images of each class folder, in Keras' order: the folders of the tree sorted by path, and
 * the files of each folder sorted by name. Files with other extensions are ignored; a summary of
 * image files in unsupported formats (BMP, GIF, TIFF, …) is passed to `warn`.
 */
export function listClassFiles(dir: string, options: ListingOptions, what: string, warn: (message: string) => void): ClassFiles[] {
  const classNames = classFolders(dir, options.classes, what);
  const followLinks = options.followLinks ?? false;
  const unsupported = new Map<string, number>();
  const result = classNames.map((className) => {
    const folders: string[] = [];
    const seen = new Set<string>();
    const visit = (rel: string): void => {
      const real = realpathSync(join(dir, rel));
      if (seen.has(real)) return; // a link cycle
      seen.add(real);
      folders.push(rel);
      for (const e of readdirSync(join(dir, rel))) {
        if (isDirectoryEntry(join(dir, rel), e, followLinks)) visit(`${rel}/${e.name}`);
      }
    };
    visit(className);
    folders.sort(byCodeUnit);
    const files: string[] = [];
    for (const rel of folders) {
      const names = readdirSync(join(dir, rel))
        .filter((e) => isFileEntry(join(dir, rel), e))
        .map((e) => e.name)
        .sort(byCodeUnit);
      for (const name of names) {
        const lower = name.toLowerCase();
        if (IMAGE_EXTENSIONS.some((ext) => lower.endsWith(ext))) files.push(`${rel}/${name}`);
        else {
          const ext = UNSUPPORTED_IMAGE_EXTENSIONS.find((x) => lower.endsWith(x));
          if (ext !== undefined) unsupported.set(ext, (unsupported.get(ext) ?? 0) + 1);
        }
      }
    }
    return { className, files };
  });
  if (unsupported.size > 0) {
    const list = [...unsupported].map(([ext, n]) => `${n} ${ext}`).join(', ');
    warn(`${what}: ignored image files in formats that nabla does not decode (${list}) under '${dir}'; supported: ${IMAGE_EXTENSIONS.join(', ')}`);
  }
  return result;
}

/** Keras' per-class slice for a validation split: 'validation' takes the first fraction of each class's files, 'training' the rest. */
export function splitRange(count: number, validationSplit: number, subset: 'training' | 'validation' | undefined): [number, number] {
  if (subset === undefined || validationSplit === 0) return [0, count];
  const cut = Math.trunc(validationSplit * count);
  return subset === 'validation' ? [0, cut] : [cut, count];
}
