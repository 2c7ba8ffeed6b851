/**
 * Runs one command and measures it: wall time (from the parent, high resolution), peak RSS and
 * CPU time (from GNU time when /usr/bin/time is GNU time, else from a Node wrapper around the CLI).
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface RunResult {
  wallMs: number;
  /** Peak resident set size in KiB, when it could be measured. */
  maxRssKb: number | null;
  /** User + system CPU seconds, when they could be measured. */
  cpuS: number | null;
  exitCode: number | null;
  signal: string | null;
  /** The first meaningful stderr line (the CLI's error message) when the command failed. */
  error: string | null;
  timedOut: boolean;
}

export interface Command {
  /** argv; argv[0] is resolved through PATH. */
  argv: string[];
  /** True when argv is `node SCRIPT …`: the fallback can then measure RSS from inside. */
  isNode?: boolean;
  /** Write stdout here instead of /dev/null. */
  stdoutPath?: string;
  /** Run through `sh -c` (for pipelines); argv is then [script]. */
  shell?: boolean;
}

export type TimerKind = 'gnu-time' | 'node-wrapper';

const GNU_TIME = '/usr/bin/time';
const WRAPPER = fileURLToPath(new URL('./rss-wrapper.js', import.meta.url));

export class Runner {
  readonly kind: TimerKind;
  private readonly scratch: string;
  private counter = 0;

  constructor(
    private readonly env: NodeJS.ProcessEnv,
    private readonly timeoutS: number,
  ) {
    this.scratch = mkdtempSync(join(tmpdir(), 'strata-bench-'));
    this.kind = hasGnuTime(this.scratch) ? 'gnu-time' : 'node-wrapper';
  }

  dispose(): void {
    rmSync(this.scratch, { recursive: true, force: true });
  }

  async run(cmd: Command): Promise<RunResult> {
    const usageFile = join(this.scratch, `usage-${++this.counter}`);
    const inner = cmd.shell ? ['/bin/sh', '-c', cmd.argv.join(' ')] : cmd.argv;
    let argv: string[];
    if (this.kind === 'gnu-time') {
      argv = [GNU_TIME, '-f', '%e %M %U %S', '-o', usageFile, ...inner];
    } else if (cmd.isNode && !cmd.shell) {
      const [node, ...rest] = inner;
      argv = [node ?? process.execPath, WRAPPER, usageFile, ...rest];
    } else {
      argv = inner;
    }
    const stdoutFd = openSync(cmd.stdoutPath ?? '/dev/null', 'w');
    try {
      const result = await spawnTimed(argv, stdoutFd, this.env, this.timeoutS);
      const usage = readUsage(usageFile, this.kind);
      return { ...result, maxRssKb: usage.maxRssKb, cpuS: usage.cpuS };
    } finally {
      closeSync(stdoutFd);
      rmSync(usageFile, { force: true });
    }
  }
}

function hasGnuTime(scratch: string): boolean {
  const probe = join(scratch, 'probe');
  try {
    const r = spawnSync(GNU_TIME, ['-f', '%M', '-o', probe, 'true'], { stdio: 'ignore' });
    return r.status === 0 && /^\d+\s*$/.test(readFileSync(probe, 'utf8').trim().split('\n').pop() ?? '');
  } catch {
    return false;
  } finally {
    rmSync(probe, { force: true });
  }
}

function readUsage(file: string, kind: TimerKind): { maxRssKb: number | null; cpuS: number | null } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return { maxRssKb: null, cpuS: null };
  }
  // GNU time prefixes "Command exited with non-zero status N" (or a signal line) when the command fails.
  const last = text.trim().split('\n').pop() ?? '';
  const f = last.split(/\s+/).map(Number);
  if (kind === 'gnu-time') {
    if (f.length < 4 || f.some((x) => !Number.isFinite(x))) return { maxRssKb: null, cpuS: null };
    return { maxRssKb: f[1] ?? null, cpuS: (f[2] ?? 0) + (f[3] ?? 0) };
  }
  if (f.length < 2 || f.some((x) => !Number.isFinite(x))) return { maxRssKb: null, cpuS: null };
  return { maxRssKb: f[0] ?? null, cpuS: f[1] ?? null };
}

function spawnTimed(
  argv: string[],
  stdoutFd: number,
  env: NodeJS.ProcessEnv,
  timeoutS: number,
): Promise<Omit<RunResult, 'maxRssKb' | 'cpuS'>> {
  return new Promise((resolve) => {
    const [file, ...args] = argv;
    const started = process.hrtime.bigint();
    // Own process group, so a timeout can end the command and whatever it started.
    const child = spawn(file as string, args, { stdio: ['ignore', stdoutFd, 'pipe'], env, detached: true });
    let stderr = '';
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (s: string) => {
      if (stderr.length < 64 * 1024) stderr += s;
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }, timeoutS * 1000);
    const finish = (exitCode: number | null, signal: string | null, spawnError?: Error): void => {
      clearTimeout(timer);
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      const failed = spawnError !== undefined || timedOut || exitCode !== 0;
      resolve({
        wallMs,
        exitCode,
        signal,
        timedOut,
        error: failed
          ? (spawnError?.message ??
            (timedOut ? `timed out after ${timeoutS} s` : firstErrorLine(stderr, exitCode, signal)))
          : null,
      });
    };
    child.on('error', (err) => finish(null, null, err));
    child.on('close', (code, signal) => finish(code, signal));
  });
}

function firstErrorLine(stderr: string, exitCode: number | null, signal: string | null): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter(
      (l) =>
        l !== '' &&
        !l.startsWith('Command exited with non-zero status') &&
        !l.startsWith('Command terminated by signal'),
    );
  // The CLI's own message first; else an uncaught exception's "SomeError: …" line; else the first line.
  const line = lines.find((l) => l.startsWith('strata:')) ?? lines.find((l) => /^[A-Za-z]*Error\b/.test(l)) ?? lines[0];
  return line ?? (signal ? `killed by ${signal}` : `exit code ${exitCode}`);
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
