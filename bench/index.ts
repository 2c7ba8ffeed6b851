/**
 * `npm run bench`: how fast strata reads an image, against the floor of a verified read
 * (`openssl sha256` over the same file), and how much memory it needs.
 *
 *   npm run bench -- [--quick] [--runs N] [--markdown] [--image PATH]… [--cache-dir DIR]
 *                    [--regenerate] [--timeout SECONDS]
 *
 * Synthetic images are generated once into the cache directory (bench/.cache/ by default) and
 * reused. Every command runs N times in interleaved rounds; medians are reported. This is a
 * measuring script: it asserts nothing about timings.
 */
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  cpSync,
  existsSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { cpus, totalmem, tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { benchDiff, type DiffBenchResult, renderDiffBench } from './diff.js';
import { ensureImage, type SyntheticImage } from './generate.js';
import { Runner, median, type Command, type RunResult } from './measure.js';
import { FILES_50K, REALISTIC_1G } from './specs.js';
import { formatBytes, formatCount, formatRatio, formatRss, formatSeconds, renderTable, type Column } from './table.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const REPO_STRATA = join(REPO, 'bin', 'strata.js');
const SHARED = '/work/shared/images';
const LARGE_FILE = 512 * 1024 * 1024;

const USAGE = `usage: npm run bench -- [options]

  --quick            skip the 1.2 GB realistic1g image (the diff case then compares files50k)
  --diff-only        only the strata diff case: the image against itself with one layer changed
  --runs N           runs per command (default: 5, or 3 for images of 512 MiB and more)
  --markdown         print the tables as Markdown (for the README)
  --image PATH       also measure this image (repeatable)
  --cache-dir DIR    where synthetic images are kept (default: bench/.cache, or $STRATA_BENCH_CACHE)
  --regenerate       rebuild the synthetic images even if cached
  --timeout SECONDS  give up on one command after this long (default: 900)
  --no-snapshot      run bin/strata.js in place instead of a private copy of bin/ and dist/src/
                     taken at start (the copy keeps a concurrent rebuild out of the numbers)
  -h, --help         this text
`;

interface Options {
  quick: boolean;
  diffOnly: boolean;
  runs: number | null;
  markdown: boolean;
  images: string[];
  cacheDir: string;
  regenerate: boolean;
  timeoutS: number;
  snapshot: boolean;
}

function parseOptions(argv: string[]): Options | null {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      'diff-only': { type: 'boolean', default: false },
      runs: { type: 'string' },
      markdown: { type: 'boolean', default: false },
      image: { type: 'string', multiple: true, default: [] },
      'cache-dir': { type: 'string' },
      regenerate: { type: 'boolean', default: false },
      timeout: { type: 'string' },
      'no-snapshot': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    allowPositionals: false,
  });
  if (values.help) return null;
  const positive = (name: string, text: string | undefined): number | null => {
    if (text === undefined) return null;
    const n = Number(text);
    if (!Number.isInteger(n) || n < 1)
      throw new Error(`--${name} wants a positive integer, not ${JSON.stringify(text)}`);
    return n;
  };
  return {
    quick: values.quick ?? false,
    diffOnly: values['diff-only'] ?? false,
    runs: positive('runs', values.runs),
    markdown: values.markdown ?? false,
    images: values.image ?? [],
    cacheDir: resolve(values['cache-dir'] ?? process.env.STRATA_BENCH_CACHE ?? join(REPO, 'bench', '.cache')),
    regenerate: values.regenerate ?? false,
    timeoutS: positive('timeout', values.timeout) ?? 900,
    snapshot: !(values['no-snapshot'] ?? false),
  };
}

interface BenchImage {
  label: string;
  path: string;
  /** Bytes of the file, or of all files under the directory. */
  size: number;
  directory?: boolean;
  synthetic?: SyntheticImage;
}

/** What the CLI's own JSON says about an image (tolerant: the report's schema is still moving). */
interface ImageInfo {
  source: string | null;
  layers: number | null;
  entries: number | null;
  tarBytes: number | null;
  compressions: string[];
}

/**
 * Every mode but `first` runs with the layer cache (the user's) already holding the image's layers,
 * as any run after the first: the warm-up run records them. `first` gives each run an empty cache,
 * as a first run on a fresh machine (a CI job): the read then also hashes, for the cache, the big
 * files nothing compared, and writes the entries.
 */
const MODES = [
  // Index only: read, index and verify every layer (bench/index-only.ts), no analysis.
  { key: 'index', title: 'index (verified)', flags: [] as string[] },
  { key: 'json', title: '--json', flags: ['--json'] },
  { key: 'first', title: '--json, empty cache', flags: ['--json'] },
  { key: 'noverify', title: '--json --no-verify', flags: ['--json', '--no-verify'] },
  { key: 'summary', title: 'summary', flags: [] as string[] },
] as const;
type ModeKey = (typeof MODES)[number]['key'];

interface ImageResult {
  image: BenchImage;
  runs: number;
  info: ImageInfo | null;
  openssl: RunResult[];
  /** `gzip -dc | openssl sha256`, for archives compressed as a whole. */
  inflateFloor: RunResult[] | null;
  modes: Record<ModeKey, { results: RunResult[]; error: string | null }>;
  notes: string[];
}

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

function shellQuote(s: string): string {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}

/** Whether the file starts with the gzip magic (an archive compressed as a whole). */
function isGzip(path: string): boolean {
  let fd: number | null = null;
  try {
    fd = openSync(path, 'r');
    const head = Buffer.alloc(2);
    return readSync(fd, head, 0, 2, 0) === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } catch {
    return false;
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

function treeSize(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += treeSize(path);
    else if (entry.isFile()) total += statSync(path).size;
  }
  return total;
}

function commandExists(cmd: string, args: string[]): boolean {
  const r = spawnSync(cmd, args, { stdio: 'ignore' });
  return r.error === undefined && r.status === 0;
}

function readInfo(jsonPath: string): ImageInfo | null {
  try {
    const report = JSON.parse(readFileSync(jsonPath, 'utf8')) as Record<string, unknown>;
    const image = (typeof report.image === 'object' && report.image !== null ? report.image : report) as Record<
      string,
      unknown
    >;
    const layers = Array.isArray(report.layers) ? (report.layers as Array<Record<string, unknown>>) : null;
    const num = (l: Record<string, unknown>, ...keys: string[]): number | null => {
      for (const k of keys) if (typeof l[k] === 'number') return l[k] as number;
      return null;
    };
    const sum = (...keys: string[]): number | null => {
      if (!layers) return null;
      let total = 0;
      for (const l of layers) {
        const n = num(l, ...keys);
        if (n === null) return null;
        total += n;
      }
      return total;
    };
    const compressionOf = (l: Record<string, unknown>): string | null => {
      if (typeof l.compression === 'string') return l.compression;
      if (typeof l.mediaType !== 'string') return null;
      return /zstd/.test(l.mediaType) ? 'zstd' : /gzip/.test(l.mediaType) ? 'gzip' : 'none';
    };
    return {
      source: typeof image.source === 'string' ? image.source : null,
      layers: layers?.length ?? null,
      entries: sum('entryCount', 'entries'),
      tarBytes: sum('uncompressedSize', 'size'),
      compressions: [...new Set((layers ?? []).map(compressionOf).filter((c): c is string => c !== null))],
    };
  } catch {
    return null;
  }
}

function gitRevision(): string {
  const rev = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO, encoding: 'utf8' });
  if (rev.status !== 0) return 'unknown';
  const dirty = spawnSync('git', ['status', '--porcelain', '--', 'src', 'bin'], { cwd: REPO, encoding: 'utf8' });
  return `${rev.stdout.trim()}${dirty.stdout.trim() ? ' + uncommitted src changes' : ''}`;
}

async function collectImages(options: Options, notes: string[]): Promise<BenchImage[]> {
  const images: BenchImage[] = [];
  const specs = options.quick ? [FILES_50K] : [FILES_50K, REALISTIC_1G];
  for (const spec of specs) {
    const synthetic = await ensureImage(spec, options.cacheDir, { force: options.regenerate, log });
    if (!synthetic.generated) log(`reusing ${synthetic.path}`);
    images.push({ label: spec.name, path: synthetic.path, size: synthetic.size, synthetic });
  }
  if (options.quick) notes.push('--quick: realistic1g skipped.');
  for (const name of ['wasteful.oci-archive.tar', 'wasteful.docker-archive.tar.gz']) {
    const path = join(SHARED, name);
    if (existsSync(path)) images.push({ label: name, path, size: statSync(path).size });
    else {
      notes.push(`${path} is absent: skipped.`);
      log(`note: ${path} is absent, skipped`);
    }
  }
  for (const given of options.images) {
    const path = resolve(given);
    if (!existsSync(path)) {
      notes.push(`--image ${given}: no such file or directory, skipped.`);
      log(`note: --image ${given}: no such file or directory, skipped`);
      continue;
    }
    const directory = statSync(path).isDirectory();
    images.push({ label: basename(path), path, size: directory ? treeSize(path) : statSync(path).size, directory });
  }
  return images;
}

/**
 * A private copy of the built CLI (bin/, dist/src/, package.json; node_modules linked), so that a
 * rebuild of dist/ by someone else during a long run cannot change or break what is measured.
 */
function snapshotCli(scratch: string): string {
  const root = join(scratch, 'strata');
  cpSync(join(REPO, 'bin'), join(root, 'bin'), { recursive: true });
  cpSync(join(REPO, 'dist', 'src'), join(root, 'dist', 'src'), { recursive: true });
  cpSync(join(REPO, 'package.json'), join(root, 'package.json'));
  symlinkSync(join(REPO, 'node_modules'), join(root, 'node_modules'), 'dir');
  return join(root, 'bin', 'strata.js');
}

async function benchImage(
  image: BenchImage,
  options: Options,
  runner: Runner,
  scratch: string,
  strataBin: string,
): Promise<ImageResult> {
  const runs = options.runs ?? (image.size >= LARGE_FILE ? 3 : 5);
  const strata = (flags: readonly string[]): Command => ({
    argv: [process.execPath, strataBin, ...flags, image.path],
    isNode: true,
  });
  const indexOnly: Command = {
    argv: [process.execPath, fileURLToPath(new URL('./index-only.js', import.meta.url)), image.path],
    isNode: true,
  };
  // An OCI layout directory: the floor is hashing every file of it, one stream.
  const openssl: Command = image.directory
    ? {
        argv: [`find ${shellQuote(image.path)} -type f -print0 | sort -z | xargs -0 cat | openssl sha256`],
        shell: true,
      }
    : { argv: ['openssl', 'sha256', image.path] };
  const gz = !image.directory && isGzip(image.path) && commandExists('gzip', ['--version']);
  const inflate: Command | null = gz
    ? { argv: [`gzip -dc ${shellQuote(image.path)} | openssl sha256`], shell: true }
    : null;
  const result: ImageResult = {
    image,
    runs,
    info: null,
    openssl: [],
    inflateFloor: gz ? [] : null,
    modes: {
      index: { results: [], error: null },
      json: { results: [], error: null },
      first: { results: [], error: null },
      noverify: { results: [], error: null },
      summary: { results: [], error: null },
    },
    notes: [],
  };

  // Warm-up, not measured: pulls the file into the page cache, and the JSON tells what the image holds.
  log(`[${image.label}] warm-up (${formatBytes(image.size)})`);
  await runner.run(openssl);
  const jsonPath = join(scratch, 'warmup.json');
  const warm = await runner.run({ ...strata(['--json']), stdoutPath: jsonPath });
  if (warm.error === null) result.info = readInfo(jsonPath);
  rmSync(jsonPath, { force: true });

  for (let round = 1; round <= runs; round++) {
    const parts: string[] = [];
    const o = await runner.run(openssl);
    if (o.error === null) result.openssl.push(o);
    parts.push(`openssl ${o.error === null ? formatSeconds(o.wallMs) : 'failed'}`);
    if (inflate && result.inflateFloor) {
      const g = await runner.run(inflate);
      if (g.error === null) result.inflateFloor.push(g);
    }
    for (const mode of MODES) {
      const slot = result.modes[mode.key];
      if (slot.error !== null) continue; // failed before: not worth repeating
      const emptyCache = mode.key === 'first' ? join(scratch, `empty-cache-${round}`) : null;
      const r = await runner.run(
        mode.key === 'index' ? indexOnly : strata(emptyCache ? [...mode.flags, '--cache-dir', emptyCache] : mode.flags),
      );
      if (emptyCache) rmSync(emptyCache, { recursive: true, force: true });
      if (r.error !== null) {
        slot.error = round === 1 ? r.error : `failed in round ${round} of ${runs} (not retried): ${r.error}`;
        log(`[${image.label}] strata ${mode.title} failed: ${r.error}`);
        parts.push(`${mode.title} FAILED`);
        continue;
      }
      slot.results.push(r);
      parts.push(`${mode.title} ${formatSeconds(r.wallMs)} ${formatRss(r.maxRssKb)}`);
    }
    log(`[${image.label}] round ${round}/${runs}: ${parts.join(', ')}`);
  }
  return result;
}

const medianOf = (results: readonly RunResult[], pick: (r: RunResult) => number | null): number | null =>
  median(results.map(pick).filter((x): x is number => x !== null));

function render(results: ImageResult[], options: Options, runner: Runner, globalNotes: string[]): string {
  const out: string[] = [];
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  out.push(
    `strata ${gitRevision()} · node ${process.version} · ${cpu}, ${cpus().length} cores, ` +
      `${formatBytes(totalmem())} RAM · ` +
      `NODE_ENV=production · medians of ${options.runs ?? '5 (3 for ≥ 512 MiB)'} runs · RSS from ` +
      `${runner.kind === 'gnu-time' ? 'GNU time' : 'process.resourceUsage'}`,
  );
  out.push('');

  const columns: Column[] = [
    { title: 'image', align: 'left' },
    { title: 'size', align: 'right' },
    { title: 'mode', align: 'left' },
    { title: 'runs', align: 'right' },
    { title: 'openssl sha256', align: 'right' },
    { title: 'strata', align: 'right' },
    { title: '× openssl', align: 'right' },
    { title: 'CPU', align: 'right' },
    { title: 'CPU × openssl', align: 'right' },
    { title: 'peak RSS', align: 'right' },
  ];
  const rows: string[][] = [];
  const notes: string[] = [...globalNotes];
  for (const r of results) {
    const floor = medianOf(r.openssl, (x) => x.wallMs);
    const floorCpu = medianOf(r.openssl, (x) => x.cpuS);
    const errors = new Map<string, string[]>();
    for (const mode of MODES) {
      const slot = r.modes[mode.key];
      const wall = medianOf(slot.results, (x) => x.wallMs);
      const failed = slot.error !== null && slot.results.length === 0;
      const cpu = medianOf(slot.results, (x) => x.cpuS);
      rows.push([
        r.image.label,
        formatBytes(r.image.size),
        mode.title,
        String(slot.results.length),
        formatSeconds(floor),
        failed ? 'FAILED' : formatSeconds(wall),
        failed ? '—' : formatRatio(wall !== null && floor !== null ? wall / floor : null),
        failed ? '—' : formatSeconds(cpu === null ? null : cpu * 1000),
        failed ? '—' : formatRatio(cpu !== null && floorCpu !== null && floorCpu > 0 ? cpu / floorCpu : null),
        failed ? '—' : formatRss(medianOf(slot.results, (x) => x.maxRssKb)),
      ]);
      if (slot.error !== null) errors.set(slot.error, [...(errors.get(slot.error) ?? []), mode.title]);
    }
    for (const [error, modes] of errors) notes.push(`${r.image.label}, strata ${modes.join(' / ')}: ${error}`);
    if (r.openssl.length === 0) notes.push(`${r.image.label}: the openssl floor could not be measured.`);
    if (r.inflateFloor && r.inflateFloor.length > 0) {
      const inflate = medianOf(r.inflateFloor, (x) => x.wallMs);
      const json = medianOf(r.modes.json.results, (x) => x.wallMs);
      notes.push(
        `${r.image.label} is gzip-compressed as a whole: \`gzip -dc | openssl sha256\` takes ` +
          `${formatSeconds(inflate)} (median), ` +
          'a fairer floor; strata --json is ' +
          `${formatRatio(json !== null && inflate !== null ? json / inflate : null)} that.`,
      );
    } else if (r.info?.compressions.some((c) => c !== 'none')) {
      notes.push(
        `${r.image.label} has ${r.info.compressions.filter((c) => c !== 'none').join('/')} layers: ` +
          `strata inflates them (${formatBytes(r.info.tarBytes)} in layers) ` +
          `where openssl only hashes the ${formatBytes(r.image.size)} stored, so its ratio includes decompression.`,
      );
    }
  }
  out.push(renderTable(columns, rows, options.markdown));

  const infoColumns: Column[] = [
    { title: 'image', align: 'left' },
    { title: 'format', align: 'left' },
    { title: 'layers', align: 'right' },
    { title: 'tar entries', align: 'right' },
    { title: 'stored', align: 'right' },
    { title: 'layer bytes', align: 'right' },
    { title: 'layer compression', align: 'left' },
  ];
  const infoRows = results.map((r) => [
    r.image.label,
    r.info?.source ?? 'n/a',
    formatCount(r.info?.layers ?? null),
    formatCount(r.info?.entries ?? null),
    formatBytes(r.image.size),
    formatBytes(r.info?.tarBytes ?? null),
    r.info ? r.info.compressions.join(', ') || 'n/a' : 'n/a',
  ]);
  out.push(renderTable(infoColumns, infoRows, options.markdown));

  const synthetic = results.filter((r) => r.image.synthetic);
  for (const r of synthetic) {
    const t = r.image.synthetic?.totals;
    if (!t) continue;
    notes.push(
      `${r.image.label} (synthetic, seeded): ${formatCount(t.files)} regular files (${formatBytes(t.bytes)}), ` +
        `${formatCount(t.dirs)} dir entries, ${formatCount(t.symlinks)} symlinks, ${t.hardlinks} hardlinks, ` +
        `${formatCount(t.overwrites)} overwrites (${t.identicalOverwrites} identical), ` +
        `${formatCount(t.whiteouts)} whiteouts ` +
        `(${t.dirWhiteouts} of directories), ${t.opaques} opaque directories.`,
    );
  }
  if (notes.length > 0) {
    out.push(options.markdown ? notes.map((n) => `- ${n}`).join('\n') : notes.map((n) => `* ${n}`).join('\n'));
    out.push('');
  }
  return out.join('\n');
}

async function main(): Promise<number> {
  let options: Options | null;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`bench: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (!options) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (!existsSync(REPO_STRATA) || !existsSync(join(REPO, 'dist', 'src', 'cli', 'main.js'))) {
    process.stderr.write(`bench: ${REPO_STRATA} or dist/src not found: run npm run build first\n`);
    return 1;
  }
  if (!commandExists('openssl', ['version'])) {
    process.stderr.write('bench: openssl not found: it gives the floor every time is compared with\n');
    return 1;
  }

  const globalNotes: string[] = [];
  const images = options.diffOnly ? [] : await collectImages(options, globalNotes);
  const env = { ...process.env, NODE_ENV: 'production' };
  const runner = new Runner(env, options.timeoutS);
  const scratch = mkdtempSync(join(tmpdir(), 'strata-bench-json-'));
  const strata = options.snapshot ? snapshotCli(scratch) : REPO_STRATA;
  if (runner.kind !== 'gnu-time')
    log('note: GNU time not found at /usr/bin/time: RSS measured from inside the CLI, none for openssl');
  const results: ImageResult[] = [];
  let diffResult: DiffBenchResult | null = null;
  try {
    for (const image of images) results.push(await benchImage(image, options, runner, scratch, strata));
    // strata diff: the image against itself rebuilt with one layer changed, beside two --json runs.
    const spec = options.quick ? FILES_50K : REALISTIC_1G;
    const runs = options.runs ?? (options.quick ? 5 : 3);
    diffResult = await benchDiff(
      spec,
      { cacheDir: options.cacheDir, regenerate: options.regenerate, runs },
      runner,
      strata,
      log,
    );
  } finally {
    runner.dispose();
    rmSync(scratch, { recursive: true, force: true });
  }
  if (!options.diffOnly) process.stdout.write(render(results, options, runner, globalNotes));
  if (diffResult) process.stdout.write(`\n${renderDiffBench(diffResult, options.markdown)}`);
  return 0;
}

process.exitCode = await main();
