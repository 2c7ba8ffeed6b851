/** The output of `strata ci`: one line per rule, then dive's result line; or the same as JSON. */
import type { CiResult } from '../ci/index.js';
import type { ImageIndex } from '../image/types.js';
import { makeStyle, reportText } from './style.js';

export interface CiTextOptions {
  color: boolean;
  /** The configuration files that were read, shown so a log says where thresholds came from. */
  files?: string[];
}

export function renderCiText(image: ImageIndex, result: CiResult, options: CiTextOptions): string {
  const style = makeStyle(options.color);
  const lines: string[] = [];
  lines.push(style.bold(`strata ci: ${image.reference ?? '(unnamed)'}`));
  if (options.files?.length) lines.push(style.dim(`config: ${options.files.join(', ')}`));
  const keyWidth = Math.max(...result.rules.map((r) => r.rule.length), 4);
  for (const r of result.rules) {
    const status =
      r.status === 'pass'
        ? style.green('PASS')
        : r.status === 'fail'
          ? style.red(style.bold('FAIL'))
          : style.yellow('SKIP');
    lines.push(`  ${status}  ${r.rule.padEnd(keyWidth)}  ${r.message}  ${style.dim(`[${r.source}]`)}`);
  }
  const { counts } = result;
  // dive's own result line, so scripts that read dive's output read this one.
  const summary =
    `Result:${result.pass ? 'PASS' : 'FAIL'} [Total:${counts.total}] [Passed:${counts.passed}] ` +
    `[Failed:${counts.failed}] [Warn:0] [Skipped:${counts.skipped}]`;
  lines.push(result.pass ? style.green(summary) : style.red(summary));
  return reportText(lines);
}

/** `strata ci --format json`: machine-readable, with the exit code the run ends with. */
export interface CiJsonV1 {
  schemaVersion: 1;
  image: { reference: string | null; configDigest: string };
  result: 'pass' | 'fail';
  exitCode: number;
  counts: CiResult['counts'];
  rules: CiResult['rules'];
  /** The configuration files that were read, highest precedence first. */
  configFiles: string[];
}

export function buildCiJson(image: ImageIndex, result: CiResult, files: string[] = []): CiJsonV1 {
  return {
    schemaVersion: 1,
    image: { reference: image.reference, configDigest: image.configDigest },
    result: result.pass ? 'pass' : 'fail',
    exitCode: result.exitCode,
    counts: result.counts,
    rules: result.rules,
    configFiles: files,
  };
}
