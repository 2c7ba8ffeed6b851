import type { AuditCheck } from '../types.js';

const DAY = 86_400_000;
export const MAX_AGE_DAYS = 30;
/** Dates before this are placeholders (reproducible builds set the Unix epoch), not build times. */
const PLACEHOLDER_BEFORE = Date.UTC(1990, 0, 1);

export const imageAgeCheck: AuditCheck = {
  id: 'image-age',
  severity: 'low',
  description:
    `The image's age from its \`created\` date: a warning past ${MAX_AGE_DAYS} days ` + '(security updates it lacks)',
  run({ image, now }) {
    const created = image.config.created;
    const time = created === null ? NaN : Date.parse(created);
    if (created === null || !Number.isFinite(time)) {
      return [
        {
          check: 'image-age',
          severity: 'info',
          message: "no creation date in the config: the image's age is unknown",
          detail: { created },
        },
      ];
    }
    if (time < PLACEHOLDER_BEFORE) {
      return [
        {
          check: 'image-age',
          severity: 'info',
          message: `creation date ${created} is a placeholder (a reproducible build?): the image's age is unknown`,
          detail: { created },
        },
      ];
    }
    const days = Math.floor((now.getTime() - time) / DAY);
    if (days <= MAX_AGE_DAYS) return [];
    return [
      {
        check: 'image-age',
        severity: 'low',
        message: `built ${days} days ago (${created.slice(0, 10)}): it lacks every security update since; rebuild it`,
        detail: { created, days },
      },
    ];
  },
};
