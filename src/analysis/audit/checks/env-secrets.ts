import type { AuditCheck, AuditFinding } from '../types.js';
import { secretSetting } from '../secret-settings.js';

export const envSecretsCheck: AuditCheck = {
  id: 'env-secret',
  severity: 'high',
  description: 'ENV variables whose name or value looks like a key, token or password (the value is masked)',
  run({ image }) {
    const findings: AuditFinding[] = [];
    for (const pair of image.config.env) {
      const eq = pair.indexOf('=');
      const name = eq < 0 ? pair : pair.slice(0, eq);
      const value = eq < 0 ? '' : pair.slice(eq + 1);
      const secret = secretSetting(name, value);
      if (secret === null) continue;
      findings.push({
        check: 'env-secret',
        severity: 'high',
        message:
          `ENV ${name} looks like a secret (by ` +
          `${secret.why === 'its name' ? 'its name' : `its value: ${secret.why}`}; ${secret.masked}): ` +
          'anyone who pulls the image can read it; pass it at run time',
        detail: { name, why: secret.why, masked: secret.masked },
      });
    }
    return findings;
  },
};
