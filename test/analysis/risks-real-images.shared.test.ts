import { beforeAll, describe, expect, it } from 'vitest';
import { findRisks, type RiskFinding } from '../../src/analysis/risks/index.js';
import { openImage } from '../../src/image/open.js';
import type { ImageIndex } from '../../src/image/types.js';
import { stackLayers } from '../../src/tree/index.js';
import type { Stack } from '../../src/tree/types.js';
import { hasShared, shared } from '../helpers/paths.js';

async function load(name: string): Promise<{ image: ImageIndex; stack: Stack }> {
  const image = await openImage(shared('images', `${name}.oci-archive.tar`));
  return { image, stack: stackLayers(image.layers) };
}

const at = (findings: RiskFinding[], path: string): RiskFinding[] => findings.filter((f) => f.path === path);

describe.skipIf(!hasShared)('risks of wasteful', () => {
  let findings: RiskFinding[];
  let all: RiskFinding[];
  beforeAll(async () => {
    const { image, stack } = await load('wasteful');
    findings = findRisks(image, stack);
    all = findRisks(image, stack, { allLayers: true });
  });

  it('finds the shells, with sh and rbash as links', () => {
    expect(at(findings, '/usr/bin/bash')).toMatchObject([
      { rule: 'shell.bash', category: 'shell', layer: 0, related: ['/usr/bin/rbash'] },
    ]);
    expect(at(findings, '/usr/bin/dash')).toMatchObject([
      { rule: 'shell.dash', category: 'shell', related: ['/usr/bin/sh'] },
    ]);
    expect(findings.filter((f) => f.category === 'shell').map((f) => f.path)).toEqual([
      '/usr/bin/bash',
      '/usr/bin/dash',
    ]);
  });

  it('finds apt and dpkg with the dpkg database as evidence, and python3.11 with its python3 link', () => {
    expect(at(findings, '/usr/bin/apt')).toMatchObject([
      { rule: 'package-manager.apt', related: ['/var/lib/dpkg/status'] },
    ]);
    expect(at(findings, '/usr/bin/dpkg')).toMatchObject([
      { rule: 'package-manager.dpkg', related: ['/var/lib/dpkg/status'] },
    ]);
    expect(at(findings, '/usr/bin/python3.11')).toMatchObject([
      { rule: 'interpreter.python', layer: 2, related: ['/usr/bin/python3'] },
    ]);
  });

  it('finds sshd and the three ssh host keys from the install layer', () => {
    expect(at(findings, '/usr/sbin/sshd')).toMatchObject([{ rule: 'remote-access.sshd', severity: 'high', layer: 2 }]);
    const keys = findings.filter((f) => f.rule === 'remote-access.ssh-host-key');
    expect(keys.map((f) => f.path)).toEqual([
      '/etc/ssh/ssh_host_ecdsa_key',
      '/etc/ssh/ssh_host_ed25519_key',
      '/etc/ssh/ssh_host_rsa_key',
    ]);
    expect(keys.every((f) => f.layer === 2 && f.command.includes('apt-get install'))).toBe(true);
  });

  it('finds the setuid and setgid files: the 8 of the base, the install layer ones, and layer 13 copies', () => {
    const special = (rule: string): string[] => findings.filter((f) => f.rule === rule).map((f) => f.path);
    const setuidBase = ['chfn', 'chsh', 'gpasswd', 'mount', 'newgrp', 'passwd', 'su', 'umount'].map(
      (n) => `/usr/bin/${n}`,
    );
    expect(special('privilege.setuid')).toEqual([
      ...setuidBase,
      '/usr/lib/openssh/ssh-keysign',
      '/usr/local/bin/suid-id',
    ]);
    expect(special('privilege.setgid')).toEqual([
      '/usr/bin/chage',
      '/usr/bin/expiry',
      '/usr/bin/ssh-agent',
      '/usr/local/bin/sgid-env',
      '/usr/sbin/unix_chkpwd',
    ]);
    expect(at(findings, '/usr/local/bin/suid-id')).toMatchObject([
      { layer: 13, command: expect.stringContaining('chmod 4755') },
    ]);
  });

  it('finds the planted secrets, but not the certificate', () => {
    expect(at(findings, '/root/.ssh/id_rsa')).toMatchObject([{ rule: 'secret.private-key', layer: 4 }]);
    expect(at(findings, '/opt/app/certs/server.key')).toMatchObject([{ rule: 'secret.private-key', layer: 5 }]);
    expect(at(findings, '/opt/app/.env')).toMatchObject([{ rule: 'secret.dotenv', layer: 6 }]);
    expect(at(findings, '/opt/app/certs/server.crt')).toEqual([]);
    expect(JSON.stringify(findings)).not.toContain('AKIAIOSFODNN7EXAMPLE');
  });

  it('does not report the sticky world-writable directory, nor any symlink', () => {
    expect(findings.filter((f) => f.rule === 'privilege.world-writable')).toEqual([]);
    expect(at(findings, '/usr/bin/sh')).toEqual([]);
    expect(at(findings, '/usr/local/bin/app')).toEqual([]);
  });

  it('reports every file once, and with allLayers adds only hidden findings', () => {
    const keys = findings.map((f) => `${f.rule} ${f.path}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(all.filter((f) => !f.hidden)).toEqual(findings);
  });
});

describe.skipIf(!hasShared)('risks of tiny', () => {
  let findings: RiskFinding[];
  beforeAll(async () => {
    const { image, stack } = await load('tiny');
    findings = findRisks(image, stack, { allLayers: true });
  });

  it('is exactly one shell finding: busybox, with its applets in related', () => {
    const shells = findings.filter((f) => f.category === 'shell');
    expect(shells).toHaveLength(1);
    expect(shells[0]).toMatchObject({ rule: 'shell.busybox', path: '/bin/busybox', layer: 0, hidden: false });
    const related = shells[0]!.related ?? [];
    expect(related).toHaveLength(268);
    expect(related).toEqual(expect.arrayContaining(['/bin/sh', '/bin/wget', '/bin/nc', '/bin/su']));
  });

  it('has no secret, privilege or world-writable finding, and no applet reported on its own', () => {
    expect(findings.filter((f) => f.category === 'secret' || f.category === 'privilege')).toEqual([]);
    expect(findings).toHaveLength(1);
  });
});
