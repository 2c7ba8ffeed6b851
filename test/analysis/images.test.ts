import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeImage } from '../../src/analysis/analyze.js';
import { openImage } from '../../src/image/open.js';
import type { ImageIndex } from '../../src/image/types.js';
import type { TarEntry } from '../../src/layers/types.js';
import { naiveStack } from '../helpers/layers.js';
import { fixtures } from '../helpers/paths.js';

interface CaseExpectation {
  file: string;
  layers: Array<{ changes: Record<string, string> }>;
  final: string[];
}
const cases = (
  JSON.parse(readFileSync(fixtures('cases/expected.json'), 'utf8')) as { cases: Record<string, CaseExpectation> }
).cases;

/** total = visible + Σ hidden, with visible found independently by walking a naive final filesystem. */
function checkWasteProperty(image: ImageIndex, label: string): void {
  const { exact } = analyzeImage(image);
  const pieces = image.layers.flatMap((l) => l.entries.filter((e) => e.type === 'file' && !e.whiteout));
  const reachable = new Set<TarEntry>();
  for (const state of naiveStack(image.layers).filesystems.at(-1)?.values() ?? [])
    if (state.piece) reachable.add(state.piece);
  const visible = [...reachable].reduce((sum, piece) => sum + piece.size, 0);
  const hidden = exact.hidden.reduce((sum, piece) => sum + piece.size, 0);
  expect(exact.totalBytes, label).toBe(pieces.reduce((sum, piece) => sum + piece.size, 0));
  expect(exact.visibleBytes, label).toBe(visible);
  expect(exact.totalBytes, label).toBe(visible + hidden);
}

describe('exact changes on a fixture for each case (fixtures/cases, statuses written by the generator)', () => {
  it('covers every case the issue lists', () => {
    expect(Object.keys(cases)).toEqual(
      expect.arrayContaining([
        'whiteout-file',
        'whiteout-dir',
        'opaque-dir',
        'file-replaces-dir',
        'dir-replaces-file',
        'chmod-only',
        'chown-only',
        'symlink-retarget',
        'hardlink-original-removed',
        'identical-rewrite',
        'same-layer-duplicate',
        'whiteout-missing',
      ]),
    );
  });

  it.each(Object.entries(cases))('%s', async (_name, expected) => {
    const image = await openImage(fixtures('cases', expected.file));
    const { stack } = analyzeImage(image);
    expected.layers.forEach((layer, i) => {
      const changes = Object.fromEntries(stack.layers[i]!.list().map((c) => [c.path, c.status]));
      expect(changes, `layer ${i}`).toEqual(layer.changes);
    });
    expect([...stack.final.keys()].sort()).toEqual([...expected.final].sort());
    checkWasteProperty(image, expected.file);
  });

  it('keeps a file reachable through a hardlink after its original path is removed', async () => {
    const { exact } = analyzeImage(await openImage(fixtures('cases', cases['hardlink-original-removed']!.file)));
    expect(exact.hiddenBytes).toBe(0);
  });

  it('hides an identical rewrite and a same-layer duplicate as overwritten', async () => {
    const rewrite = analyzeImage(await openImage(fixtures('cases', cases['identical-rewrite']!.file))).exact;
    expect(rewrite.hidden.map((h) => h.reason)).toEqual(expect.arrayContaining(['overwritten']));
    const duplicate = analyzeImage(await openImage(fixtures('cases', cases['same-layer-duplicate']!.file))).exact;
    expect(duplicate.hidden.some((h) => h.reason === 'overwritten' && h.layer === h.hiddenBy)).toBe(true);
  });
});

describe('the waste property on every generated image', () => {
  it.each(['demo/demo.tar', 'formats/basic.oci-archive.tar', 'formats/multiarch.oci-archive.tar'])(
    '%s',
    async (file) => {
      checkWasteProperty(await openImage(fixtures(file)), file);
    },
  );
});
