/**
 * Image archives for `strata diff` tests, written by the fixture generator's builders (tar-stream,
 * not strata's code): the same entry list gives the same layer bytes, so two images built on one
 * base share its diff_id.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildImage, dockerLegacyArchive } from '../../scripts/fixtures/layouts.js';
import { type EntrySpec, tarBytes } from '../../scripts/fixtures/tar.js';

export interface TestImage {
  name: string;
  layers: EntrySpec[][];
  runConfig?: Record<string, unknown>;
  created?: string;
}

/** Writes `<dir>/<name>.tar` (docker save's layout) and returns its path. */
export async function writeTestImage(dir: string, image: TestImage): Promise<string> {
  const layers = await Promise.all(image.layers.map((entries) => tarBytes(entries)));
  const built = buildImage({
    repoTag: `test/${image.name}:latest`,
    architecture: 'amd64',
    os: 'linux',
    created: image.created ?? '2024-06-01T12:00:00Z',
    runConfig: image.runConfig ?? {},
    history: layers.map((_, i) => ({ createdBy: `/bin/sh -c #(nop) COPY ${image.name}-layer-${i} /` })),
    layers,
  });
  const path = join(dir, `${image.name}.tar`);
  writeFileSync(path, await dockerLegacyArchive(built));
  return path;
}
