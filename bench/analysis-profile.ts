// Times each analysis step on the generated explorer image (see bench/tui.tsx); a script, not a test.
import { performance } from 'node:perf_hooks';
import { auditImage } from '../src/analysis/audit/index.js';
import { findRisks } from '../src/analysis/risks/index.js';
import { computeDiveEfficiency } from '../src/analysis/waste/dive.js';
import { computeExactWaste } from '../src/analysis/waste/exact.js';
import { stackLayers } from '../src/tree/stack.js';
import { buildTreeIndex } from '../src/tui/model/tree-index.js';
import { computeLayerView } from '../src/tui/model/layer-view.js';
import { flattenTree } from '../src/tui/model/flatten.js';
import { PathFinder } from '../src/tui/model/find.js';
import { generatedImage } from './tui-image.js';

const files = Number(process.argv[2] ?? 200_000);
const image = generatedImage(files, 30);
console.log(`${image.layers.reduce((n, l) => n + l.entries.length, 0)} entries`);
// CPU time as well as wall time: on a shared machine, wall time says more about the neighbours.
const time = <T>(label: string, fn: () => T): T => {
  const t = performance.now();
  const cpu = process.cpuUsage();
  const result = fn();
  const used = process.cpuUsage(cpu);
  console.log(
    `${label.padEnd(28)} ${(performance.now() - t).toFixed(0).padStart(6)} ms wall ` +
      `${((used.user + used.system) / 1000).toFixed(0).padStart(6)} ms cpu`,
  );
  return result;
};
const stack = time('stackLayers', () => stackLayers(image.layers));
time('exact waste', () => computeExactWaste(stack));
time('dive', () => computeDiveEfficiency(image.layers));
time('risks', () => findRisks(image, stack));
time('audit', () => auditImage(image, stack));
const tree = time('tree index', () => buildTreeIndex(stack));
const all = { added: true, modified: true, removed: true, unmodified: true };
for (const mode of ['changes', 'aggregated'] as const) {
  const view = time(`view ${mode} 15`, () => computeLayerView(tree, stack, 15, mode));
  time(`flatten ${mode} 15`, () =>
    flattenTree(tree, view, { show: all, match: null, collapsed: new Set(), sort: 'name' }),
  );
}
const finder = new PathFinder(tree, stack);
for (const q of ['fi', 'fil', 'file', 'file-12', 'file-123', 'pkg-4/mod', 'usr.js', 'sdsql', 'etc/pkg'])
  time(`find "${q}"`, () => finder.search(q));
console.log(`rss ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`);
