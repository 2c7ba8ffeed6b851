/**
 * What strata promises on any input (issue 17, README "Exit codes"): a known exit code, one line on
 * stderr when it fails, never an internal error or a stack trace, valid JSON when it succeeds, and no
 * hang or runaway memory. The fuzzer's child processes and the suite's in-process round share it.
 */

export type Command = 'json' | 'report' | 'ci';

export interface RunResult {
  command: Command;
  /** Output format of `report` and `ci`; `--json` is always JSON. */
  format: 'text' | 'markdown' | 'json';
  args: string[];
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  timedOut?: boolean;
  memoryExceeded?: boolean;
}

/** Where a failure gets its one line: exit 1, or 3 for `strata ci` (1 there means a rule failed). */
const FAILURE: Record<Command, number> = { json: 1, report: 1, ci: 3 };
const ALLOWED: Record<Command, readonly number[]> = { json: [0, 1], report: [0, 1], ci: [0, 1, 3] };
/** No error line is ever longer than this (issue 17: input echoed in messages is cut). */
export const MAX_ERROR_LINE_BYTES = 1000;

export function checkContract(run: RunResult, limits = { seconds: 60, rssMb: 2048 }): string[] {
  const found: string[] = [];
  if (run.timedOut) found.push(`hang: no exit within ${limits.seconds} s`);
  if (run.memoryExceeded) found.push(`memory: RSS above ${limits.rssMb} MB`);
  if (run.signal && !run.timedOut && !run.memoryExceeded) found.push(`killed by ${run.signal}`);
  if (run.timedOut || run.memoryExceeded || run.signal) return found;

  const lines = run.stderr.split('\n').filter((l) => l !== '');
  if (/internal error/.test(run.stderr)) found.push('internal error');
  if (/^\s+at /m.test(run.stderr)) found.push('stack trace on stderr');
  if (/FATAL ERROR|heap out of memory/i.test(run.stderr)) found.push('V8 out of memory');
  const long = lines.find((l) => Buffer.byteLength(l) > MAX_ERROR_LINE_BYTES);
  if (long) found.push(`stderr line of ${Buffer.byteLength(long)} bytes`);
  const stray = lines.find((l) => !l.startsWith('strata: '));
  if (stray !== undefined) found.push(`stderr line not from strata: ${JSON.stringify(stray.slice(0, 100))}`);

  const code = run.code ?? -1;
  if (!ALLOWED[run.command].includes(code)) {
    found.push(`exit ${code}${run.stderr === '' ? ' with nothing on stderr' : ''}`);
    return found;
  }
  if (code === FAILURE[run.command]) {
    if (lines.length !== 1) found.push(`${lines.length} lines on stderr on failure`);
    if (run.stdout !== '') found.push(`${run.stdout.length} bytes on stdout on failure`);
    return found;
  }
  // Success (or, for ci, a verdict): the report must be whole.
  if (run.format === 'json') {
    try {
      JSON.parse(run.stdout);
    } catch (err) {
      found.push(`invalid JSON on stdout: ${(err as Error).message.slice(0, 100)}`);
    }
  } else if (run.stdout.trim() === '') found.push('empty report on success');
  else {
    // Not a terminal, so no colour: any escape or control byte in a text report came from the image.
    const control = /[\x00-\x08\x0b-\x1f\x7f\x80-\x9f]/.exec(run.stdout);
    if (control)
      found.push(
        `control character U+${control[0].charCodeAt(0).toString(16).padStart(4, '0')} in the ${run.format} report`,
      );
  }
  return found;
}

/**
 * The defects of issue 17 that other engineers are fixing, told apart by their symptom, so that a
 * failure report says which known defect an input hits (it is still a violation).
 */
export function knownDefect(run: RunResult, violations: readonly string[]): string | undefined {
  if (run.code === 13 && run.stderr === '') return 'issue 17 #1 (silent exit 13)';
  if (/Maximum call stack size exceeded/.test(run.stderr)) return 'issue 17 #3 (stack overflow on deep paths)';
  if (violations.some((v) => v.startsWith('control character'))) return 'issue 17 #4 (escape injection)';
  if (violations.some((v) => v.startsWith('stderr line of'))) return 'issue 17 #5 (unbounded echo)';
  return undefined;
}
