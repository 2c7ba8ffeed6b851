/** Indexing a layer every way strata can, and as tar-stream does, to compare what each gives. */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import tar from 'tar-stream';
import { afterAll } from 'vitest';
import { indexLayerBlob } from '../../src/layers/indexer.js';
import { indexLayerRange } from '../../src/layers/fast/range-indexer.js';
import type { LayerIndex } from '../../src/layers/types.js';
import { tarStreamIndex } from '../helpers/tar-stream-index.js';

export const scratch = mkdtempSync(join(tmpdir(), 'strata-fast-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

export type Outcome = { index: LayerIndex } | { error: string };

export async function outcome(run: () => Promise<LayerIndex>, timeoutMs = 20_000): Promise<Outcome> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), timeoutMs);
  });
  try {
    return { index: await Promise.race([run(), timeout]) };
  } catch (err) {
    return { error: (err as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

export function chunks(bytes: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}

/** tar-stream's index: the reference. */
export const streamed = (bytes: Buffer, hash = true, chunk = 4096, timeoutMs = 20_000): Promise<Outcome> =>
  outcome(() => tarStreamIndex(Readable.from(chunks(bytes, chunk)), { hash }), timeoutMs);

/** strata's streaming indexer, fed in chunks of `chunk` bytes. */
export const streamedHere = (bytes: Buffer, hash: boolean, chunk: number): Promise<Outcome> =>
  outcome(() => indexLayerBlob(Readable.from(chunks(bytes, chunk)), { hash }));

export let fileNumber = 0;

/** Writes the layer between junk, so that offsets matter, and indexes it in place. */
export async function fast(bytes: Buffer, chunkSize: number, hash = true): Promise<Outcome> {
  const file = join(scratch, `layer-${fileNumber++}.bin`);
  const before = Buffer.alloc(1536 + (fileNumber % 3) * 7, 0xaa);
  writeFileSync(file, Buffer.concat([before, bytes, Buffer.alloc(777, 0x55)]));
  try {
    // In turn: the sha256 by the worker and files over 600 bytes hashed later (their data skipped
    // here), then the defaults (sha256 and every file's hash on this thread: these layers hold no
    // file of 1 MiB); without sha256, the same two thresholds.
    const variants = hash ? [{ workerMin: 0, bigFile: 600 }, {}] : [{ bigFile: 600 }, {}];
    return await outcome(() =>
      indexLayerRange(file, before.length, bytes.length, { hash, chunkSize, ...variants[fileNumber % 2] }),
    );
  } finally {
    rmSync(file, { force: true });
  }
}

/** Every member of an archive that is not a document, as tar-stream reads it. */
export async function archiveLayers(path: string): Promise<Array<{ name: string; bytes: Buffer }>> {
  const extract = tar.extract();
  const out: Array<{ name: string; bytes: Buffer }> = [];
  const done = (async () => {
    for await (const entry of extract) {
      const parts: Buffer[] = [];
      for await (const c of entry) parts.push(c as Buffer);
      const bytes = Buffer.concat(parts);
      const first = bytes.find((b) => b !== 0x20 && b !== 0x0a && b !== 0x09 && b !== 0x0d);
      if (entry.header.type === 'file' && bytes.length > 64 && first !== 0x7b && first !== 0x5b)
        out.push({ name: entry.header.name, bytes });
    }
  })();
  extract.end(readFileSync(path));
  await done;
  return out;
}

export function imageFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.tar'))
    .map((f) => join(dir, f));
}
