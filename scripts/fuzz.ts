/**
 * `npm run fuzz -- --count N --seed S`: mutates strata's fixtures and runs the real CLI on each
 * mutated input as a child process, checking the contract of issue 17 (see scripts/fuzz/contract.ts
 * and docs/fuzzing.md). Inputs that break it are written to --out with their seed and mutations.
 * Exits 0 when every input kept the contract, 1 otherwise.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, InvalidArgumentError } from 'commander';
import { checkContract, knownDefect } from './fuzz/contract.js';
import { type FuzzInput, inputFileName, loadSeeds, makeInput, writeInput } from './fuzz/generate.js';
import { planRuns } from './fuzz/plan.js';
import { type ChildRun, runChild } from './fuzz/run-child.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

interface Options {
  count: number;
  start: number;
  seed: number;
  index?: number[];
  jobs: number;
  out: string;
  timeout: number;
  maxRss: number;
  fixtures: string;
}

interface Outcome {
  input: FuzzInput;
  runs: Array<ChildRun & { violations: string[] }>;
}

const integer = (value: string): number => {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new InvalidArgumentError('not an integer');
  return n;
};

function parseOptions(argv: string[]): Options {
  const program = new Command('fuzz')
    .description('mutation fuzzer: runs strata on mutated fixtures and checks that each run keeps the contract')
    .option('--count <n>', 'how many inputs', integer, 100)
    .option('--seed <n>', 'run seed (default: a random one, printed)', integer)
    .option('--start <i>', 'first input number: resumes a long run where it stopped', integer, 0)
    .option('--index <i>', 'only input i of the seed (repeatable): to replay a failure', (v, prev: number[] = []) => [
      ...prev,
      integer(v),
    ])
    .option('--jobs <n>', 'inputs run at once', integer, 2)
    .option('--out <dir>', 'where failing inputs are written', 'fuzz-failures')
    .option('--timeout <seconds>', 'per-run limit that counts as a hang', integer, 60)
    .option('--max-rss <mb>', 'per-run memory that counts as runaway', integer, 2048)
    .option('--fixtures <dir>', 'the fixtures to mutate', join(repoRoot, 'fixtures'))
    .parse(argv, { from: 'user' });
  const o = program.opts<Partial<Options> & { maxRss: number }>();
  return {
    count: o.count ?? 100,
    start: o.start ?? 0,
    seed: o.seed ?? Math.floor(Math.random() * 2 ** 31),
    index: o.index,
    jobs: Math.max(1, o.jobs ?? 2),
    out: resolve(o.out ?? 'fuzz-failures'),
    timeout: o.timeout ?? 60,
    maxRss: o.maxRss,
    fixtures: resolve(o.fixtures ?? join(repoRoot, 'fixtures')),
  };
}

async function main(argv: string[]): Promise<number> {
  const options = parseOptions(argv);
  const seeds = loadSeeds(options.fixtures);
  const work = mkdtempSync(join(tmpdir(), 'strata-fuzz-'));
  const cwd = join(work, 'cwd'); // ci looks for .strata.yaml here: none
  const cache = join(work, 'cache');
  mkdirSync(cwd);
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production', XDG_CACHE_HOME: cache };
  delete env.STRATA_DEBUG;
  const bin = join(repoRoot, 'bin', 'strata.js');
  const limits = { seconds: options.timeout, rssMb: options.maxRss };
  const indexes = options.index ?? Array.from({ length: options.count }, (_, i) => options.start + i);
  console.log(
    `strata fuzz: seed ${options.seed}, ${indexes.length} inputs from ${seeds.length} fixtures, ` +
      `${options.jobs} at a time`,
  );
  const started = performance.now();
  const outcomes: Outcome[] = [];
  let next = 0;
  let failures = 0;

  const one = async (index: number): Promise<void> => {
    const input = await makeInput(options.seed, index, seeds);
    const path = join(work, 'inputs', inputFileName(input));
    writeInput(input.input, path);
    const runs: Outcome['runs'] = [];
    for (const plan of planRuns(options.seed, index, input.input.kind === 'dir')) {
      const args = [...plan.flags, plan.stdin ? '-' : path];
      const run = await runChild(
        bin,
        { command: plan.command, format: plan.format, args, stdinFile: plan.stdin ? path : undefined, cwd, env },
        limits,
      );
      runs.push({ ...run, violations: checkContract(run, limits) });
    }
    const outcome = { input, runs };
    outcomes.push(outcome);
    if (runs.some((r) => r.violations.length > 0)) {
      failures++;
      saveFailure(options, outcome, path);
      const bad = runs.find((r) => r.violations.length > 0)!;
      console.log(`  FAIL #${index} ${input.seed} [${describeMutations(input)}]: ${bad.violations.join('; ')}`);
    }
    rmSync(path, { recursive: true, force: true });
    const done = outcomes.length;
    if (done % 100 === 0) {
      const seconds = (performance.now() - started) / 1000;
      console.log(
        `  ${done}/${indexes.length} inputs in ${seconds.toFixed(0)} s, ${failures} failing; ${exitCounts(outcomes)}`,
      );
    }
  };

  // A long run stopped early (ctrl+c, a session's end) still says what it saw, and where to resume.
  let stopped = false;
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    next = indexes.length;
    console.log(`stopped: resume with --seed ${options.seed} --start ${nextUnstarted()}`);
  };
  const nextUnstarted = (): number => Math.max(options.start, ...outcomes.map((o) => o.input.index + 1));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const worker = async (): Promise<void> => {
    while (next < indexes.length) await one(indexes[next++]!);
  };
  await Promise.all(Array.from({ length: options.jobs }, worker));
  rmSync(work, { recursive: true, force: true });
  printSummary(options, outcomes, (performance.now() - started) / 1000);
  return failures === 0 ? 0 : 1;
}

function describeMutations(input: FuzzInput): string {
  return input.mutations.map((m) => `${m.mutator}: ${m.detail}`).join(' | ');
}

function saveFailure(options: Options, outcome: Outcome, path: string): void {
  const { input } = outcome;
  const dir = join(options.out, `seed-${options.seed}-input-${input.index}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeInput(input.input, join(dir, inputFileName(input)));
  const report = {
    seed: options.seed,
    index: input.index,
    fixture: input.seed,
    mutations: input.mutations,
    input: inputFileName(input),
    replay: `npm run fuzz -- --seed ${options.seed} --index ${input.index}`,
    runs: outcome.runs.map((r) => ({
      command: `strata ${r.args.map((a) => (a === path ? inputFileName(input) : a)).join(' ')}`,
      exit: r.code,
      signal: r.signal,
      ms: Math.round(r.ms),
      peakRssMb: Math.round(r.peakRss / 2 ** 20),
      violations: r.violations,
      knownDefect: knownDefect(r, r.violations),
      stderr: r.stderr.slice(0, 4000),
    })),
  };
  writeFileSync(join(dir, 'failure.json'), `${JSON.stringify(report, null, 2)}\n`);
}

function exitCounts(outcomes: readonly Outcome[]): string {
  const exits = new Map<string, number>();
  for (const o of outcomes) {
    for (const r of o.runs) {
      const key = `${r.command} ${r.signal ?? r.code}`;
      exits.set(key, (exits.get(key) ?? 0) + 1);
    }
  }
  return [...exits]
    .sort()
    .map(([k, n]) => `${k}: ${n}`)
    .join(', ');
}

function printSummary(options: Options, outcomes: readonly Outcome[], seconds: number): void {
  const runs = outcomes.flatMap((o) => o.runs.map((r) => ({ o, r })));
  const byCommand = (c: string): number => runs.filter(({ r }) => r.command === c).length;
  const failing = outcomes.filter((o) => o.runs.some((r) => r.violations.length > 0));
  const slowest = runs.reduce((a, b) => (b.r.ms > a.r.ms ? b : a), runs[0]!);
  const fattest = runs.reduce((a, b) => (b.r.peakRss > a.r.peakRss ? b : a), runs[0]!);
  const name = ({ o, r }: { o: Outcome; r: ChildRun }): string =>
    `#${o.input.index} ${o.input.seed}, strata ${r.args.slice(0, -1).join(' ')} ` +
    `[${describeMutations(o.input).slice(0, 160)}]`;
  console.log('');
  console.log(`seed ${options.seed}: ${outcomes.length} inputs, ${runs.length} runs in ${seconds.toFixed(1)} s`);
  console.log(`  runs: --json ${byCommand('json')}, report ${byCommand('report')}, ci ${byCommand('ci')}`);
  console.log(`  exits: ${exitCounts(outcomes)}`);
  if (slowest) console.log(`  slowest: ${(slowest.r.ms / 1000).toFixed(2)} s, ${name(slowest)}`);
  if (fattest) console.log(`  peak RSS: ${Math.round(fattest.r.peakRss / 2 ** 20)} MB, ${name(fattest)}`);
  console.log(
    `  inputs breaking the contract: ${failing.length}${failing.length ? ` (written to ${options.out})` : ''}`,
  );
  const kinds = new Map<string, number>();
  for (const o of failing) {
    for (const r of o.runs)
      for (const v of r.violations) {
        const known = knownDefect(r, r.violations);
        const key = `${v.replace(/\d+/g, 'N')}${known ? ` [${known}]` : ''}`;
        kinds.set(key, (kinds.get(key) ?? 0) + 1);
      }
  }
  for (const [k, n] of [...kinds].sort((a, b) => b[1] - a[1])) console.log(`    ${n} × ${k}`);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err);
    process.exitCode = 2;
  },
);
