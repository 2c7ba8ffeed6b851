import fuzzysort from 'fuzzysort';
import { findCountText, splitFindRow } from '../../src/tui/components/find-overlay.js';
import { describe, expect, it } from 'vitest';
import { stackLayers } from '../../src/tree/index.js';
import { FUZZY_THRESHOLD, PathFinder } from '../../src/tui/model/find.js';
import { buildTreeIndex } from '../../src/tui/model/tree-index.js';
import { file, layers, prng } from '../helpers/layers.js';

/** Many paths built from few syllables, so that queries match in names, in directories, and exactly. */
function randomTree(seed: number, count: number) {
  const random = prng(seed);
  const syllables = [
    'sh',
    'bash',
    'ssh',
    'd',
    'bin',
    'lib',
    'py',
    'x',
    'data',
    'seed',
    '-',
    'Sh',
    'a\\b',
    'q"t',
    'é',
    'Ø',
  ];
  const word = () =>
    Array.from({ length: 1 + Math.floor(random() * 3) }, () => syllables[Math.floor(random() * syllables.length)]).join(
      '',
    );
  const paths = new Set<string>();
  while (paths.size < count) paths.add(`/${Array.from({ length: 1 + Math.floor(random() * 3) }, word).join('/')}`);
  // A path may be both a file and a directory above another: keep the files whose path no other path extends.
  const files = [...paths].filter((p) => ![...paths].some((q) => q.startsWith(`${p}/`)));
  const stack = stackLayers(layers(files.map((p) => file(p, p))));
  return { stack, tree: buildTreeIndex(stack) };
}

/** fuzzysort's matches spelled out: every path scored alone, best score first, then tree order. */
function fuzzyReference(paths: readonly string[], q: string, limit: number): string[] {
  const scored: Array<[number, number]> = [];
  paths.forEach((path, id) => {
    if (id === 0) return;
    const result = fuzzysort.single(q, path);
    if (result !== null && result.score >= FUZZY_THRESHOLD) scored.push([result.score, id]);
  });
  scored.sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  return scored.slice(0, limit).map(([, id]) => paths[id]!);
}

/** The ranking spelled out: a file named exactly so, then the query in the name, then elsewhere; each by length,
 * then id. */
function reference(paths: readonly string[], q: string, limit: number): string[] {
  const ranked: Array<[number, number, number]> = [];
  paths.forEach((path, id) => {
    if (id === 0) return;
    const lower = path.toLowerCase();
    if (!lower.includes(q)) return;
    const name = lower.slice(lower.lastIndexOf('/') + 1);
    const kind = name === q ? 0 : name.includes(q) ? 1 : 2;
    ranked.push([kind, lower.length, id]);
  });
  ranked.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
  return ranked.slice(0, limit).map(([, , id]) => paths[id]!);
}

describe('find', () => {
  it('ranks substring matches as spelled out, narrowing as the query grows, and falls back to fuzzysort', () => {
    let substring = 0;
    let fuzzy = 0;
    for (let seed = 1; seed <= 12; seed++) {
      const { stack, tree } = randomTree(seed, 400);
      const finder = new PathFinder(tree, stack);
      const random = prng(seed * 7);
      for (const query of [
        'sh',
        'ssh',
        'bash',
        'bin/sh',
        'seed-d',
        'data',
        'py',
        'shx',
        'dsh',
        'zq',
        'a/bq',
        "q'tx",
        'eo',
        'sh d',
        'qé',
      ]) {
        // Typed a character at a time, sometimes with a backspace, as the find box sends them.
        for (let end = 2; end <= query.length; end++) {
          if (random() < 0.2) finder.search(query.slice(0, end + 1));
          const typed = query.slice(0, end);
          const q = typed.trim(); // as the finder reads it
          const limit = 1 + Math.floor(random() * 30);
          const expected = reference(tree.paths, q, limit);
          const found = finder.fullSearch(typed.toUpperCase(), limit);
          const got = found.results.map((r) => r.path);
          expect(found.matches, `seed ${seed}, "${q}": every substring match counted`).toBe(
            reference(tree.paths, q, Infinity).length,
          );
          if (expected.length >= limit) {
            substring++;
            expect(got, `seed ${seed}, "${q}", limit ${limit}`).toEqual(expected);
            expect(found.fuzzy).toBe(0);
          } else {
            // The substring matches, then fuzzysort's best among the other paths, told apart.
            fuzzy++;
            const others = fuzzyReference(tree.paths, q, Infinity).filter((p) => !expected.includes(p));
            expect(got, `seed ${seed}, "${q}" (fuzzy)`).toEqual([
              ...expected,
              ...others.slice(0, limit - expected.length),
            ]);
            expect(found.results.map((r) => r.fuzzy)).toEqual(got.map((_, i) => i >= expected.length));
            expect(found.fuzzy).toBe(got.length - expected.length);
          }
        }
      }
    }
    // Both ways were exercised.
    expect(substring).toBeGreaterThan(100);
    expect(fuzzy).toBeGreaterThan(20);
  });

  it('marks the matched characters and tells what each layer did to the path', () => {
    const stack = stackLayers(layers([file('/srv/seed-data.sql', 'a')], [file('/srv/seed-data.sql', 'b')]));
    const finder = new PathFinder(buildTreeIndex(stack), stack);
    const [result] = finder.search('seed', 1);
    expect(result).toMatchObject({
      path: '/srv/seed-data.sql',
      indexes: [5, 6, 7, 8],
      touches: 'L0 A · L1 M',
      target: { path: '/srv/seed-data.sql', layer: 1, mode: 'changes' },
    });
    expect(finder.search('s')).toEqual([]); // below the minimum length
  });
});

describe('the find box (OverlayData)', () => {
  it('shows substring matches at once and settles to the full results on request', async () => {
    const { openImage } = await import('../../src/image/open.js');
    const { analyzeImage } = await import('../../src/analysis/analyze.js');
    const { OverlayData } = await import('../../src/tui/model/overlay-data.js');
    const { fixtures } = await import('../helpers/paths.js');
    const image = await openImage(fixtures('demo/demo.tar'));
    const analysis = analyzeImage(image);
    const tree = buildTreeIndex(analysis.stack);
    const overlays = new OverlayData(tree, analysis, image.layers.length);
    const finder = new PathFinder(tree, analysis.stack);

    // A page of substring matches is final at once (a tree with more paths than the demo's).
    const many = randomTree(1, 400);
    const big = new OverlayData(many.tree, { stack: many.stack } as never, 1);
    const page = big.find('sh');
    expect(page).toHaveLength(50);
    // More than a page: counted once typing pauses, the page itself unchanged.
    expect(big.findCounts('sh').matches).toBeNull();
    expect(big.settleFind('sh')).toBe(true);
    expect(big.find('sh')).toEqual(page);
    expect(big.findCounts('sh').matches).toBe(many.tree.paths.filter((p) => p.toLowerCase().includes('sh')).length);
    expect(big.settleFind('sh')).toBe(false);

    // An abbreviation matches no substring: empty until settled, then fuzzysort's results.
    expect(overlays.find('sdsql')).toEqual([]);
    expect(overlays.findSettled('sdsql')).toBe(false);
    expect(overlays.targets({ overlay: { kind: 'find', query: 'sdsql', cursor: 0 } } as never)).toEqual([]);
    expect(findCountText(overlays.findCounts('sdsql'), false)).toBe('0 matches · fuzzy matches when you pause');
    expect(overlays.settleFind('sdsql')).toBe(true);
    expect(overlays.findSettled('sdsql')).toBe(true);
    expect(overlays.find('sdsql')).toEqual(finder.search('sdsql'));
    expect(overlays.find('sdsql')[0]?.path).toBe('/tmp/seed.sql');
    expect(overlays.findCounts('sdsql')).toMatchObject({ matches: 0, fuzzy: overlays.find('sdsql').length });
    // The fuzzy results sit under a heading that Enter cannot choose.
    expect(overlays.targets({ overlay: { kind: 'find', query: 'sdsql', cursor: 0 } } as never)[0]).toBeNull();
    // Another query starts over.
    expect(overlays.findSettled('sdsq')).toBe(false);
  });
});

describe("the find box's counts", () => {
  const found = (exact: number, fuzzy: number, matches: number | null) => ({
    results: Array.from({ length: exact + fuzzy }, (_, i) => ({ fuzzy: i >= exact }) as never),
    matches,
    fuzzy,
  });

  it('say one match, exact matches and fuzzy ones apart, and how many of many are shown', () => {
    expect(findCountText(found(1, 0, 1), true)).toBe('1 match');
    expect(findCountText(found(4, 0, 4), false)).toBe('4 matches · fuzzy matches when you pause');
    expect(findCountText(found(4, 46, 4), true)).toBe('4 matches · 46 fuzzy');
    expect(findCountText(found(50, 0, null), false)).toBe('50+ matches');
    expect(findCountText(found(50, 0, 1234), true)).toBe('1234 matches, the first 50 shown');
  });
});

describe('a find row’s width', () => {
  const width = 60;
  const fitted = (path: string, touches: string) => {
    const { pathRoom, touches: shown } = splitFindRow(path, touches, width);
    return {
      pathRoom,
      shown,
      total: Math.min(pathRoom, [...path].length) + (shown === '' ? 0 : 2 + [...shown].length),
    };
  };

  it('shows both whole when they fit', () => {
    expect(fitted('/usr/bin/python3', 'L0 A · L4 M')).toEqual({ pathRoom: 16, shown: 'L0 A · L4 M', total: 29 });
  });

  it('keeps the whole path and cuts a long list of layers in the middle, within the row', () => {
    const touches = Array.from({ length: 30 }, (_, l) => `L${l} ·`).join(' · ');
    const { pathRoom, shown, total } = fitted('/usr/pkg-0-0', touches);
    expect(pathRoom).toBe(12);
    expect(shown).toContain('…');
    expect(shown.startsWith('L0 ·')).toBe(true);
    expect(shown.endsWith('L29 ·')).toBe(true);
    expect(total).toBe(width);
  });

  it('gives a long path at least 60 % of the row, and the layers the rest', () => {
    const path = `/${'deep/'.repeat(20)}file.txt`;
    const { pathRoom, total } = fitted(path, 'L3 A · L9 M · L12 D');
    expect(pathRoom).toBe(Math.max(width - 2 - 'L3 A · L9 M · L12 D'.length, 36));
    expect(total).toBeLessThanOrEqual(width);
  });
});
