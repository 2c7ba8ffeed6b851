import { describe, expect, it } from 'vitest';
import { byRule, dir, elf, hardlink, risksOf, script, symlink, textFile } from '../helpers/risk-fixtures.js';

describe('package-manager', () => {
  it('finds package managers, with their databases as evidence', () => {
    const findings = risksOf([
      [
        elf('/usr/bin/apt'),
        elf('/usr/bin/apt-get'),
        elf('/usr/bin/dpkg'),
        textFile('/var/lib/dpkg/status', 'Package: bash\n'),
        elf('/sbin/apk'),
        textFile('/lib/apk/db/installed', 'P:musl\n'),
        elf('/usr/bin/rpm'),
        dir('/var/lib/rpm'),
        elf('/usr/bin/microdnf'),
        script('/usr/bin/pip3.11', '/usr/bin/python3'),
        script('/usr/bin/gem', '/usr/bin/ruby'),
      ],
    ]);
    const found = byRule(findings, 'package-manager.');
    expect(found.map((f) => [f.rule, f.path])).toEqual([
      ['package-manager.apk', '/sbin/apk'],
      ['package-manager.apt', '/usr/bin/apt'],
      ['package-manager.apt-get', '/usr/bin/apt-get'],
      ['package-manager.dpkg', '/usr/bin/dpkg'],
      ['package-manager.gem', '/usr/bin/gem'],
      ['package-manager.microdnf', '/usr/bin/microdnf'],
      ['package-manager.pip', '/usr/bin/pip3.11'],
      ['package-manager.rpm', '/usr/bin/rpm'],
    ]);
    expect(found.every((f) => f.severity === 'medium' && f.category === 'package-manager')).toBe(true);
    expect(found.find((f) => f.path === '/usr/bin/dpkg')!.related).toEqual(['/var/lib/dpkg/status']);
    expect(found.find((f) => f.path === '/sbin/apk')!.related).toEqual(['/lib/apk/db/installed']);
    expect(found.find((f) => f.path === '/usr/bin/rpm')!.related).toEqual(['/var/lib/rpm']);
  });

  it('finds npm through its bin link, reported at the script it leads to', () => {
    const findings = risksOf([
      [
        script('/usr/lib/node_modules/npm/bin/npm-cli.js', '/usr/bin/env node'),
        symlink('/usr/bin/npm', '../lib/node_modules/npm/bin/npm-cli.js'),
      ],
    ]);
    expect(byRule(findings, 'package-manager.npm')).toMatchObject([
      { path: '/usr/lib/node_modules/npm/bin/npm-cli.js', related: ['/usr/bin/npm'] },
    ]);
  });

  it('stays quiet on databases, docs and scripts named after them outside program directories', () => {
    const findings = risksOf([
      [
        textFile('/var/lib/dpkg/status', 'Package: bash\n'),
        dir('/usr/share/doc/apt'),
        script('/etc/cron.daily/dpkg'),
        script('/usr/share/bug/dpkg'),
        textFile('/usr/bin/apt', 'not a program\n'),
      ],
    ]);
    expect(byRule(findings, 'package-manager.')).toEqual([]);
  });
});

describe('compiler', () => {
  it('finds compilers, versioned and cross-toolchain names, and reports links once at the target', () => {
    const findings = risksOf([
      [
        elf('/usr/bin/x86_64-linux-gnu-gcc-12'),
        symlink('/usr/bin/gcc-12', 'x86_64-linux-gnu-gcc-12'),
        symlink('/usr/bin/gcc', 'gcc-12'),
        symlink('/usr/bin/cc', '/etc/alternatives/cc'),
        symlink('/etc/alternatives/cc', '/usr/bin/gcc'),
        elf('/usr/local/go/bin/go'),
        elf('/usr/bin/make'),
        elf('/usr/bin/x86_64-linux-gnu-as'),
        elf('/usr/bin/x86_64-linux-gnu-ld.bfd'),
        elf('/usr/lib/jvm/bin/javac'),
        elf('/root/.cargo/bin/rustc'),
        elf('/usr/bin/clang-15'),
      ],
    ]);
    const found = byRule(findings, 'compiler.');
    expect(found.map((f) => [f.rule, f.path])).toEqual(
      [
        ['compiler.go', '/usr/local/go/bin/go'],
        ['compiler.javac', '/usr/lib/jvm/bin/javac'],
        ['compiler.rustc', '/root/.cargo/bin/rustc'],
        ['compiler.clang', '/usr/bin/clang-15'],
        ['compiler.make', '/usr/bin/make'],
        ['compiler.as', '/usr/bin/x86_64-linux-gnu-as'],
        ['compiler.gcc', '/usr/bin/x86_64-linux-gnu-gcc-12'],
        ['compiler.ld', '/usr/bin/x86_64-linux-gnu-ld.bfd'],
      ].sort((a, b) => (a[1]! < b[1]! ? -1 : 1)),
    );
    expect(found.find((f) => f.rule === 'compiler.gcc')!.related).toEqual([
      '/etc/alternatives/cc',
      '/usr/bin/cc',
      '/usr/bin/gcc',
      '/usr/bin/gcc-12',
    ]);
  });

  it('stays quiet on a text file named gcc, compiler internals and look-alike names', () => {
    const findings = risksOf([
      [
        textFile('/opt/notes/gcc', 'use gcc -O2\n'),
        dir('/usr/share/doc/gcc'),
        elf('/usr/lib/gcc/x86_64-linux-gnu/12/cc1'),
        elf('/usr/bin/ldd2'),
        elf('/usr/bin/gccgo-tool-x'),
        symlink('/usr/bin/ld.so', '/lib64/ld-linux-x86-64.so.2'),
        elf('/lib64/ld-linux-x86-64.so.2'),
      ],
    ]);
    expect(byRule(findings, 'compiler.')).toEqual([]);
  });
});

describe('interpreter', () => {
  it('finds versioned and relocated interpreters, with their links and hardlinks in related', () => {
    const findings = risksOf([
      [
        elf('/usr/bin/python3.11'),
        symlink('/usr/bin/python3', 'python3.11'),
        elf('/usr/bin/perl'),
        hardlink('/usr/bin/perl5.36.0', '/usr/bin/perl'),
        elf('/opt/x/bin/node'),
        elf('/usr/local/bin/ruby3.2'),
        elf('/usr/bin/php8.2'),
        elf('/usr/bin/lua5.4'),
        elf('/usr/lib/jvm/java-17/bin/java'),
        symlink('/usr/bin/java', '/usr/lib/jvm/java-17/bin/java'),
      ],
    ]);
    const found = byRule(findings, 'interpreter.');
    expect(found.map((f) => [f.rule, f.path, f.related ?? []])).toEqual([
      ['interpreter.node', '/opt/x/bin/node', []],
      ['interpreter.lua', '/usr/bin/lua5.4', []],
      ['interpreter.perl', '/usr/bin/perl', ['/usr/bin/perl5.36.0']],
      ['interpreter.php', '/usr/bin/php8.2', []],
      ['interpreter.python', '/usr/bin/python3.11', ['/usr/bin/python3']],
      ['interpreter.java', '/usr/lib/jvm/java-17/bin/java', ['/usr/bin/java']],
      ['interpreter.ruby', '/usr/local/bin/ruby3.2', []],
    ]);
  });

  it('stays quiet on libraries, configs and python tooling that are not interpreters', () => {
    const findings = risksOf([
      [
        dir('/usr/lib/python3.11'),
        textFile('/usr/lib/python3.11/os.py', 'import sys\n'),
        script('/usr/bin/python3.11-config'),
        elf('/usr/lib/x86_64-linux-gnu/libpython3.11.so.1.0'),
        textFile('/etc/php/8.2/php.ini', '[PHP]\n'),
        textFile('/usr/bin/node', ''),
      ],
    ]);
    expect(byRule(findings, 'interpreter.')).toEqual([]);
  });
});

describe('network-tool', () => {
  it('finds network clients; a netcat behind alternatives is found through its links', () => {
    const findings = risksOf([
      [
        elf('/usr/bin/ssh'),
        symlink('/usr/bin/slogin', 'ssh'),
        elf('/usr/bin/scp'),
        elf('/usr/bin/curl'),
        elf('/usr/bin/wget'),
        elf('/usr/bin/socat'),
        elf('/usr/bin/nmap'),
        elf('/usr/bin/telnet'),
        elf('/bin/nc.openbsd'),
        symlink('/etc/alternatives/nc', '/bin/nc.openbsd'),
        symlink('/bin/nc', '/etc/alternatives/nc'),
      ],
    ]);
    const found = byRule(findings, 'network-tool.');
    expect(found.map((f) => f.rule).sort()).toEqual(
      ['curl', 'nc', 'nmap', 'scp', 'socat', 'ssh', 'telnet', 'wget'].map((t) => `network-tool.${t}`),
    );
    expect(found.find((f) => f.rule === 'network-tool.nc')).toMatchObject({
      path: '/bin/nc.openbsd',
      related: ['/bin/nc', '/etc/alternatives/nc'],
    });
    expect(found.find((f) => f.rule === 'network-tool.ssh')!.related).toEqual(['/usr/bin/slogin']);
  });

  it('stays quiet on an apt transport linked as ssh, configs and init scripts', () => {
    const findings = risksOf([
      [
        elf('/usr/lib/apt/methods/rsh'),
        symlink('/usr/lib/apt/methods/ssh', 'rsh'),
        textFile('/etc/ssh/ssh_config', 'Host *\n'),
        script('/etc/init.d/ssh'),
        textFile('/usr/share/curl/curl-ca-bundle.crt', '-----BEGIN CERTIFICATE-----\n'),
      ],
    ]);
    expect(byRule(findings, 'network-tool.')).toEqual([]);
  });
});

describe('shell', () => {
  it('finds shells, with links such as /usr/bin/sh → dash in related', () => {
    const findings = risksOf([
      [
        elf('/usr/bin/bash'),
        symlink('/usr/bin/rbash', 'bash'),
        elf('/usr/bin/dash'),
        symlink('/usr/bin/sh', 'dash'),
        symlink('/bin', 'usr/bin'),
        elf('/bin2/zsh'),
      ],
    ]);
    const found = byRule(findings, 'shell.');
    expect(found.map((f) => [f.rule, f.path, f.related])).toEqual([
      ['shell.zsh', '/bin2/zsh', undefined],
      ['shell.bash', '/usr/bin/bash', ['/usr/bin/rbash']],
      ['shell.dash', '/usr/bin/dash', ['/usr/bin/sh']],
    ]);
    expect(found.every((f) => f.severity === 'low' && f.category === 'shell')).toBe(true);
  });

  it('reports a shell reached only through a link name at the file the link leads to', () => {
    const findings = risksOf([[elf('/usr/lib/shells/impl'), symlink('/usr/bin/sh', '../lib/shells/impl')]]);
    expect(byRule(findings, 'shell.')).toMatchObject([
      { rule: 'shell.sh', path: '/usr/lib/shells/impl', related: ['/usr/bin/sh'] },
    ]);
  });

  it('stays quiet on docs, completions, rc files and dangling links named after shells', () => {
    const findings = risksOf([
      [
        dir('/usr/share/doc/bash'),
        textFile('/usr/share/bash-completion/completions/bash', 'complete -F _x bash\n'),
        textFile('/etc/bash.bashrc', 'PS1=x\n'),
        textFile('/root/.bashrc', 'alias l=ls\n'),
        symlink('/usr/bin/sh', 'dash'),
        textFile('/usr/bin/zsh', ''),
      ],
    ]);
    expect(byRule(findings, 'shell.')).toEqual([]);
  });
});

describe('shell.busybox', () => {
  const applets = ['sh', 'ash', 'ls', 'wget', 'nc', 'su', 'telnetd'];

  it('is one finding for busybox and its symlinked applets, which no other rule reports', () => {
    const findings = risksOf([
      [dir('/bin'), elf('/bin/busybox'), ...applets.map((a) => symlink(`/bin/${a}`, '/bin/busybox'))],
    ]);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      rule: 'shell.busybox',
      category: 'shell',
      severity: 'low',
      path: '/bin/busybox',
    });
    expect(findings[0]!.related).toEqual(applets.map((a) => `/bin/${a}`).sort());
  });

  it('is one finding for busybox with hardlinked applets, whichever path the tar stored the data under', () => {
    const findings = risksOf([
      [elf('/bin/ash'), ...['busybox', 'wget', 'nc', 'su'].map((a) => hardlink(`/bin/${a}`, '/bin/ash'))],
    ]);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      rule: 'shell.busybox',
      path: '/bin/busybox',
      related: ['/bin/ash', '/bin/nc', '/bin/su', '/bin/wget'],
    });
  });

  it('still reports a setuid busybox as setuid', () => {
    const findings = risksOf([[elf('/bin/busybox', { mode: 0o4755 }), symlink('/bin/su', 'busybox')]]);
    expect(findings.map((f) => f.rule).sort()).toEqual(['privilege.setuid', 'shell.busybox']);
  });

  it('stays quiet on busybox docs and on a non-executable file named busybox', () => {
    const findings = risksOf([
      [dir('/usr/share/doc/busybox'), textFile('/opt/busybox', 'readme\n'), symlink('/bin/sh', '/opt/busybox')],
    ]);
    expect(findings).toEqual([]);
  });
});
