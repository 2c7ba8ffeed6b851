/**
 * A short, seeded round of the mutation fuzzer (`npm run fuzz` runs long ones as child processes):
 * the same mutations, with the CLI called in-process through `main`, the entry bin/strata.js uses.
 * Every input must keep the contract of scripts/fuzz/contract.ts. Inputs are made fresh from the
 * fixtures, so a failure names its seed and number: `npm run fuzz -- --seed 1 --index N` replays it.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkContract, knownDefect, type RunResult } from '../../scripts/fuzz/contract.js';
import { inputFileName, loadSeeds, makeInput, writeInput } from '../../scripts/fuzz/generate.js';
import { planRuns } from '../../scripts/fuzz/plan.js';
import { runCli } from '../helpers/cli.js';
import { fixtures } from '../helpers/paths.js';

const SEED = 1;
const INPUTS = 250;
const PER_TEST = 25;
/** Only a hang fails on time: a run normally takes milliseconds, so this is never reached by a slow machine. */
const HANG_SECONDS = 60;

const scratch = mkdtempSync(join(tmpdir(), 'strata-fuzz-round-'));
const cwd = join(scratch, 'cwd');
mkdirSync(cwd);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const seeds = loadSeeds(fixtures());

async function withHangLimit<T>(what: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${HANG_SECONDS} s`)), HANG_SECONDS * 1000);
  });
  try {
    return await Promise.race([work, hang]);
  } finally {
    clearTimeout(timer);
  }
}

/** Exit codes seen, so the round shows its mutations reach both verdicts, not only the first check. */
const exits = new Map<number, number>();

const batches = Array.from({ length: INPUTS / PER_TEST }, (_, b) => b * PER_TEST);

describe(`fuzz round: seed ${SEED}, ${INPUTS} mutated fixtures`, () => {
  it.each(batches)(
    'inputs %i onwards keep the contract',
    async (first) => {
      const broken: string[] = [];
      for (let index = first; index < first + PER_TEST; index++) {
        const input = await makeInput(SEED, index, seeds);
        const path = join(scratch, inputFileName(input));
        writeInput(input.input, path);
        for (const plan of planRuns(SEED, index, input.input.kind === 'dir')) {
          const args = [...plan.flags, ...(plan.command === 'ci' ? ['--cwd', cwd] : []), path];
          const r = await withHangLimit(`input ${index}`, runCli(...args));
          const run: RunResult = { command: plan.command, format: plan.format, args, signal: null, ...r };
          exits.set(r.code, (exits.get(r.code) ?? 0) + 1);
          const violations = checkContract(run);
          if (violations.length > 0) {
            const known = knownDefect(run, violations);
            const mutations = input.mutations.map((m) => `${m.mutator}: ${m.detail}`).join(' | ');
            broken.push(
              `#${index} ${input.seed} [${mutations}] strata ${plan.flags.join(' ')}: ${violations.join('; ')}` +
                `${known ? ` (${known})` : ''}\n    stderr: ${r.stderr.slice(0, 300)}`,
            );
          }
        }
        rmSync(path, { recursive: true, force: true });
      }
      expect(broken, `replay with: npm run fuzz -- --seed ${SEED} --index N`).toEqual([]);
    },
    600_000,
  );

  it('reaches the analysis on some inputs and stops at a check on others', () => {
    expect(exits.get(0) ?? 0).toBeGreaterThan(INPUTS / 10);
    expect(exits.get(1) ?? 0).toBeGreaterThan(INPUTS / 10);
  });
});

describe('the fuzzer', () => {
  const bytesOf = (input: Awaited<ReturnType<typeof makeInput>>): Buffer =>
    input.input.kind === 'file' ? input.input.bytes : Buffer.from(JSON.stringify([...input.input.files]));

  it('makes the same input from the same seed and number, and another from another seed', async () => {
    for (const index of [0, 7, 42]) {
      const [a, b, c] = await Promise.all([
        makeInput(5, index, seeds),
        makeInput(5, index, seeds),
        makeInput(6, index, seeds),
      ]);
      expect(a.mutations).toEqual(b.mutations);
      expect(bytesOf(a).equals(bytesOf(b))).toBe(true);
      expect(bytesOf(a).equals(bytesOf(c)) && a.seed === c.seed).toBe(false);
    }
  });
});

describe('the contract checker', () => {
  const ok: RunResult = { command: 'json', format: 'json', args: [], code: 0, signal: null, stdout: '{}', stderr: '' };
  it('accepts a report, and one line on failure', () => {
    expect(checkContract(ok)).toEqual([]);
    expect(checkContract({ ...ok, code: 1, stdout: '', stderr: 'strata: x: truncated archive\n' })).toEqual([]);
    expect(checkContract({ ...ok, command: 'ci', format: 'text', code: 3, stdout: '', stderr: 'strata: x\n' })).toEqual(
      [],
    );
  });
  it('names each broken promise', () => {
    const failed = { ...ok, code: 1, stdout: '' };
    expect(checkContract({ ...failed, stderr: 'strata: internal error: x\n' })).toContain('internal error');
    expect(checkContract({ ...failed, stderr: 'strata: a\n    at f (x.js:1:1)\n' })).toContain('stack trace on stderr');
    expect(checkContract({ ...failed, stderr: 'strata: a\nstrata: b\n' })).toContain('2 lines on stderr on failure');
    expect(checkContract({ ...failed, stderr: `strata: ${'x'.repeat(2000)}\n` })).toContain(
      'stderr line of 2008 bytes',
    );
    expect(checkContract({ ...ok, stdout: '{"a":' })[0]).toMatch(/^invalid JSON on stdout/);
    expect(checkContract({ ...ok, code: 13 })).toEqual(['exit 13 with nothing on stderr']);
    expect(checkContract({ ...ok, code: null, signal: 'SIGKILL', timedOut: true })).toEqual([
      'hang: no exit within 60 s',
    ]);
    expect(checkContract({ ...ok, format: 'text', stdout: 'name \x1b]0;t\x07\n' })[0]).toMatch(/^control character/);
  });
});
