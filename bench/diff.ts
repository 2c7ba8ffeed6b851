/**
 * The `strata diff` case of `npm run bench`: an image against itself rebuilt with one layer changed,
 * `strata diff --json A B` beside `strata --json A` plus `strata --json B`. The target: the diff costs
 * at most 1.2 times the two analyses. Runs interleave, medians are reported; nothing is asserted.
 */
import { ensureImage } from './generate.js';
import { type Command, median, type Runner, type RunResult } from './measure.js';
import type { ImageSpec } from './plan.js';
import { formatRatio, formatRss, formatSeconds, renderTable } from './table.js';

export interface DiffBenchResult {
  pair: string;
  runs: number;
  diff: RunResult[];
  jsonA: RunResult[];
  jsonB: RunResult[];
  errors: string[];
}

/** Which layer the rebuilt image changes, and how much of it: see `ImageVariant`. */
const CHANGED = { suffix: 'changed', layer: 7, every: 10 };

export async function benchDiff(
  spec: ImageSpec,
  options: { cacheDir: string; regenerate: boolean; runs: number },
  runner: Runner,
  strataBin: string,
  log: (line: string) => void,
): Promise<DiffBenchResult> {
  const a = await ensureImage(spec, options.cacheDir, { force: options.regenerate, log });
  const b = await ensureImage(spec, options.cacheDir, { force: options.regenerate, log, variant: CHANGED });
  const strata = (...args: string[]): Command => ({ argv: [process.execPath, strataBin, ...args], isNode: true });
  const commands = {
    diff: strata('diff', '--json', a.path, b.path),
    jsonA: strata('--json', a.path),
    jsonB: strata('--json', b.path),
  };
  const result: DiffBenchResult = {
    pair: `${a.name} → ${b.name}`,
    runs: options.runs,
    diff: [],
    jsonA: [],
    jsonB: [],
    errors: [],
  };
  // Warm-up, not measured: the page cache and the layer cache hold both images, as for every mode.
  for (const command of Object.values(commands)) await runner.run(command);
  for (let round = 1; round <= options.runs; round++) {
    const parts: string[] = [];
    for (const key of ['diff', 'jsonA', 'jsonB'] as const) {
      const r = await runner.run(commands[key]);
      if (r.error !== null) {
        result.errors.push(`${key}, round ${round}: ${r.error}`);
        parts.push(`${key} FAILED`);
        continue;
      }
      result[key].push(r);
      parts.push(`${key} ${formatSeconds(r.wallMs)} ${formatRss(r.maxRssKb)}`);
    }
    log(`[diff ${result.pair}] round ${round}/${options.runs}: ${parts.join(', ')}`);
  }
  return result;
}

export function renderDiffBench(result: DiffBenchResult, markdown: boolean): string {
  const wall = (runs: RunResult[]): number | null => median(runs.map((r) => r.wallMs));
  const cpu = (runs: RunResult[]): number | null =>
    median(runs.map((r) => r.cpuS).filter((x): x is number => x !== null));
  const sum = (x: number | null, y: number | null): number | null => (x === null || y === null ? null : x + y);
  const ratio = (x: number | null, y: number | null): string =>
    formatRatio(x !== null && y !== null && y > 0 ? x / y : null);
  const both = sum(wall(result.jsonA), wall(result.jsonB));
  const bothCpu = sum(cpu(result.jsonA), cpu(result.jsonB));
  const diffCpu = cpu(result.diff);
  const rows = [
    [
      result.pair,
      String(result.diff.length),
      formatSeconds(wall(result.diff)),
      formatSeconds(wall(result.jsonA)),
      formatSeconds(wall(result.jsonB)),
      formatSeconds(both),
      ratio(wall(result.diff), both),
      formatSeconds(diffCpu === null ? null : diffCpu * 1000),
      ratio(diffCpu, bothCpu),
      formatRss(median(result.diff.map((r) => r.maxRssKb).filter((x): x is number => x !== null))),
    ],
  ];
  const columns = [
    { title: 'diff', align: 'left' as const },
    { title: 'runs', align: 'right' as const },
    { title: 'diff --json', align: 'right' as const },
    { title: '--json A', align: 'right' as const },
    { title: '--json B', align: 'right' as const },
    { title: 'A + B', align: 'right' as const },
    { title: '× (A + B)', align: 'right' as const },
    { title: 'diff CPU', align: 'right' as const },
    { title: 'CPU × (A + B)', align: 'right' as const },
    { title: 'diff peak RSS', align: 'right' as const },
  ];
  const notes = result.errors.map((e) => `* diff bench: ${e}`);
  return [renderTable(columns, rows, markdown), ...notes, ''].join('\n');
}
