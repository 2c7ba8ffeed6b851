import type { AuditCheck, AuditFinding } from '../types.js';

const MANAGER = String.raw`\b(?:apt-get|apt|yum|dnf|microdnf|apk|zypper)\s+(?:-{1,2}\S+\s+)*`;
const UPDATE = new RegExp(`${MANAGER}(?:update|makecache|refresh)\\b`);
const INSTALL = new RegExp(`${MANAGER}(?:install|add|upgrade|dist-upgrade|full-upgrade|reinstall|in)\\b`);

/** An index refresh (apt-get update, apk update…) with no install in the same command. */
export function isUpdateAlone(command: string): boolean {
  return UPDATE.test(command) && !INSTALL.test(command);
}

export const updateAloneCheck: AuditCheck = {
  id: 'update-alone',
  severity: 'low',
  description:
    'A layer that refreshes package indexes (apt-get update, yum update, apk update) without installing ' +
    'in the same command',
  run({ image }) {
    const findings: AuditFinding[] = [];
    for (const layer of image.layers) {
      if (!isUpdateAlone(layer.command)) continue;
      const step = UPDATE.exec(layer.command)![0].trim();
      findings.push({
        check: 'update-alone',
        severity: 'low',
        message:
          `layer ${layer.index} runs "${step}" without installing anything: its cached index goes stale ` +
          'for later installs and its files ship as waste; update and install in one RUN',
        detail: { layer: layer.index, command: layer.command },
      });
    }
    return findings;
  },
};
