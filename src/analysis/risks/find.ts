import type { ImageIndex } from '../../image/types.js';
import { baseName } from '../../layers/path.js';
import { compareBytewise } from '../../tree/path-order.js';
import type { Stack } from '../../tree/types.js';
import { visitFinalSubjects, visitHiddenSubjects } from './subjects.js';
import { ToolIndex } from './tools.js';
import {
  RISK_CATEGORIES,
  type FindRisksOptions,
  type Hit,
  type RiskFinding,
  type RiskRule,
  type RiskSeverity,
  type RuleContext,
  type Subject,
  type SubjectRule,
  type ToolRule,
} from './types.js';

const SEVERITY_RANK: Record<RiskSeverity, number> = { high: 0, medium: 1, low: 2 };

/**
 * Runs rules over an image's final filesystem (and, with `allLayers`, over what layers shipped and later
 * layers hid). Each subject meets every subject rule, then at most one tool rule, chosen by its names:
 * its own basename first, then those of its hardlinks and of the symlinks leading to it.
 */
export function runRules(
  rules: readonly RiskRule[],
  image: ImageIndex,
  stack: Stack,
  options: FindRisksOptions = {},
): RiskFinding[] {
  const subjectRules = rules.filter((rule): rule is SubjectRule => rule.kind === 'subject');
  const tools = new ToolIndex(rules.filter((rule): rule is ToolRule => rule.kind === 'tool'));
  const context = contextOf(stack);
  const findings = new FindingSet(image);

  // Subjects are made one at a time and judged at once: an image may hold hundreds of thousands.
  const judge = (subject: Subject): void => {
    let claimed = false;
    for (const rule of subjectRules) {
      const hit = rule.check(subject, context);
      if (hit === null) continue;
      findings.add(rule, subject, hit);
      if (hit.claimsNames) claimed = true;
    }
    if (claimed || !subject.executable) return;
    for (const name of toolNames(subject)) {
      const match = tools.match(name);
      if (match === undefined) continue;
      const { rule, spec } = match;
      if (rule.accepts === undefined || rule.accepts(subject)) {
        const related = spec.evidence?.filter((path) => stack.final.has(path));
        findings.add(rule, subject, { rule: `${rule.id}.${spec.tool ?? spec.name}`, reason: spec.reason, related });
      }
      break; // One tool finding per file, named after its first name that is a tool.
    }
  };
  visitFinalSubjects(image, stack, judge);
  if (options.allLayers) visitHiddenSubjects(image, stack, judge);
  return findings.list();
}

/** A directory of programs: some component of the path is `bin`, `sbin` or `libexec`. */
export function inProgramDirectory(path: string): boolean {
  return /\/(?:s?bin|libexec)\//.test(path);
}

/**
 * The names under which a subject can be run as a tool, in order: its own, its hardlinks', then those of
 * the symlinks leading to it. Only a compiled program is a tool wherever it sits; a script, or a
 * symlink, must sit in a directory of programs.
 */
function toolNames(subject: Subject): string[] {
  const names: string[] = [];
  const add = (path: string, anywhere: boolean): void => {
    if (!anywhere && !inProgramDirectory(path)) return;
    const name = baseName(path);
    if (!names.includes(name)) names.push(name);
  };
  add(subject.path, subject.elf);
  for (const path of subject.hardlinks) add(path, subject.elf);
  const hardlinks = new Set(subject.hardlinks);
  for (const path of subject.aliases) if (!hardlinks.has(path)) add(path, false);
  return names;
}

function contextOf(stack: Stack): RuleContext {
  const none: readonly string[] = [];
  return {
    state: (path) => stack.final.get(path),
    children: (dir) => {
      const children = stack.children.get(dir);
      return children === undefined ? none : [...children];
    },
  };
}

/** Findings by (rule, path, hidden): hits of a rule at one path merge into one finding. */
class FindingSet {
  private readonly findings = new Map<string, { finding: RiskFinding; related: Set<string>; evidence: Set<string> }>();

  constructor(private readonly image: ImageIndex) {}

  add(rule: RiskRule, subject: Subject, hit: Hit): void {
    const id = hit.rule ?? rule.id;
    const path = hit.group ?? subject.path;
    const key = `${id}\0${path}\0${subject.hidden ? 1 : 0}`;
    let slot = this.findings.get(key);
    if (slot === undefined) {
      const finding: RiskFinding = {
        rule: id,
        category: rule.category,
        severity: hit.severity ?? rule.severity,
        path,
        layer: subject.layer,
        command: this.image.layers[subject.layer]?.command ?? '',
        reason: hit.reason,
        hidden: subject.hidden,
      };
      slot = { finding, related: new Set(), evidence: new Set() };
      this.findings.set(key, slot);
    } else if (subject.layer < slot.finding.layer) {
      // A merged finding dates from the first layer that put one of its files there.
      slot.finding.layer = subject.layer;
      slot.finding.command = this.image.layers[subject.layer]?.command ?? '';
    }
    if (subject.path !== path) slot.related.add(subject.path);
    for (const alias of subject.aliases) if (alias !== path) slot.related.add(alias);
    for (const evidence of hit.related ?? []) if (evidence !== path) slot.evidence.add(evidence);
  }

  list(): RiskFinding[] {
    const out: RiskFinding[] = [];
    for (const { finding, related, evidence } of this.findings.values()) {
      const paths = [...related].sort(compareBytewise);
      for (const extra of evidence) if (!related.has(extra)) paths.push(extra);
      if (paths.length > 0) finding.related = paths;
      out.push(finding);
    }
    return out.sort(compareFindings);
  }
}

function compareFindings(a: RiskFinding, b: RiskFinding): number {
  return (
    SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
    RISK_CATEGORIES.indexOf(a.category) - RISK_CATEGORIES.indexOf(b.category) ||
    compareBytewise(a.path, b.path) ||
    compareBytewise(a.rule, b.rule) ||
    Number(a.hidden) - Number(b.hidden) ||
    a.layer - b.layer
  );
}
