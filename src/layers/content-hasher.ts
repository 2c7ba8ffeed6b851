import xxhash, { type XXHashAPI } from 'xxhash-wasm';

let api: Promise<XXHashAPI> | null = null;

/** The xxh64 used for file contents (`TarEntry.hash`), instantiated once per thread. */
export function contentHasher(): Promise<XXHashAPI> {
  api ??= xxhash();
  return api;
}
