import { asUtf8 } from '../../risks/content.js';
import { finalFile } from '../files.js';
import type { AuditCheck } from '../types.js';

/** os-release(5): KEY=value lines, values optionally quoted with shell-style escapes. */
export function parseOsRelease(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line);
    if (match === null) continue;
    let value = match[2]!.trim();
    const quote = value[0];
    if ((quote === '"' || quote === "'") && value.endsWith(quote) && value.length >= 2) {
      value = value.slice(1, -1);
      if (quote === '"') value = value.replace(/\\([\\$"`])/g, '$1');
    }
    fields[match[1]!] = value;
  }
  return fields;
}

const PLACES = ['/etc/os-release', '/usr/lib/os-release'];

export const osReleaseCheck: AuditCheck = {
  id: 'os-release',
  severity: 'info',
  description: 'The OS name and version from /etc/os-release (or /usr/lib/os-release), symlinks followed by path',
  run({ stack }) {
    for (const place of PLACES) {
      const file = finalFile(stack, place);
      const content = file?.state.entry?.content;
      if (file === null || content === undefined) continue;
      const fields = parseOsRelease(asUtf8(content));
      const name =
        fields.PRETTY_NAME ?? [fields.NAME ?? fields.ID, fields.VERSION ?? fields.VERSION_ID].filter(Boolean).join(' ');
      if (name === '') continue;
      const detail: Record<string, unknown> = { path: file.path };
      const keys: Array<[string, string]> = [
        ['id', 'ID'],
        ['name', 'NAME'],
        ['version', 'VERSION'],
        ['versionId', 'VERSION_ID'],
        ['versionCodename', 'VERSION_CODENAME'],
        ['prettyName', 'PRETTY_NAME'],
      ];
      for (const [key, field] of keys) if (fields[field] !== undefined) detail[key] = fields[field];
      return [{ check: 'os-release', severity: 'info', message: `OS: ${name}`, detail }];
    }
    return [];
  },
};
