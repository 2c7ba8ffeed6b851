import { decodeLabel } from '../decode.js';
import type { AuditCheck, AuditFinding } from '../types.js';

export const encodedLabelsCheck: AuditCheck = {
  id: 'encoded-label',
  severity: 'medium',
  description: 'Labels holding base64-encoded JSON or YAML: decoded (secrets masked) and shown in `detail`',
  run({ image }) {
    const findings: AuditFinding[] = [];
    for (const [label, value] of Object.entries(image.config.labels)) {
      const decoded = decodeLabel(value);
      if (decoded === null) continue;
      const detail: Record<string, unknown> = { label, format: decoded.format, decoded: decoded.text };
      if (decoded.value !== undefined) detail.value = decoded.value;
      findings.push({
        check: 'encoded-label',
        severity: 'medium',
        message:
          `label ${label} holds base64-encoded ${decoded.format.toUpperCase()} (${decoded.text.length} ` +
          'characters decoded): configuration nobody reviews, shown decoded in detail',
        detail,
      });
    }
    return findings;
  },
};
