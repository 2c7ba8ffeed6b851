import type { ToolRule } from '../types.js';

const DPKG_DB = ['/var/lib/dpkg/status'];
const RPM_DB = ['/var/lib/rpm', '/usr/lib/sysimage/rpm'];
const APK_DB = ['/lib/apk/db/installed'];
const INSTALLS = 'installs software at run time, whatever the image was reviewed with';

export const packageManagersRule: ToolRule = {
  kind: 'tool',
  id: 'package-manager',
  category: 'package-manager',
  severity: 'medium',
  description:
    'Package managers (apt, apt-get, dpkg, yum, dnf, rpm, microdnf, apk, pip, npm, gem), with their ' +
    'databases as evidence in `related`',
  tools: [
    { name: 'apt', reason: `apt: ${INSTALLS}`, evidence: DPKG_DB },
    { name: 'apt-get', reason: `apt-get: ${INSTALLS}`, evidence: DPKG_DB },
    { name: 'dpkg', reason: `dpkg: ${INSTALLS}`, evidence: DPKG_DB },
    { name: 'yum', versioned: true, reason: `yum: ${INSTALLS}`, evidence: RPM_DB },
    { name: 'dnf', versioned: true, reason: `dnf: ${INSTALLS}`, evidence: RPM_DB },
    { name: 'microdnf', reason: `microdnf: ${INSTALLS}`, evidence: RPM_DB },
    { name: 'rpm', reason: `rpm: ${INSTALLS}`, evidence: RPM_DB },
    { name: 'apk', reason: `apk: ${INSTALLS}`, evidence: APK_DB },
    { name: 'pip', versioned: true, reason: `pip: ${INSTALLS}` },
    { name: 'npm', reason: `npm: ${INSTALLS}` },
    { name: 'gem', versioned: true, reason: `gem: ${INSTALLS}` },
  ],
};
