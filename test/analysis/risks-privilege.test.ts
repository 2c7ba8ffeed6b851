import { describe, expect, it } from 'vitest';
import { byRule, dir, elf, paths, risksOf, script, symlink, textFile } from '../helpers/risk-fixtures.js';

describe('privilege.setuid / privilege.setgid', () => {
  it('finds setuid and setgid files from the tar header mode, whatever their content', () => {
    const findings = risksOf([
      [
        elf('/usr/local/bin/suid-id', { mode: 0o4755 }),
        elf('/usr/local/bin/sgid-env', { mode: 0o2755, gid: 42 }),
        textFile('/opt/odd', 'data\n', { mode: 0o6644 }),
      ],
    ]);
    expect(byRule(findings, 'privilege.setuid').map((f) => [f.path, f.severity])).toEqual([
      ['/opt/odd', 'high'],
      ['/usr/local/bin/suid-id', 'high'],
    ]);
    expect(byRule(findings, 'privilege.setgid')).toMatchObject([
      { path: '/usr/local/bin/sgid-env', category: 'privilege' },
    ]);
    expect(byRule(findings, 'privilege.setuid')[1]!.reason).toContain('root');
  });

  it('stays quiet on plain modes, setgid directories and symlinks', () => {
    const findings = risksOf([
      [
        elf('/usr/bin/id', { mode: 0o755 }),
        dir('/var/mail', { mode: 0o2775 }),
        symlink('/usr/bin/x', 'id', { mode: 0o7777 }),
      ],
    ]);
    expect(byRule(findings, 'privilege.')).toEqual([]);
  });

  it('reports a setuid su once, naming it', () => {
    const found = byRule(risksOf([[elf('/usr/bin/su', { mode: 0o4755 })]]), 'privilege.');
    expect(found.map((f) => f.rule)).toEqual(['privilege.setuid']);
    expect(found[0]!.reason).toContain('su');
  });

  it('reports a setuid bit removed by a later layer only with allLayers, as hidden', () => {
    const layers = [[elf('/usr/bin/passwd', { mode: 0o4755 })], [elf('/usr/bin/passwd', { mode: 0o755 })]];
    expect(byRule(risksOf(layers), 'privilege.setuid')).toEqual([]);
    expect(byRule(risksOf(layers, { allLayers: true }), 'privilege.setuid')).toMatchObject([
      { path: '/usr/bin/passwd', layer: 0, hidden: true },
    ]);
  });
});

describe('privilege.sudo / privilege.su', () => {
  it('finds sudo, su and doas programs without a setuid bit', () => {
    const findings = risksOf([[elf('/usr/bin/sudo'), elf('/bin/su'), elf('/usr/bin/doas')]]);
    expect(byRule(findings, 'privilege.').map((f) => f.rule)).toEqual([
      'privilege.su',
      'privilege.doas',
      'privilege.sudo',
    ]);
  });

  it('stays quiet on non-executables named sudo, and on sudoers files', () => {
    const findings = risksOf([
      [
        textFile('/usr/share/doc/sudo', 'docs\n'),
        textFile('/etc/sudoers', 'root ALL=(ALL) ALL\n'),
        dir('/etc/sudoers.d'),
      ],
    ]);
    expect(byRule(findings, 'privilege.')).toEqual([]);
  });
});

describe('privilege.world-writable', () => {
  it('finds world-writable files and directories without the sticky bit', () => {
    const findings = risksOf([
      [
        dir('/opt/app/uploads', { mode: 0o777 }),
        textFile('/etc/app.conf', 'x=1\n', { mode: 0o666 }),
        textFile('/opt/app/stuck', 'x\n', { mode: 0o1666 }),
      ],
    ]);
    expect(paths(byRule(findings, 'privilege.world-writable'))).toEqual([
      '/etc/app.conf',
      '/opt/app/stuck',
      '/opt/app/uploads',
    ]);
  });

  it('stays quiet on sticky directories, shared temporary places, symlinks and group-writable paths', () => {
    const findings = risksOf([
      [
        dir('/opt/app/tmp', { mode: 0o1777 }),
        dir('/tmp', { mode: 0o777 }),
        textFile('/tmp/scratch', 'x\n', { mode: 0o666 }),
        dir('/var/tmp/cache', { mode: 0o777 }),
        dir('/dev/shm', { mode: 0o777 }),
        symlink('/usr/bin/link', 'target', { mode: 0o777 }),
        dir('/srv/shared', { mode: 0o775 }),
        script('/usr/local/bin/run', '/bin/sh', { mode: 0o775 }),
      ],
    ]);
    expect(byRule(findings, 'privilege.world-writable')).toEqual([]);
  });
});
