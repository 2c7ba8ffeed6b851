/** Runs the real CLI on one input as a child process, with a watchdog for hangs and runaway memory. */
import { spawn } from 'node:child_process';
import { createReadStream, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command, RunResult } from './contract.js';

export interface ChildLimits {
  seconds: number;
  rssMb: number;
}

export interface ChildRun extends RunResult {
  ms: number;
  /** Peak RSS in bytes: what the child reported at exit, or the highest the watchdog saw. */
  peakRss: number;
}

export interface ChildSpec {
  command: Command;
  format: RunResult['format'];
  args: string[];
  /** Feed this file on stdin (the image argument is then `-`). */
  stdinFile?: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

const here = fileURLToPath(import.meta.url);
/** The compiled probe: beside this module in dist/, or in dist/ when the suite runs this file as TypeScript. */
const PROBE = here.endsWith('.ts')
  ? join(dirname(here), '..', '..', 'dist', 'scripts', 'fuzz', 'rss-probe.js')
  : join(dirname(here), 'rss-probe.js');
const POLL_MS = 200;

function rssOf(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'latin1');
    const kb = /VmRSS:\s+(\d+)/.exec(status)?.[1];
    return kb ? Number(kb) * 1024 : 0;
  } catch {
    return 0;
  }
}

export function runChild(bin: string, spec: ChildSpec, limits: ChildLimits): Promise<ChildRun> {
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [`--max-old-space-size=${limits.rssMb}`, '--import', PROBE, bin, ...spec.args],
    { cwd: spec.cwd, env: spec.env, stdio: [spec.stdinFile ? 'pipe' : 'ignore', 'pipe', 'pipe', 'pipe'] },
  );
  if (spec.stdinFile && child.stdin) {
    child.stdin.on('error', () => {}); // strata may stop reading early: that is its right
    createReadStream(spec.stdinFile)
      .on('error', () => child.stdin?.destroy())
      .pipe(child.stdin);
  }
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  let probe = '';
  child.stdout!.on('data', (c: Buffer) => out.push(c));
  child.stderr!.on('data', (c: Buffer) => err.push(c));
  (child.stdio[3] as NodeJS.ReadableStream).on('data', (c: Buffer) => (probe += c.toString()));
  let peak = 0;
  let timedOut = false;
  let memoryExceeded = false;
  const watchdog = setInterval(() => {
    if (child.pid === undefined) return;
    peak = Math.max(peak, rssOf(child.pid));
    if (peak > limits.rssMb * 1024 * 1024) {
      memoryExceeded = true;
      child.kill('SIGKILL');
    } else if (performance.now() - started > limits.seconds * 1000) {
      timedOut = true;
      child.kill('SIGKILL');
    }
  }, POLL_MS);
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      clearInterval(watchdog);
      const reported = Number(probe.trim()) * 1024;
      resolve({
        command: spec.command,
        format: spec.format,
        args: spec.args,
        code,
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        timedOut,
        memoryExceeded,
        ms: performance.now() - started,
        peakRss: Math.max(peak, Number.isFinite(reported) ? reported : 0),
      });
    });
  });
}
