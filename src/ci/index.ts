/**
 * `strata ci`: judges an analysed image against the configured rules. Exit codes tell a failed rule
 * from a broken run: 0 every rule passed (or was skipped), 1 a rule failed, 2 a configuration or usage
 * error, 3 the image could not be read.
 */
import { sourceLabel, type CiConfig } from './config.js';
import {
  bytesText,
  decimal,
  ruleDefinition,
  type CiInput,
  type JsonValue,
  type RuleKey,
  type RuleStatus,
} from './rules.js';

export const CI_EXIT = { pass: 0, fail: 1, config: 2, unreadable: 3 } as const;

export interface CiRuleResult {
  rule: RuleKey;
  status: RuleStatus;
  /** The measured figure (null when it does not exist). */
  value: JsonValue;
  /** The parsed threshold; null when the rule is disabled. */
  threshold: JsonValue;
  /** Where the threshold came from: "default", a flag, or a file. */
  source: string;
  /** One line: the value, how it compares with the threshold, and why a rule failed or was skipped. */
  message: string;
}

export interface CiResult {
  pass: boolean;
  exitCode: number;
  counts: { total: number; passed: number; failed: number; skipped: number };
  rules: CiRuleResult[];
}

export function evaluateCi(config: CiConfig, input: CiInput): CiResult {
  const rules: CiRuleResult[] = config.rules.map((rule) => {
    const source = sourceLabel(rule.source);
    if (rule.threshold === null) {
      const figure = measureAnyway(rule.key, input);
      return {
        rule: rule.key,
        status: 'skip',
        value: figure?.value ?? null,
        threshold: null,
        source,
        message: figure ? `${figure.text}, rule disabled` : 'rule disabled',
      };
    }
    const { threshold } = rule;
    const evaluation = threshold.evaluate(input);
    const comparison =
      evaluation.status === 'skip'
        ? `${evaluation.valueText}, threshold ${threshold.text}`
        : `${evaluation.valueText} ${evaluation.status === 'pass' ? threshold.passes : threshold.fails} ` +
          `${threshold.text}`;
    return {
      rule: rule.key,
      status: evaluation.status,
      value: evaluation.value,
      threshold: threshold.json,
      source,
      message: evaluation.note ? `${comparison}: ${evaluation.note}` : comparison,
    };
  });
  const counts = {
    total: rules.length,
    passed: rules.filter((r) => r.status === 'pass').length,
    failed: rules.filter((r) => r.status === 'fail').length,
    skipped: rules.filter((r) => r.status === 'skip').length,
  };
  const pass = counts.failed === 0;
  return { pass, exitCode: pass ? CI_EXIT.pass : CI_EXIT.fail, counts, rules };
}

/** A disabled rule still reports its figure, so a log shows how close the image is. */
function measureAnyway(key: RuleKey, input: CiInput): { value: number; text: string } | null {
  const { dive, exact } = input.analysis;
  switch (key) {
    case 'lowestEfficiency':
      return { value: dive.efficiency, text: decimal(dive.efficiency) };
    case 'highestWastedBytes':
      return { value: dive.wastedBytes, text: bytesText(dive.wastedBytes) };
    case 'highestUserWastedPercent':
      return dive.userWastedPercent === null
        ? null
        : { value: dive.userWastedPercent, text: decimal(dive.userWastedPercent) };
    case 'highestHiddenBytes':
      return { value: exact.hiddenBytes, text: bytesText(exact.hiddenBytes) };
    case 'lowestExactEfficiency':
      return { value: exact.efficiency, text: decimal(exact.efficiency) };
    default:
      return null;
  }
}

export { ruleDefinition };
export { loadCiConfig, DIVE_DEFAULTS, type CiConfig, type CiConfigOptions } from './config.js';
export { RULES, type RuleKey, type RuleStatus, type CiInput } from './rules.js';
export { parseBytes } from './parse-bytes.js';
