import type { AuditFinding } from '../analysis/audit/index.js';
import { secretSetting } from '../analysis/audit/secret-settings.js';
import { maskSecret } from '../analysis/risks/secret-values.js';
import type { ImageConfig } from '../image/types.js';
import { runsAsRoot } from '../util/format.js';
import type { AuditDiff, SettingChange } from './types.js';

const DAY = 86_400_000;

/** The check whose findings change with the clock: the diff compares creation dates instead. */
const AGE_CHECK = 'image-age';

/** How the configuration and the audit changed: user, creation date, labels, ENV, and the audit's findings. */
export function auditDiff(
  a: { config: ImageConfig; audit: readonly AuditFinding[] },
  b: { config: ImageConfig; audit: readonly AuditFinding[] },
): AuditDiff {
  const timeA = a.config.created === null ? NaN : Date.parse(a.config.created);
  const timeB = b.config.created === null ? NaN : Date.parse(b.config.created);
  return {
    user: {
      a: a.config.user,
      b: b.config.user,
      rootA: runsAsRoot(a.config.user),
      rootB: runsAsRoot(b.config.user),
    },
    created: { a: a.config.created, b: b.config.created },
    ageDeltaDays: Number.isFinite(timeA) && Number.isFinite(timeB) ? Math.trunc((timeB - timeA) / DAY) : null,
    labels: settingChanges(new Map(Object.entries(a.config.labels)), new Map(Object.entries(b.config.labels))),
    env: settingChanges(envMap(a.config.env), envMap(b.config.env)),
    findings: findingDiff(a.audit, b.audit),
  };
}

/** NAME=value pairs by name (the last one wins, as for a container's environment). */
function envMap(env: readonly string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const pair of env) {
    const eq = pair.indexOf('=');
    map.set(eq < 0 ? pair : pair.slice(0, eq), eq < 0 ? '' : pair.slice(eq + 1));
  }
  return map;
}

/** Settings added, removed or changed, by name; a value that looks like a secret is masked on both sides. */
function settingChanges(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): SettingChange[] {
  const changes: SettingChange[] = [];
  const names = [...new Set([...a.keys(), ...b.keys()])].sort();
  for (const name of names) {
    const valueA = a.get(name);
    const valueB = b.get(name);
    if (valueA === valueB) continue;
    // Both sides are masked when one looks like a secret: the other may be the old (or next) secret.
    const masked =
      (valueA !== undefined && secretSetting(name, valueA) !== null) ||
      (valueB !== undefined && secretSetting(name, valueB) !== null);
    const shown = (value: string | undefined): string | null =>
      value === undefined ? null : masked ? maskSecret(value) : value;
    changes.push({
      name,
      change: valueA === undefined ? 'added' : valueB === undefined ? 'removed' : 'changed',
      a: shown(valueA),
      b: shown(valueB),
      masked,
    });
  }
  return changes;
}

/** Findings one image has and the other has not, by check and message; the image's age left out. */
function findingDiff(
  a: readonly AuditFinding[],
  b: readonly AuditFinding[],
): { new: AuditFinding[]; gone: AuditFinding[] } {
  const key = (finding: AuditFinding): string => `${finding.check}\0${finding.message}`;
  const compared = (findings: readonly AuditFinding[]) => findings.filter((f) => f.check !== AGE_CHECK);
  const inA = new Set(compared(a).map(key));
  const inB = new Set(compared(b).map(key));
  return {
    new: compared(b).filter((finding) => !inA.has(key(finding))),
    gone: compared(a).filter((finding) => !inB.has(key(finding))),
  };
}
