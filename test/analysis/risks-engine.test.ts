import { describe, expect, it } from 'vitest';
import { findRisks, RISK_RULES } from '../../src/analysis/risks/index.js';
import { LinkResolver } from '../../src/analysis/risks/resolve.js';
import { stripTriplet, stripVersion } from '../../src/analysis/risks/tools.js';
import {
  byRule,
  dir,
  elf,
  fixtureImage,
  hardlink,
  opaque,
  risksOf,
  symlink,
  textFile,
  whiteout,
} from '../helpers/risk-fixtures.js';

const KEY = '-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE\n-----END EC PRIVATE KEY-----\n';

describe('findRisks: findings', () => {
  it('names the layer that put the file there and its command', () => {
    const findings = risksOf([[elf('/usr/bin/bash')], [textFile('/opt/app/server.key', KEY)]], {}, [
      'ADD rootfs.tar /',
      'COPY server.key /opt/app/',
    ]);
    expect(findings).toEqual([
      {
        rule: 'secret.private-key',
        category: 'secret',
        severity: 'high',
        path: '/opt/app/server.key',
        layer: 1,
        command: 'COPY server.key /opt/app/',
        reason: expect.stringContaining('EC private key'),
        hidden: false,
      },
      {
        rule: 'shell.bash',
        category: 'shell',
        severity: 'low',
        path: '/usr/bin/bash',
        layer: 0,
        command: 'ADD rootfs.tar /',
        reason: expect.stringContaining('shell'),
        hidden: false,
      },
    ]);
  });

  it('sorts by severity, category, then path bytewise', () => {
    const findings = risksOf([
      [
        elf('/usr/bin/zsh'),
        elf('/usr/bin/bash'),
        elf('/usr/bin/curl'),
        elf('/usr/bin/apt'),
        elf('/x/su', { mode: 0o4755 }),
        textFile('/b/.env', 'A=1\n'),
      ],
    ]);
    expect(findings.map((f) => f.rule)).toEqual([
      'secret.dotenv',
      'privilege.setuid',
      'package-manager.apt',
      'network-tool.curl',
      'shell.bash',
      'shell.zsh',
    ]);
  });

  it('never reports a symlink itself, whatever it is called or its bits', () => {
    const findings = risksOf([
      [
        symlink('/usr/bin/bash', '/nowhere'),
        symlink('/root/.ssh/id_rsa', '/run/secrets/key', { mode: 0o7777 }),
        symlink('/opt/.env', 'x'),
      ],
    ]);
    expect(findings).toEqual([]);
  });

  it('follows links through linked directories, and survives loops and dangling links', () => {
    const findings = risksOf([
      [
        elf('/usr/bin/bash'),
        symlink('/bin', 'usr/bin'),
        symlink('/usr/local/bin/sh', '/bin/bash'),
        symlink('/usr/bin/loop1', 'loop2'),
        symlink('/usr/bin/loop2', 'loop1'),
        symlink('/usr/bin/dangling', '/nope/bash'),
      ],
    ]);
    expect(byRule(findings, 'shell.bash')).toMatchObject([{ path: '/usr/bin/bash', related: ['/usr/local/bin/sh'] }]);
    expect(findings).toHaveLength(1);
  });

  it('reports a file and its hardlinks once', () => {
    const findings = risksOf([
      [
        elf('/usr/bin/perl'),
        hardlink('/usr/bin/perl5.36.0', '/usr/bin/perl'),
        hardlink('/usr/local/bin/perl', '/usr/bin/perl'),
      ],
    ]);
    expect(findings).toMatchObject([
      { rule: 'interpreter.perl', path: '/usr/bin/perl', related: ['/usr/bin/perl5.36.0', '/usr/local/bin/perl'] },
    ]);
  });

  it('keeps reporting data still reachable through a hardlink after its first path is deleted', () => {
    const layers = [
      [elf('/usr/bin/perl'), hardlink('/usr/bin/perl5.36.0', '/usr/bin/perl')],
      [whiteout('/usr/bin/perl')],
    ];
    expect(risksOf(layers)).toMatchObject([
      { rule: 'interpreter.perl', path: '/usr/bin/perl5.36.0', hidden: false, layer: 0 },
    ]);
    // The data is still visible, so nothing is hidden either.
    expect(risksOf(layers, { allLayers: true }).filter((f) => f.hidden)).toEqual([]);
  });
});

describe('findRisks: allLayers', () => {
  const layers = [
    [
      elf('/usr/bin/bash'),
      textFile('/root/.ssh/id_rsa', '-----BEGIN RSA PRIVATE KEY-----\nx\n'),
      dir('/opt/app/config'),
      textFile('/opt/app/config/.env', 'TOKEN=abc\n'),
    ],
    [whiteout('/root/.ssh/id_rsa'), opaque('/opt/app/config'), textFile('/opt/app/config/settings.ini', 'x=1\n')],
    [elf('/usr/bin/bash', { mode: 0o755 }, 'bash 5.2.15-2+b2')],
  ];

  it('reports only the final filesystem by default', () => {
    expect(risksOf(layers).map((f) => [f.rule, f.path, f.layer, f.hidden])).toEqual([
      ['shell.bash', '/usr/bin/bash', 2, false],
    ]);
  });

  it('adds the files later layers deleted or overwrote, as hidden, with the layer that shipped them', () => {
    const findings = risksOf(layers, { allLayers: true }, ['ADD base /', 'RUN rm', 'RUN apt-get upgrade']);
    expect(findings.map((f) => [f.rule, f.path, f.layer, f.hidden, f.command])).toEqual([
      ['secret.dotenv', '/opt/app/config/.env', 0, true, 'ADD base /'],
      ['secret.private-key', '/root/.ssh/id_rsa', 0, true, 'ADD base /'],
      ['shell.bash', '/usr/bin/bash', 2, false, 'RUN apt-get upgrade'],
      ['shell.bash', '/usr/bin/bash', 0, true, 'ADD base /'],
    ]);
  });

  it('reports a same-layer duplicate that lost, since its data ships too', () => {
    const findings = risksOf([[textFile('/app/.env', 'TOKEN=one\n'), textFile('/app/.env', '')]], { allLayers: true });
    expect(findings).toMatchObject([{ rule: 'secret.dotenv', path: '/app/.env', hidden: true, layer: 0 }]);
  });

  it('keeps a hidden busybox one finding, with the applets its layer linked', () => {
    const findings = risksOf(
      [
        [
          dir('/bin'),
          elf('/bin/busybox'),
          symlink('/bin/sh', 'busybox'),
          symlink('/bin/wget', '/bin/busybox'),
          hardlink('/bin/nc', '/bin/busybox'),
        ],
        [whiteout('/bin')],
      ],
      { allLayers: true },
    );
    expect(findings).toMatchObject([
      { rule: 'shell.busybox', path: '/bin/busybox', hidden: true, related: ['/bin/nc', '/bin/sh', '/bin/wget'] },
    ]);
  });
});

describe('LinkResolver', () => {
  const { stack } = fixtureImage([
    [
      dir('/usr/bin'),
      elf('/usr/bin/dash'),
      symlink('/bin', 'usr/bin'),
      symlink('/usr/bin/sh', 'dash'),
      symlink('/etc/alternatives/sh', '/bin/sh'),
      symlink('/a', 'b'),
      symlink('/b', 'a'),
      symlink('/up', '../../../usr/bin/dash'),
      symlink('/usr/bin/through-file', 'dash/x'),
    ],
  ]);
  const resolver = new LinkResolver(stack.final);

  it('resolves chains, linked directories and .. clamped at the root', () => {
    expect(resolver.resolve('/usr/bin/sh')).toBe('/usr/bin/dash');
    expect(resolver.resolve('/etc/alternatives/sh')).toBe('/usr/bin/dash');
    expect(resolver.resolve('/bin/sh')).toBe('/usr/bin/dash');
    expect(resolver.resolve('/up')).toBe('/usr/bin/dash');
  });

  it('gives null for loops, dangling links and paths through a file', () => {
    expect(resolver.resolve('/a')).toBeNull();
    expect(resolver.resolve('/bin/nothing')).toBeNull();
    expect(resolver.resolve('/usr/bin/through-file')).toBeNull();
  });
});

describe('tool names', () => {
  it('strips versions and cross-toolchain prefixes', () => {
    expect(['python3.11', 'python3', 'gcc-12', 'perl5.36.0', 'pip3.11', 'g++-12', 'bash'].map(stripVersion)).toEqual([
      'python',
      'python',
      'gcc',
      'perl',
      'pip',
      'g++',
      'bash',
    ]);
    expect(
      ['x86_64-linux-gnu-gcc', 'aarch64-alpine-linux-musl-ld', 'arm-none-eabi-as', 'x86_64-w64-mingw32-gcc', 'gcc'].map(
        stripTriplet,
      ),
    ).toEqual(['gcc', 'ld', 'as', 'gcc', 'gcc']);
  });
});

describe('registry', () => {
  it('has unique rule ids, one rule per file, every category covered', () => {
    const ids = RISK_RULES.map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(RISK_RULES.map((rule) => rule.category))).toEqual(
      new Set([
        'secret',
        'privilege',
        'remote-access',
        'package-manager',
        'compiler',
        'interpreter',
        'network-tool',
        'shell',
        'leftover',
      ]),
    );
  });

  it('runs in one pass over tens of thousands of paths', () => {
    const entries = [];
    for (let d = 0; d < 200; d++) {
      entries.push(dir(`/usr/lib/pkg${d}`));
      for (let f = 0; f < 150; f++) entries.push(textFile(`/usr/lib/pkg${d}/file${f}.py`, `# ${d} ${f}\n`));
      entries.push(symlink(`/usr/bin/tool${d}`, `../lib/pkg${d}/file0.py`));
    }
    const { image, stack } = fixtureImage([entries]);
    const start = performance.now();
    const findings = findRisks(image, stack, { allLayers: true });
    expect(findings).toEqual([]);
    // Only a hang guard against quadratic work (minutes at this size), far above a loaded machine's
    // linear time: never a benchmark.
    expect(performance.now() - start).toBeLessThan(30_000);
  });
});
