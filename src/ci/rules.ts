/**
 * The rules of `strata ci`: dive's three (with dive's semantics, on the dive-compatible figures) and
 * strata's own. A rule parses its threshold once (a bad one is a configuration error, exit 2) and then
 * judges an analysed image: PASS, FAIL, or SKIP when the figure it needs does not exist.
 */
import type { ImageAnalysis } from '../analysis/analyze.js';
import { AUDIT_CHECKS } from '../analysis/audit/index.js';
import { RISK_CATEGORIES, RISK_RULES } from '../analysis/risks/index.js';
import type { RiskSeverity } from '../analysis/risks/types.js';
import type { ImageIndex } from '../image/types.js';
import { formatBytes } from '../util/format.js';
import { ByteSizeError, parseBytes } from './parse-bytes.js';
import { RULE_FLAGS, type RuleFlag, type RuleKey } from './rule-flags.js';

export type { RuleKey } from './rule-flags.js';

export type RuleStatus = 'pass' | 'fail' | 'skip';

/** A threshold as written: a flag's text, or a YAML scalar or list. */
export type RawValue = string | number | boolean | null | undefined | readonly unknown[];

export type JsonValue = number | string | string[] | null;

export interface CiInput {
  image: ImageIndex;
  analysis: ImageAnalysis;
  now: Date;
}

/** What a rule measured and how it compares. */
export interface Evaluation {
  status: RuleStatus;
  /** The measured figure, machine-readable (null when it does not exist). */
  value: JsonValue;
  /** The figure for people. */
  valueText: string;
  /** Why a rule is skipped, or what failed, when more than the comparison is worth saying. */
  note?: string;
}

/** A parsed threshold, ready to judge an image. */
export interface Threshold {
  json: JsonValue;
  text: string;
  /** "≥" for a lowest, "≤" for a highest: how a passing value relates to the threshold. */
  passes: string;
  fails: string;
  evaluate(input: CiInput): Evaluation;
}

/** A rule: its flag (src/ci/rule-flags.ts) and what it does. */
export interface RuleDefinition extends RuleFlag, RuleBehaviour {
  key: RuleKey;
}

interface RuleBehaviour {
  /** One of dive's rules (evaluated on the dive-compatible figures). */
  dive: boolean;
  description: string;
  /** For error messages: what a valid value looks like. */
  expects: string;
  /** Throws RuleValueError when the value is not valid. */
  parse(raw: RawValue): Threshold;
}

export class RuleValueError extends Error {}

const SEVERITIES = ['none', 'low', 'medium', 'high'] as const;
type SeverityLimit = (typeof SEVERITIES)[number];
const SEVERITY_RANK: Record<SeverityLimit, number> = { none: 0, low: 1, medium: 2, high: 3 };

/** Dates before this are placeholders (reproducible builds write the Unix epoch), as the audit reads them. */
const PLACEHOLDER_BEFORE = Date.UTC(1990, 0, 1);
const DAY = 86_400_000;

const BEHAVIOUR: Record<RuleKey, RuleBehaviour> = {
  lowestEfficiency: {
    dive: true,
    description: "fails when dive's efficiency score is below the threshold",
    expects: 'a fraction between 0 and 1, such as 0.9',
    parse: (raw) => lowest(fraction(raw), (input) => input.analysis.dive.efficiency),
  },
  highestWastedBytes: {
    dive: true,
    description: "fails when dive's wasted bytes are above the threshold",
    expects: 'a size such as 20MB, 20Mb, 512KiB or 1B',
    parse: (raw) => highestBytes(raw, (input) => input.analysis.dive.wastedBytes),
  },
  highestUserWastedPercent: {
    dive: true,
    description:
      "fails when dive's wasted bytes, as a fraction of the bytes added above the base layer, are above the threshold",
    expects: 'a fraction between 0 and 1, such as 0.1',
    parse: (raw) => {
      const limit = fraction(raw);
      return {
        json: limit,
        text: decimal(limit),
        passes: '≤',
        fails: '>',
        evaluate(input) {
          const value = input.analysis.dive.userWastedPercent;
          if (value === null)
            return {
              status: 'skip',
              value: null,
              valueText: 'none',
              note: 'no bytes above the base layer: the figure does not exist',
            };
          // dive: fails when threshold < value.
          return { status: limit < value ? 'fail' : 'pass', value, valueText: decimalAgainst(value, limit) };
        },
      };
    },
  },
  highestHiddenBytes: {
    dive: false,
    description:
      'fails when the exact hidden bytes (shipped by a layer, reachable from no final path) are above the threshold',
    expects: 'a size such as 50MB or 1GiB',
    parse: (raw) => highestBytes(raw, (input) => input.analysis.exact.hiddenBytes),
  },
  lowestExactEfficiency: {
    dive: false,
    description: 'fails when the exact efficiency (visible bytes / shipped bytes) is below the threshold',
    expects: 'a fraction between 0 and 1, such as 0.8',
    parse: (raw) => lowest(fraction(raw), (input) => input.analysis.exact.efficiency),
  },
  maxRiskSeverity: {
    dive: false,
    description: 'fails when a risk finding is more severe than the threshold',
    expects: 'one of none, low, medium, high',
    parse: (raw) => {
      const text = scalar(raw).toLowerCase();
      if (!(SEVERITIES as readonly string[]).includes(text)) throw new RuleValueError('not a severity');
      const limit = text as SeverityLimit;
      return {
        json: limit,
        text: limit,
        passes: '≤',
        fails: '>',
        evaluate({ analysis }) {
          const above = analysis.risks.filter((r) => SEVERITY_RANK[r.severity] > SEVERITY_RANK[limit]);
          const highest = highestSeverity(analysis.risks.map((r) => r.severity));
          if (above.length === 0) return { status: 'pass', value: highest, valueText: highest };
          return {
            status: 'fail',
            value: highest,
            valueText: highest,
            note:
              `${above.length} finding${above.length === 1 ? '' : 's'} above ${limit}: ` +
              `${sample(above.map((r) => `${r.rule} ${r.path}`))}`,
          };
        },
      };
    },
  },
  forbid: {
    dive: false,
    description:
      'fails when a risk finding has one of the listed categories or rule ids (or an audit finding one ' +
      'of the listed check ids)',
    expects:
      'risk categories (secret), risk rule ids (secret.private-key, shell.bash) or audit check ids ' +
      '(root-user), as a list or comma-separated',
    parse: (raw) => {
      const entries = list(raw);
      const unknown = entries.filter((entry) => !knownForbidEntry(entry));
      if (unknown.length > 0)
        throw new RuleValueError(
          `unknown ${unknown.length === 1 ? 'entry' : 'entries'} ${unknown.map((u) => `"${u}"`).join(', ')}`,
        );
      return {
        json: entries,
        text: entries.join(','),
        passes: 'none of',
        fails: 'in',
        evaluate({ analysis }) {
          const hits = [
            ...analysis.risks
              .filter((r) => entries.some((e) => r.category === e || r.rule === e || r.rule.startsWith(`${e}.`)))
              .map((r) => `${r.rule} ${r.path}`),
            ...analysis.audit.filter((a) => entries.includes(a.check)).map((a) => a.check),
          ];
          const valueText = hits.length === 0 ? 'no findings' : `${hits.length} finding${hits.length === 1 ? '' : 's'}`;
          return hits.length === 0
            ? { status: 'pass', value: [], valueText }
            : { status: 'fail', value: hits, valueText, note: sample(hits) };
        },
      };
    },
  },
  maxAgeDays: {
    dive: false,
    description: "fails when the image is older (by its config's created date) than the threshold, in days",
    expects: 'a number of days, such as 90',
    parse: (raw) => {
      const text = scalar(raw);
      if (!/^\d+(?:\.\d+)?$/.test(text)) throw new RuleValueError('not a number of days');
      const limit = Number(text);
      return {
        json: limit,
        text: `${text} days`,
        passes: '≤',
        fails: '>',
        evaluate({ image, now }) {
          const created = image.config.created;
          const time = created === null ? NaN : Date.parse(created);
          if (!Number.isFinite(time) || time < PLACEHOLDER_BEFORE) {
            return {
              status: 'skip',
              value: null,
              valueText: 'unknown',
              note:
                created === null ? 'no creation date in the config' : `creation date ${created} is not a build time`,
            };
          }
          const days = Math.floor((now.getTime() - time) / DAY);
          return { status: days > limit ? 'fail' : 'pass', value: days, valueText: `${days} days` };
        },
      };
    },
  },
};

/** The rule table: each rule's flag and what it does, in the order of the flags. */
export const RULES: readonly RuleDefinition[] = RULE_FLAGS.map((flag) => ({ ...flag, ...BEHAVIOUR[flag.key] }));

export function ruleDefinition(key: RuleKey): RuleDefinition {
  return RULES.find((rule) => rule.key === key)!;
}

/** dive's lowest-* rule: fails when threshold > value. */
function lowest(limit: number, measure: (input: CiInput) => number): Threshold {
  return {
    json: limit,
    text: decimal(limit),
    passes: '≥',
    fails: '<',
    evaluate(input) {
      const value = measure(input);
      return { status: limit > value ? 'fail' : 'pass', value, valueText: decimalAgainst(value, limit) };
    },
  };
}

/** dive's highestWastedBytes: fails when value > threshold, the threshold parsed as go-humanize does. */
function highestBytes(raw: RawValue, measure: (input: CiInput) => number): Threshold {
  let limit: number;
  try {
    limit = parseBytes(scalar(raw));
  } catch (err) {
    if (err instanceof ByteSizeError) throw new RuleValueError(err.message);
    throw err;
  }
  return {
    json: limit,
    text: bytesText(limit),
    passes: '≤',
    fails: '>',
    evaluate(input) {
      const value = measure(input);
      return { status: value > limit ? 'fail' : 'pass', value, valueText: bytesText(value) };
    },
  };
}

/** A fraction in [0, 1], written as a decimal number (Go's ParseFloat, minus NaN and Inf, then dive's range check). */
function fraction(raw: RawValue): number {
  const text = scalar(raw);
  if (!/^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(text)) throw new RuleValueError('not a number');
  const value = Number(text);
  if (value < 0 || value > 1) throw new RuleValueError('outside the allowed range 0-1');
  return value;
}

function scalar(raw: RawValue): string {
  if (typeof raw === 'number') return String(raw);
  if (typeof raw === 'string') return raw.trim();
  throw new RuleValueError(Array.isArray(raw) ? 'a list where one value is expected' : 'not a value');
}

function list(raw: RawValue): string[] {
  const items: unknown[] = Array.isArray(raw) ? [...(raw as readonly unknown[])] : [scalar(raw)];
  const entries: string[] = [];
  for (const item of items) {
    if (typeof item !== 'string') throw new RuleValueError('list entries must be strings');
    for (const part of item.split(',')) if (part.trim() !== '') entries.push(part.trim());
  }
  return [...new Set(entries)];
}

/** A category, a rule id (or a finding id under a rule's id, such as shell.bash), or an audit check id. */
function knownForbidEntry(entry: string): boolean {
  return (
    (RISK_CATEGORIES as readonly string[]).includes(entry) ||
    RISK_RULES.some((rule) => entry === rule.id || entry.startsWith(`${rule.id}.`)) ||
    AUDIT_CHECKS.some((check) => check.id === entry)
  );
}

function highestSeverity(severities: RiskSeverity[]): SeverityLimit {
  let highest: SeverityLimit = 'none';
  for (const s of severities) if (SEVERITY_RANK[s] > SEVERITY_RANK[highest]) highest = s;
  return highest;
}

function sample(items: string[], max = 3): string {
  return items.length <= max ? items.join(', ') : `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

/** Up to six significant digits: enough to see why 0.98442 passes 0.98. */
export function decimal(value: number): string {
  return String(Number(value.toPrecision(6)));
}

/** All the digits when the short form would look equal to the threshold it differs from. */
function decimalAgainst(value: number, limit: number): string {
  const short = decimal(value);
  return short === decimal(limit) && value !== limit ? String(value) : short;
}

export function bytesText(bytes: number): string {
  return bytes < 1000 ? `${bytes} B` : `${formatBytes(bytes)} (${bytes} B)`;
}
