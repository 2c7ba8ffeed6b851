/** A read-only view of one layer's stacked filesystem, as much as the package readers need. */
export interface DatabaseFiles {
  /** Whether a regular file is visible at `path`. */
  exists(path: string): boolean;
  /** The whole content of the file at `path`; undefined when absent, or present but not kept whole. */
  read(path: string): Uint8Array | undefined;
  /** The regular files directly inside the directory `dir` (no trailing slash), sorted. */
  list(dir: string): string[];
}

const utf8 = new TextDecoder('utf-8');

export function readText(files: DatabaseFiles, path: string): string | undefined {
  const bytes = files.read(path);
  return bytes === undefined ? undefined : utf8.decode(bytes);
}

/** "not read" for a database file that is there but was too large to keep whole. */
export function unreadNote(path: string): string {
  return `${path}: present but too large to read`;
}
