/** Which commands run on an input, and with which flags: drawn from the seed too, so a rerun is the same. */
import type { Command, RunResult } from './contract.js';
import { Rng } from './prng.js';

export interface PlannedRun {
  command: Command;
  format: RunResult['format'];
  /** Flags before the image argument. */
  flags: string[];
  /** Read the image from stdin (`-`): the streamed path, as `docker save | strata -`. */
  stdin: boolean;
}

/** `--json` on every input; `report` and `ci` on about one in five. */
export function planRuns(runSeed: number, index: number, isDirectory: boolean): PlannedRun[] {
  // A stream of its own (negative index), so adding a mutation never changes which commands run.
  const rng = new Rng(runSeed, -1 - index);
  const common = (): string[] => [
    ...(rng.chance(0.1) ? ['--no-verify'] : []),
    ...(rng.chance(0.05) ? ['--all-layers'] : []),
    ...(rng.chance(0.05) ? ['--no-cache'] : []),
  ];
  const stdin = (): boolean => !isDirectory && rng.chance(0.1);
  const runs: PlannedRun[] = [{ command: 'json', format: 'json', flags: ['--json', ...common()], stdin: stdin() }];
  if (rng.chance(0.2)) {
    const format = rng.pick(['text', 'markdown', 'json'] as const);
    runs.push({ command: 'report', format, flags: ['report', '--format', format, ...common()], stdin: stdin() });
    const ciFormat = rng.pick(['text', 'json'] as const);
    runs.push({ command: 'ci', format: ciFormat, flags: ['ci', '--format', ciFormat, ...common()], stdin: stdin() });
  }
  return runs;
}
