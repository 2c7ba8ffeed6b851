import type { AuditCheck } from '../types.js';

export const healthcheckCheck: AuditCheck = {
  id: 'no-healthcheck',
  severity: 'low',
  description: 'No HEALTHCHECK in the config (or HEALTHCHECK NONE)',
  run({ image }) {
    if (image.config.healthcheck !== null) return [];
    return [
      {
        check: 'no-healthcheck',
        severity: 'low',
        message: 'no HEALTHCHECK: Docker and Compose cannot tell a hung container from a healthy one',
      },
    ];
  },
};
