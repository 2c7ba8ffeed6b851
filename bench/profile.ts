/**
 * Where strata's time goes on one image: runs the CLI under `node --cpu-prof` and sums the
 * profile by function (self time), by area (strata, dependencies, Node internals, GC…) and, for
 * strata's own functions, inclusive time.
 *
 *   npm run build && node dist/bench/profile.js [--no-verify] [--summary] [--top N] [--keep DIR] IMAGE
 *   node dist/bench/profile.js --read FILE.cpuprofile…   (summarize existing profiles)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { renderTable, type Column } from './table.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const STRATA = join(REPO, 'bin', 'strata.js');

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  hitCount?: number;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

function shortUrl(url: string): string {
  if (url === '') return '';
  let u = url.replace(/^file:\/\//, '');
  if (u.startsWith(REPO)) u = u.slice(REPO.length);
  const nm = u.lastIndexOf('node_modules/');
  if (nm !== -1) u = u.slice(nm);
  return u;
}

/** Coarse bucket of a frame: what to optimize, or what is out of reach. */
function areaOf(frame: CallFrame): string {
  const name = frame.functionName;
  if (name === '(garbage collector)') return 'GC';
  if (name === '(program)') return '(program: native, not attributed)';
  if (name === '(idle)') return '(idle: waiting for I/O)';
  if (name === '(root)') return '(root)';
  const url = shortUrl(frame.url);
  if (url === '') return `native: ${name || '(anonymous)'}`;
  if (url.startsWith('node:')) return `node: ${url.replace(/^node:(internal\/)?/, '').replace(/\/.*$/, '')}`;
  const nm = /^node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return `dep: ${nm[1]}`;
  if (url.startsWith('wasm://')) return 'wasm (xxhash-wasm)';
  const src = /^dist\/(src\/.+)\.js$/.exec(url);
  if (src) return `strata: ${src[1]}`;
  return url;
}

function frameKey(frame: CallFrame): string {
  const url = shortUrl(frame.url);
  const name = frame.functionName || '(anonymous)';
  return url === '' ? name : `${name}  ${url}:${frame.lineNumber + 1}`;
}

interface Summary {
  totalMs: number;
  self: Map<string, number>;
  areas: Map<string, number>;
  inclusive: Map<string, number>;
}

function summarize(profiles: CpuProfile[]): Summary {
  const self = new Map<string, number>();
  const areas = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let totalMs = 0;
  const add = (m: Map<string, number>, k: string, v: number): void => {
    m.set(k, (m.get(k) ?? 0) + v);
  };
  for (const p of profiles) {
    const byId = new Map(p.nodes.map((n) => [n.id, n]));
    // Self time per node: each sample owns the time until the next one (as DevTools counts it).
    const selfMs = new Map<number, number>();
    const samples = p.samples ?? [];
    const deltas = p.timeDeltas ?? [];
    if (samples.length > 0 && deltas.length === samples.length) {
      for (let i = 0; i < samples.length; i++) {
        const next = i + 1 < deltas.length ? (deltas[i + 1] as number) : 0;
        const id = samples[i] as number;
        selfMs.set(id, (selfMs.get(id) ?? 0) + Math.max(0, next) / 1000);
      }
    } else {
      const hits = p.nodes.reduce((n, node) => n + (node.hitCount ?? 0), 0);
      const interval = hits > 0 ? (p.endTime - p.startTime) / 1000 / hits : 0;
      for (const node of p.nodes) selfMs.set(node.id, (node.hitCount ?? 0) * interval);
    }
    for (const node of p.nodes) {
      const ms = selfMs.get(node.id) ?? 0;
      totalMs += ms;
      add(self, frameKey(node.callFrame), ms);
      add(areas, areaOf(node.callFrame), ms);
    }
    // Inclusive time per function, recursion counted once (only the outermost frame of a key adds).
    const root = p.nodes[0];
    if (!root) continue;
    const onStack = new Map<string, number>();
    const visit = (node: ProfileNode): number => {
      const key = frameKey(node.callFrame);
      onStack.set(key, (onStack.get(key) ?? 0) + 1);
      let total = selfMs.get(node.id) ?? 0;
      for (const childId of node.children ?? []) {
        const child = byId.get(childId);
        if (child) total += visit(child);
      }
      const depth = onStack.get(key) ?? 1;
      if (depth === 1) add(inclusive, key, total);
      onStack.set(key, depth - 1);
      return total;
    };
    visit(root);
  }
  return { totalMs, self, areas, inclusive };
}

function top(m: Map<string, number>, n: number, filter: (k: string) => boolean = () => true): Array<[string, number]> {
  return [...m.entries()]
    .filter(([k]) => filter(k))
    .sort((a, b) => b[1] - a[1])
    .slice(0, n);
}

function print(summary: Summary, n: number, markdown: boolean): string {
  const pct = (ms: number): string => `${((100 * ms) / summary.totalMs).toFixed(1)} %`;
  const cols = (title: string): Column[] => [
    { title, align: 'left' },
    { title: 'ms', align: 'right' },
    { title: 'share', align: 'right' },
  ];
  const rows = (entries: Array<[string, number]>): string[][] => entries.map(([k, ms]) => [k, ms.toFixed(0), pct(ms)]);
  const out: string[] = [];
  out.push(`profiled ${summary.totalMs.toFixed(0)} ms of main-thread time\n`);
  out.push('self time by area');
  out.push(renderTable(cols('area'), rows(top(summary.areas, n)), markdown));
  out.push('self time by function');
  out.push(renderTable(cols('function  location'), rows(top(summary.self, n)), markdown));
  out.push("inclusive time of strata's own functions");
  out.push(
    renderTable(cols('function  location'), rows(top(summary.inclusive, n, (k) => k.includes('dist/src/'))), markdown),
  );
  return out.join('\n');
}

function main(): number {
  const { values, positionals } = parseArgs({
    options: {
      'no-verify': { type: 'boolean', default: false },
      summary: { type: 'boolean', default: false },
      top: { type: 'string', default: '25' },
      keep: { type: 'string' },
      read: { type: 'boolean', default: false },
      markdown: { type: 'boolean', default: false },
    },
    allowPositionals: true,
  });
  const n = Number(values.top) || 25;
  let files: string[];
  let dir: string | null = null;
  if (values.read) {
    files = positionals.map((p) => resolve(p));
  } else {
    const image = positionals[0];
    if (!image || positionals.length > 1) {
      process.stderr.write(
        'usage: node dist/bench/profile.js [--no-verify] [--summary] [--top N] [--keep DIR] IMAGE\n',
      );
      return 2;
    }
    dir = values.keep ? resolve(values.keep) : mkdtempSync(join(tmpdir(), 'strata-prof-'));
    const flags = [...(values.summary ? [] : ['--json']), ...(values['no-verify'] ? ['--no-verify'] : [])];
    const argv = ['--cpu-prof', `--cpu-prof-dir=${dir}`, STRATA, ...flags, resolve(image)];
    process.stderr.write(`node ${argv.join(' ')} > /dev/null\n`);
    const started = performance.now();
    const r = spawnSync(process.execPath, argv, {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, NODE_ENV: 'production' },
    });
    process.stderr.write(
      `exit ${r.status}, ${((performance.now() - started) / 1000).toFixed(2)} s wall (profiling slows it down)\n`,
    );
    files = readdirSync(dir)
      .filter((f) => f.endsWith('.cpuprofile'))
      .map((f) => join(dir as string, f));
    if (values.keep) process.stderr.write(`profiles kept in ${dir}\n`);
  }
  if (files.length === 0) {
    process.stderr.write('no .cpuprofile written\n');
    return 1;
  }
  const profiles = files.map((f) => JSON.parse(readFileSync(f, 'utf8')) as CpuProfile);
  process.stdout.write(print(summarize(profiles), n, values.markdown ?? false));
  if (dir && !values.keep) rmSync(dir, { recursive: true, force: true });
  return 0;
}

process.exitCode = main();
