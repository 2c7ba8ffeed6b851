import type { AuditCheck, AuditFinding } from '../types.js';
import { secretSetting } from '../secret-settings.js';

export const labelSecretsCheck: AuditCheck = {
  id: 'label-secret',
  severity: 'high',
  description: 'Labels whose name or value looks like a key, token or password (the value is masked)',
  run({ image }) {
    const findings: AuditFinding[] = [];
    for (const [name, value] of Object.entries(image.config.labels)) {
      const secret = secretSetting(name, value);
      if (secret === null) continue;
      findings.push({
        check: 'label-secret',
        severity: 'high',
        message:
          `label ${name} looks like a secret (by ` +
          `${secret.why === 'its name' ? 'its name' : `its value: ${secret.why}`}; ${secret.masked}): ` +
          'labels are public to anyone who can pull the image',
        detail: { label: name, why: secret.why, masked: secret.masked },
      });
    }
    return findings;
  },
};
