import type { AuditCheck, AuditFinding } from '../types.js';

/** `ADD [--flags] https://…` as docker, BuildKit and buildah write it in the history. */
const ADD_URL = /\bADD\s+((?:--\S+\s+)*)((?:https?|ftp):\/\/\S+)/i;

/** A URL without any password it carries. */
function withoutCredentials(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@\s]+@/i, '$1****@');
}

export const addRemoteUrlCheck: AuditCheck = {
  id: 'add-remote-url',
  severity: 'medium',
  description: 'ADD from a remote URL in the history: an unpinned download (lower severity with --checksum)',
  run({ image }) {
    const findings: AuditFinding[] = [];
    image.config.history.forEach((entry, index) => {
      const match = ADD_URL.exec(entry.createdBy);
      if (match === null) return;
      const url = withoutCredentials(match[2]!);
      const pinned = /--checksum=/.test(match[1]!);
      findings.push({
        check: 'add-remote-url',
        severity: pinned ? 'low' : 'medium',
        message: pinned
          ? `ADD downloads ${url} at build time (checked against --checksum); prefer a verified download ` +
            'in a RUN or COPY from a build stage'
          : `ADD downloads ${url} at build time with nothing pinning what it gets; download and verify a ` +
            'checksum instead',
        detail: { url, history: index, pinned },
      });
    });
    return findings;
  },
};
