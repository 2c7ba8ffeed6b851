/**
 * The image audit (Dockle-like): how the image is configured and built, as opposed to which files it
 * ships (see `../risks`). One check per file under `checks/`; this registry lists them in order.
 */
import type { ImageIndex } from '../../image/types.js';
import type { Stack } from '../../tree/types.js';
import { addRemoteUrlCheck } from './checks/add-remote-url.js';
import { encodedLabelsCheck } from './checks/encoded-labels.js';
import { envSecretsCheck } from './checks/env-secrets.js';
import { healthcheckCheck } from './checks/healthcheck.js';
import { imageAgeCheck } from './checks/image-age.js';
import { labelSecretsCheck } from './checks/label-secrets.js';
import { osReleaseCheck } from './checks/os-release.js';
import { packageCachesCheck } from './checks/package-caches.js';
import { provenanceLabelsCheck } from './checks/provenance-labels.js';
import { rootUserCheck } from './checks/root-user.js';
import { updateAloneCheck } from './checks/update-alone.js';
import type { AuditCheck, AuditFinding, AuditOptions, AuditSeverity } from './types.js';

export const AUDIT_CHECKS: readonly AuditCheck[] = [
  envSecretsCheck,
  labelSecretsCheck,
  rootUserCheck,
  addRemoteUrlCheck,
  encodedLabelsCheck,
  updateAloneCheck,
  packageCachesCheck,
  healthcheckCheck,
  provenanceLabelsCheck,
  imageAgeCheck,
  osReleaseCheck,
];

const SEVERITY_RANK: Record<AuditSeverity, number> = { high: 0, medium: 1, low: 2, info: 3 };

/** Runs every check; findings come by severity, then in check order. */
export function auditImage(image: ImageIndex, stack: Stack, options: AuditOptions = {}): AuditFinding[] {
  const context = { image, stack, now: options.now ?? new Date() };
  const findings = AUDIT_CHECKS.flatMap((check) => check.run(context));
  // Array.prototype.sort is stable: check order is kept within a severity.
  return findings.sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity]);
}

export type { AuditCheck, AuditContext, AuditFinding, AuditOptions, AuditSeverity } from './types.js';
