import type { AuditCheck } from '../types.js';

export const PROVENANCE_LABELS = [
  'org.opencontainers.image.source',
  'org.opencontainers.image.revision',
  'org.opencontainers.image.created',
  'org.opencontainers.image.authors',
] as const;

export const provenanceLabelsCheck: AuditCheck = {
  id: 'provenance-labels',
  severity: 'low',
  description: `Missing provenance labels: ${PROVENANCE_LABELS.join(', ')}`,
  run({ image }) {
    const labels = image.config.labels;
    const missing = PROVENANCE_LABELS.filter((label) => (labels[label] ?? '').trim() === '');
    if (missing.length === 0) return [];
    const short = missing.map((label) => label.replace('org.opencontainers.image.', ''));
    return [
      {
        check: 'provenance-labels',
        severity: 'low',
        message:
          `missing provenance label${missing.length === 1 ? '' : 's'} (${short.join(', ')}): nothing tells ` +
          'where and from what the image was built',
        detail: { missing },
      },
    ];
  },
};
