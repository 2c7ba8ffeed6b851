/** An image read with its work deferred (in place) and streamed, to check that deferring changes nothing. */
import { createReadStream, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { analyzeImage } from '../../src/analysis/analyze.js';
import { openImage } from '../../src/image/open.js';
import type { ImageIndex, Progress } from '../../src/image/types.js';
import type { TarEntry } from '../../src/layers/types.js';
import { buildJsonReport } from '../../src/report/json.js';
import { renderSummary } from '../../src/report/summary.js';
import { everyFileHashed } from './hashed.js';

export const noProgress = (): Progress => ({ bytesRead: 0, totalBytes: null, layersDone: 0, layersTotal: null });

/** Read in place with every file's hash left for later and every layer's sha256 on the worker. */
export async function readDeferred(
  path: string,
  verify = true,
  whileVerifying?: (image: ImageIndex) => void,
): Promise<ImageIndex> {
  return openImage(path, { verify, whileVerifying, inPlace: { bigFile: 1, workerMin: 0 } });
}

/** Read as a stream: every file hashed as it goes by, every digest known when its layer ends. */
export function readStreamed(path: string, verify = true): Promise<ImageIndex> {
  return openImage('-', { stdin: createReadStream(path, { highWaterMark: 1 << 20 }), verify });
}

export function regularFiles(image: ImageIndex): TarEntry[] {
  return image.layers.flatMap((layer) => layer.entries.filter((e) => e.type === 'file' && e.whiteout === undefined));
}

/** Everything the reports say of an image: the JSON report and the text summary. */
export function reports(image: ImageIndex): string {
  const analysis = analyzeImage(image);
  return (
    `${JSON.stringify(buildJsonReport(image, analysis))}\n` +
    `${renderSummary(image, analysis, { color: false, now: new Date('2026-01-01T00:00:00Z') })}`
  );
}

export const plainTars = (dir: string): string[] =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.tar'))
    .map((f) => join(dir, f));

/**
 * Reads `path` both ways: the reports must be the same, and the files left unhashed must be exactly
 * those whose size no other file shares. Returns how many were left unhashed.
 */
export async function checkDeferredHashes(path: string): Promise<number> {
  const deferred = await readDeferred(path);
  const streamed = await readStreamed(path);
  expect(reports(deferred)).toBe(reports(streamed));

  const sizes = new Map<number, number>();
  for (const e of regularFiles(deferred)) sizes.set(e.size, (sizes.get(e.size) ?? 0) + 1);
  const unhashed = regularFiles(deferred).filter((e) => e.hash === undefined);
  for (const e of unhashed) expect(sizes.get(e.size), `${e.path} has no hash but shares its size`).toBe(1);
  // Those are exactly the ones the layers still list; finishing them gives the streamed index.
  expect(deferred.layers.flatMap((l) => l.unhashed ?? []).map((u) => u.entry)).toStrictEqual(unhashed);
  await everyFileHashed(deferred);
  expect(deferred.layers.map((l) => l.entries)).toStrictEqual(streamed.layers.map((l) => l.entries));
  expect(deferred.layers.some((l) => l.unhashed !== undefined)).toBe(false);
  return unhashed.length;
}
