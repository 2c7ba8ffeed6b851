import { describe, expect, it } from 'vitest';
import { auditImage, type AuditFinding } from '../../src/analysis/audit/index.js';
import { openImage } from '../../src/image/open.js';
import { stackLayers } from '../../src/tree/index.js';
import { hasShared, shared } from '../helpers/paths.js';

async function auditOf(name: string, now: Date): Promise<AuditFinding[]> {
  const image = await openImage(shared('images', `${name}.oci-archive.tar`));
  return auditImage(image, stackLayers(image.layers), { now });
}

/** Both images were built on 2026-11-27. */
const SOON_AFTER = new Date('2026-12-01T00:00:00Z');

describe.skipIf(!hasShared)('audit of real images', () => {
  it('wasteful: root, the separate update layer, no healthcheck, Debian 12', async () => {
    const findings = await auditOf('wasteful', SOON_AFTER);
    expect(findings.map((f) => f.check)).toEqual(['root-user', 'update-alone', 'no-healthcheck', 'os-release']);
    expect(findings.find((f) => f.check === 'update-alone')).toMatchObject({
      detail: { layer: 1, command: '/bin/sh -c apt-get update' },
    });
    expect(findings.find((f) => f.check === 'os-release')).toMatchObject({
      severity: 'info',
      message: 'OS: Debian GNU/Linux 12 (bookworm)',
      detail: { id: 'debian', versionId: '12', versionCodename: 'bookworm', path: '/usr/lib/os-release' },
    });
  });

  it('tiny: root and no healthcheck only', async () => {
    const findings = await auditOf('tiny', SOON_AFTER);
    expect(findings.map((f) => [f.check, f.severity])).toEqual([
      ['root-user', 'medium'],
      ['no-healthcheck', 'low'],
    ]);
  });

  it('warns about age once the clock is past 30 days', async () => {
    const findings = await auditOf('tiny', new Date('2027-01-15T00:00:00Z'));
    expect(findings.find((f) => f.check === 'image-age')).toMatchObject({ severity: 'low', detail: { days: 48 } });
  });
});
