import type { RiskSeverity } from '../analysis/risks/index.js';
import { ByteSizeError, parseBytes } from '../ci/parse-bytes.js';
import { StrataError } from '../util/errors.js';
import { formatBytes } from '../util/format.js';
import type { ImageDiff } from './types.js';

/**
 * The diff's CI gate: B fails when it grew by more than `maxGrowth` bytes (`sizeDelta`: every byte
 * its layers ship, hidden ones included), or when it has a risk A has not of at least
 * `failOnNewRisk` severity.
 */
export interface DiffGate {
  maxGrowth: number | null;
  failOnNewRisk: RiskSeverity | null;
}

export interface DiffGateCheck {
  rule: 'maxGrowth' | 'failOnNewRisk';
  passed: boolean;
  /** The limit as given, parsed: bytes, or a severity. */
  limit: number | RiskSeverity;
  /** What B measured: bytes of growth, or how many new risks reach the severity. */
  value: number;
  message: string;
}

export interface DiffGateResult {
  passed: boolean;
  checks: DiffGateCheck[];
}

const SEVERITY_RANK: Record<RiskSeverity, number> = { low: 1, medium: 2, high: 3 };
export const GATE_SEVERITIES = Object.keys(SEVERITY_RANK) as RiskSeverity[];

/** The gate from the flags' text; a bad value is a usage error (exit 2). */
export function parseGate(flags: { maxGrowth?: string; failOnNewRisk?: string }): DiffGate {
  let maxGrowth: number | null = null;
  if (flags.maxGrowth !== undefined) {
    try {
      maxGrowth = parseBytes(flags.maxGrowth.trim());
    } catch (err) {
      if (!(err instanceof ByteSizeError)) throw err;
      throw new StrataError(
        `invalid --max-growth "${flags.maxGrowth}": ${err.message} (expected a size such as 20MB, 512KiB or 0)`,
      );
    }
  }
  let failOnNewRisk: RiskSeverity | null = null;
  if (flags.failOnNewRisk !== undefined) {
    const level = flags.failOnNewRisk.trim().toLowerCase();
    if (!(level in SEVERITY_RANK))
      throw new StrataError(`invalid --fail-on-new-risk "${flags.failOnNewRisk}": expected low, medium or high`);
    failOnNewRisk = level as RiskSeverity;
  }
  return { maxGrowth, failOnNewRisk };
}

export function hasGate(gate: DiffGate): boolean {
  return gate.maxGrowth !== null || gate.failOnNewRisk !== null;
}

export function evaluateGate(gate: DiffGate, diff: ImageDiff): DiffGateResult {
  const checks: DiffGateCheck[] = [];
  if (gate.maxGrowth !== null) {
    const growth = diff.summary.sizeDelta;
    const passed = growth <= gate.maxGrowth;
    checks.push({
      rule: 'maxGrowth',
      passed,
      limit: gate.maxGrowth,
      value: growth,
      message:
        `${growth < 0 ? 'shrank by' : 'grew by'} ${formatBytes(Math.abs(growth))} (${growth} bytes), ` +
        `${passed ? 'at most' : 'more than'} ${formatBytes(gate.maxGrowth)}`,
    });
  }
  if (gate.failOnNewRisk !== null) {
    const limit = gate.failOnNewRisk;
    const breaking = diff.risks.new.filter((risk) => SEVERITY_RANK[risk.severity] >= SEVERITY_RANK[limit]);
    const first = breaking[0];
    checks.push({
      rule: 'failOnNewRisk',
      passed: breaking.length === 0,
      limit,
      value: breaking.length,
      message:
        first === undefined
          ? `no new risk of ${limit} severity or above`
          : `${breaking.length} new risk${breaking.length === 1 ? '' : 's'} of ${limit} severity or above, ` +
            `first ${first.severity} ${first.rule} at ${first.path}`,
    });
  }
  return { passed: checks.every((check) => check.passed), checks };
}
