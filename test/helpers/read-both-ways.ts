/** An archive read in place and streamed, to compare what each gives. */
import { createReadStream, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tar from 'tar-stream';
import { afterAll, expect } from 'vitest';
import { openImage } from '../../src/image/open.js';
import { memberName } from '../../src/image/archive/members.js';
import type { Member } from '../../src/image/archive/seekable.js';
import type { ImageIndex } from '../../src/image/types.js';
import { everyFileHashed } from '../helpers/hashed.js';

export const scratch = mkdtempSync(join(tmpdir(), 'strata-seekable-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

export type Outcome = { image: ImageIndex } | { error: string; kind: string };

export async function settle(run: () => Promise<ImageIndex>): Promise<Outcome> {
  try {
    return { image: await run() };
  } catch (err) {
    return { error: (err as Error).message, kind: (err as Error).constructor.name };
  }
}

/** Read in place, then with the big files' hashes the read left for later computed. */
export const seekable = (path: string, verify: boolean): Promise<Outcome> =>
  settle(async () => everyFileHashed(await openImage(path, { verify })));

export const streamed = (path: string, verify: boolean): Promise<Outcome> =>
  settle(() => openImage('-', { stdin: createReadStream(path, { highWaterMark: 1 << 20 }), verify }));

export async function sameAsStreamed(path: string): Promise<Outcome> {
  let first: Outcome | null = null;
  for (const verify of [true, false]) {
    const want = await streamed(path, verify);
    const got = await seekable(path, verify);
    expect(got, `${path} verify=${verify}`).toStrictEqual(want);
    first ??= want;
  }
  return first!;
}

/** tar-stream's listing of an archive, reduced as the streamed reader reduces it. */
export async function streamedTable(path: string): Promise<Map<string, Member>> {
  const extract = tar.extract();
  const table = new Map<string, Member>();
  const done = (async () => {
    for await (const entry of extract) {
      const h = entry.header;
      const name = memberName(h.name);
      const offset = (h as unknown as { byteOffset: number }).byteOffset;
      if (h.type === 'symlink' || h.type === 'link') {
        const link = h.linkname ?? '';
        const target = h.type === 'symlink' ? memberName(`/${name}/../${link}`) : memberName(link);
        table.set(name, { kind: 'link', target });
      } else if (h.type === 'file' || h.type === 'contiguous-file') {
        table.set(name, { kind: 'file', offset, size: h.size ?? 0 });
      }
      entry.resume();
    }
  })();
  extract.end(readFileSync(path));
  await done;
  return table;
}

export const tarsIn = (dir: string): string[] =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.tar'))
    .map((f) => join(dir, f));
