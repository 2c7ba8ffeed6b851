/**
 * `npm run bench:tui`: latency of the explorer's moves, measured on the real component tree.
 *
 * A generated image (200k files in 30 layers by default, built in memory: no tar is needed to
 * exercise the explorer) or a real one (`--image PATH`) is analysed, the Explorer is rendered by
 * Ink into an in-memory terminal of 120×40, and synthetic key presses go in one at a time. The
 * latency of a key is the time from writing it to stdin until Ink writes the next frame. Keys are
 * spaced 40 ms apart, beyond Ink's 30 fps throttle, as a person's would be.
 *
 * Prints p50 and p95 per action against the targets, and the peak RSS after loading. A script,
 * not a test: it asserts nothing.
 */
import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import { render } from 'ink';
import { analyzeImage } from '../src/analysis/analyze.js';
import { openImage } from '../src/image/open.js';
import type { ImageIndex } from '../src/image/types.js';
import { Explorer, FIND_SETTLE_MS } from '../src/tui/explorer.js';
import { makeTheme } from '../src/tui/theme.js';
import { generatedImage } from './tui-image.js';

const COLUMNS = 120;
const ROWS = 40;
const GAP_MS = 40; // > Ink's 33 ms frame throttle

interface Args {
  files: number;
  layers: number;
  images: string[];
}

function parseArgs(argv: string[]): Args {
  const args: Args = { files: 200_000, layers: 30, images: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--files') args.files = Number(argv[++i]);
    else if (a === '--layers') args.layers = Number(argv[++i]);
    else if (a === '--image') args.images.push(argv[++i]!);
    else if (a === '--without')
      i++; // read by tui-main.ts
    else if (a === '--help') {
      console.log('usage: npm run bench:tui -- [--files N] [--layers N] [--image PATH]... [--without INK_PATCH]...');
      process.exit(0);
    }
  }
  return args;
}

/** An in-memory terminal: Ink writes frames here, and the bench times them. */
class FakeStdout extends EventEmitter {
  readonly isTTY = true;
  columns = COLUMNS;
  rows = ROWS;
  lastWrite = 0;
  frames = 0;
  /** When the last key was pressed (see timeKey). */
  lastPress = 0;
  write = (_frame: string): boolean => {
    this.lastWrite = performance.now();
    this.frames++;
    return true;
  };
}

/** The stdin Ink expects: raw mode, and data read on 'readable' (as ink-testing-library does). */
class FakeStdin extends EventEmitter {
  readonly isTTY = true;
  private pending: string | null = null;
  setRawMode(): void {}
  setEncoding(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
  read = (): string | null => {
    const data = this.pending;
    this.pending = null;
    return data;
  };
  press(data: string): void {
    this.pending = data;
    this.emit('readable');
    // What a stream's read() emits with the chunk it returns: the explorer listens to it.
    this.emit('data', data);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Presses a key and returns the time until the next frame (or NaN if none came within 2 s). */
async function timeKey(stdin: FakeStdin, stdout: FakeStdout, key: string): Promise<number> {
  await sleep(GAP_MS);
  const frames = stdout.frames;
  const start = performance.now();
  stdout.lastPress = start;
  stdin.press(key);
  for (let waited = 0; stdout.frames === frames && waited < 2000; waited++)
    await new Promise((resolve) => setImmediate(resolve));
  return stdout.frames === frames ? Number.NaN : stdout.lastWrite - start;
}

function percentile(values: number[], p: number): number {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

interface Row {
  action: string;
  samples: number[];
  target: string;
  meets: (p50: number, p95: number) => boolean;
}

async function measure(image: ImageIndex, label: string): Promise<void> {
  const t0 = performance.now();
  const analysis = analyzeImage(image);
  const analysed = performance.now();
  const stdout = new FakeStdout();
  const stdin = new FakeStdin();
  const instance = render(
    <Explorer image={image} analysis={analysis} columns={COLUMNS} rows={ROWS} theme={makeTheme()} onQuit={() => {}} />,
    {
      stdout: stdout as unknown as NodeJS.WriteStream,
      stdin: stdin as unknown as NodeJS.ReadStream,
      exitOnCtrlC: false,
      patchConsole: false,
      // Debug mode writes each frame whole and unthrottled. With in-memory streams, Ink 6.8's
      // throttled, incremental writer emitted no frame after key presses (a real terminal updates
      // fine: see the tmux tests), so the bench times the same per-key work (input, reducer, React
      // render, layout, frame text) through the debug writer.
      debug: true,
    },
  );
  while (stdout.frames === 0) await sleep(5);
  const firstFrame = performance.now();
  const rssAfterLoad = process.memoryUsage().rss;
  if (process.env.STRATA_BENCH_VERBOSE) {
    const m = process.memoryUsage();
    console.log(
      `memory at first frame (MB): rss ${(m.rss / 1e6).toFixed(0)} heap used ` +
        `${(m.heapUsed / 1e6).toFixed(0)} of ${(m.heapTotal / 1e6).toFixed(0)} external ` +
        `${(m.external / 1e6).toFixed(0)} array buffers ${(m.arrayBuffers / 1e6).toFixed(0)}`,
    );
  }
  const peaks: string[] = [`analysis+first frame ${(process.resourceUsage().maxRSS / 1e3).toFixed(0)}`];

  const cursor: number[] = [];
  const layerSwitch: number[] = [];
  const find: number[] = [];
  await timeKey(stdin, stdout, '\t'); // focus the tree
  for (let i = 0; i < 150; i++) cursor.push(await timeKey(stdin, stdout, 'j'));
  for (let i = 0; i < 50; i++) cursor.push(await timeKey(stdin, stdout, 'k'));
  // Up through every layer in the "changes" view, then down through them all stacked.
  for (let i = 0; i < image.layers.length - 1; i++) layerSwitch.push(await timeKey(stdin, stdout, ']'));
  peaks.push(`cursor+changes ${(process.resourceUsage().maxRSS / 1e3).toFixed(0)}`);
  await timeKey(stdin, stdout, 'v');
  for (let i = 0; i < image.layers.length - 1; i++) layerSwitch.push(await timeKey(stdin, stdout, '['));
  peaks.push(`stacked ${(process.resourceUsage().maxRSS / 1e3).toFixed(0)}`);
  const queries = [
    'file-1234',
    'pkg-42/mod',
    'usr.js',
    'node_modules',
    'etc/pkg-7',
    'data/mod-3',
    'fil',
    'opt/pkg-9/mod-22',
    'share',
    'srv.json',
  ];
  const findByQuery: string[] = [];
  const settled: number[] = [];
  for (const query of queries) {
    await timeKey(stdin, stdout, 'f');
    const times: number[] = [];
    for (const ch of query) times.push(await timeKey(stdin, stdout, ch));
    find.push(...times);
    // When fewer than a page of paths hold the query, the fuzzy results come once typing pauses:
    // the time from the last key to that frame (the pause included), if one comes.
    const frames = stdout.frames;
    await sleep(FIND_SETTLE_MS + 1000);
    const settle = stdout.frames > frames ? stdout.lastWrite - stdout.lastPress : null;
    if (settle !== null) settled.push(settle);
    findByQuery.push(
      `${query}: ${times.map((x) => x.toFixed(0)).join(' ')}` +
        `${settle === null ? '' : ` (fuzzy results ${settle.toFixed(0)})`}`,
    );
    await timeKey(stdin, stdout, '\x1b');
  }
  if (process.env.STRATA_BENCH_VERBOSE) {
    console.log(`layer switches (ms): ${layerSwitch.map((x) => x.toFixed(0)).join(' ')}`);
    console.log(`find keystrokes (ms): ${findByQuery.join(' · ')}`);
    console.log(
      `peak RSS so far (MB) after: ${peaks.join(' · ')} · find ${(process.resourceUsage().maxRSS / 1e3).toFixed(0)}`,
    );
  }
  const peakRss = process.resourceUsage().maxRSS * 1024;
  instance.unmount();

  const rows: Row[] = [
    {
      action: 'cursor move',
      samples: cursor,
      target: 'p50 ≤ 16 ms, p95 ≤ 50 ms',
      meets: (p50, p95) => p50 <= 16 && p95 <= 50,
    },
    { action: 'layer switch', samples: layerSwitch, target: 'p95 ≤ 100 ms', meets: (_p50, p95) => p95 <= 100 },
    { action: 'fuzzy query (per keystroke)', samples: find, target: 'p95 ≤ 50 ms', meets: (_p50, p95) => p95 <= 50 },
  ];
  const settledNote =
    settled.length > 0
      ? `  find: fuzzy results, when fewer than 50 paths hold the query, ${settled.length} queries: p50 ` +
        `${percentile(settled, 50).toFixed(0)} ms, max ${Math.max(...settled).toFixed(0)} ms after the ` +
        `last key (a ${FIND_SETTLE_MS} ms pause included)`
      : null;
  const files = image.layers.reduce((n, l) => n + l.entries.length, 0);
  console.log(`\n${label}: ${image.layers.length} layers, ${files.toLocaleString('en-US')} entries`);
  console.log(
    `  analysis ${(analysed - t0).toFixed(0)} ms · first frame ${(firstFrame - analysed).toFixed(0)} ms ` +
      `after analysis · RSS after loading ${(rssAfterLoad / 1e6).toFixed(0)} MB · peak RSS ` +
      `${(peakRss / 1e6).toFixed(0)} MB (target < 600 MB at 200k files)`,
  );
  console.log(`  ${'action'.padEnd(30)}${'n'.padStart(5)}${'p50'.padStart(10)}${'p95'.padStart(10)}  target`);
  for (const row of rows) {
    const p50 = percentile(row.samples, 50);
    const p95 = percentile(row.samples, 95);
    const missing = row.samples.filter((s) => !Number.isFinite(s)).length;
    console.log(
      `  ${row.action.padEnd(30)}${String(row.samples.length).padStart(5)}` +
        `${`${p50.toFixed(1)} ms`.padStart(10)}${`${p95.toFixed(1)} ms`.padStart(10)}  ${row.target} ` +
        `${row.meets(p50, p95) ? '✓' : '✗'}${missing ? ` (${missing} keys drew no frame)` : ''}`,
    );
  }
  if (settledNote) console.log(settledNote);
}

const args = parseArgs(process.argv.slice(2));
console.log(
  `strata bench:tui · node ${process.version} · NODE_ENV=${process.env.NODE_ENV ?? ''} · ${COLUMNS}×` +
    `${ROWS} · keys ${GAP_MS} ms apart`,
);
const generateStart = performance.now();
const generated = generatedImage(args.files, args.layers);
console.log(
  `generated ${args.files.toLocaleString('en-US')} files in ${args.layers} layers in ` +
    `${(performance.now() - generateStart).toFixed(0)} ms`,
);
await measure(generated, 'generated');
for (const path of args.images) {
  try {
    await measure(await openImage(path), path);
  } catch (err) {
    console.log(`\n${path}: ${(err as Error).message}`);
  }
}
process.exit(0);
