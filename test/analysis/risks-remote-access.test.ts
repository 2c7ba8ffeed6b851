import { describe, expect, it } from 'vitest';
import { byRule, dir, elf, paths, risksOf, script, symlink, textFile } from '../helpers/risk-fixtures.js';

const OPENSSH_KEY = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjE=\n-----END OPENSSH PRIVATE KEY-----\n';

describe('remote-access.sshd / telnetd', () => {
  it('finds SSH and telnet servers, relocated or not', () => {
    const findings = risksOf([
      [elf('/usr/sbin/sshd'), elf('/opt/dropbear/sbin/dropbear'), elf('/usr/sbin/in.telnetd')],
    ]);
    expect(byRule(findings, 'remote-access.').map((f) => [f.rule, f.path])).toEqual([
      ['remote-access.sshd', '/opt/dropbear/sbin/dropbear'],
      ['remote-access.telnetd', '/usr/sbin/in.telnetd'],
      ['remote-access.sshd', '/usr/sbin/sshd'],
    ]);
  });

  it('stays quiet on configs and scripts named after them outside program directories', () => {
    const findings = risksOf([
      [
        dir('/etc/ssh'),
        textFile('/etc/ssh/sshd_config', 'Port 22\n'),
        textFile('/etc/pam.d/sshd', 'auth include x\n'),
        script('/etc/init.d/sshd'),
        dir('/run/sshd'),
      ],
    ]);
    expect(byRule(findings, 'remote-access.')).toEqual([]);
  });
});

describe('remote-access.ssh-host-key', () => {
  it('finds ssh host private keys', () => {
    const findings = risksOf([
      [
        textFile('/etc/ssh/ssh_host_rsa_key', OPENSSH_KEY, { mode: 0o600 }),
        textFile('/etc/ssh/ssh_host_ed25519_key', OPENSSH_KEY, { mode: 0o600 }),
      ],
    ]);
    expect(paths(byRule(findings, 'remote-access.ssh-host-key'))).toEqual([
      '/etc/ssh/ssh_host_ed25519_key',
      '/etc/ssh/ssh_host_rsa_key',
    ]);
    expect(byRule(findings, 'remote-access.ssh-host-key')[0]!.severity).toBe('high');
  });

  it('stays quiet on the public halves, empty placeholders and links', () => {
    const findings = risksOf([
      [
        textFile('/etc/ssh/ssh_host_rsa_key.pub', 'ssh-rsa AAAA root@build\n'),
        textFile('/etc/ssh/ssh_host_ecdsa_key', ''),
        symlink('/etc/ssh/ssh_host_ed25519_key', '/run/secrets/hostkey'),
      ],
    ]);
    expect(byRule(findings, 'remote-access.')).toEqual([]);
  });
});
