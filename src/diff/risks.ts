import type { RiskFinding } from '../analysis/risks/index.js';
import type { RiskDiff } from './types.js';

/**
 * Findings new in B and gone from B. A finding is the same in both when the same rule fires at the
 * same path: its reason, layer or command may change with the build, the risk does not.
 */
export function riskDiff(a: readonly RiskFinding[], b: readonly RiskFinding[]): RiskDiff {
  const key = (finding: RiskFinding): string => `${finding.rule}\0${finding.path}`;
  const inA = new Set(a.map(key));
  const inB = new Set(b.map(key));
  return { new: b.filter((finding) => !inA.has(key(finding))), gone: a.filter((finding) => !inB.has(key(finding))) };
}
