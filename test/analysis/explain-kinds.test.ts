import { describe, expect, it } from 'vitest';
import { analyzeImage } from '../../src/analysis/analyze.js';
import { compactRoots } from '../../src/analysis/explain/group.js';
import { explanationTotals, type Explanation } from '../../src/analysis/explain/index.js';
import { stepOf } from '../../src/analysis/explain/words.js';
import type { ImageIndex } from '../../src/image/types.js';
import type { LayerIndex } from '../../src/layers/types.js';
import { dir, file, hardlink, imageOf as imageOfLayers, layers, opaque, sized, whiteout } from '../helpers/layers.js';

function imageOf(layerList: LayerIndex[], commands: string[]): ImageIndex {
  return imageOfLayers(layerList, {
    commands,
    image: { reference: 'explain:test' },
    config: { created: '2024-01-02T00:00:00Z', user: 'app', workingDir: '/' },
  });
}

function explain(layerList: LayerIndex[], commands: string[]) {
  const image = imageOf(layerList, commands);
  const analysis = analyzeImage(image);
  return { analysis, explanations: analysis.explanations };
}

const _only = (explanations: Explanation[], kind: Explanation['kind']): Explanation[] =>
  explanations.filter((e) => e.kind === kind);

describe('explanation kinds', () => {
  it('update-separate: an apt-get update alone, its lists deleted later, is one explanation for the directory', () => {
    const lists = Array.from({ length: 9 }, (_, i) => sized(`/var/lib/apt/lists/mirror_${i}_Packages`, 1000 * (i + 1)));
    const { explanations, analysis } = explain(
      layers(
        [dir('/var/lib/apt/lists'), file('/bin/sh', 'sh')],
        lists,
        [file('/usr/bin/app', 'app')],
        lists.map((l) => whiteout(l.path)),
      ),
      [
        '/bin/sh -c #(nop) ADD file:abc in / ',
        '/bin/sh -c apt-get update',
        '/bin/sh -c apt-get install -y app',
        '/bin/sh -c rm -rf /var/lib/apt/lists/*',
      ],
    );
    expect(explanations).toHaveLength(1);
    const e = explanations[0]!;
    expect(e).toMatchObject({
      kind: 'update-separate',
      layer: 1,
      hiddenBy: 3,
      paths: ['/var/lib/apt/lists'],
      pathCount: 9,
      bytes: 45_000,
    });
    expect(e.command).toBe('/bin/sh -c apt-get update');
    expect(e.hiddenByCommand).toBe('/bin/sh -c rm -rf /var/lib/apt/lists/*');
    expect(e.message).toBe(
      '`apt-get update` in layer 1 shipped 45 kB of /var/lib/apt/lists, which layer 3 deleted: they are ' +
        'still in the image.',
    );
    expect(e.fix).toMatch(/update, install and clean in one RUN/);
    expect(e.bytes).toBe(analysis.exact.hiddenBytes);
  });

  it('deleted-later: a COPY removed by a later RUN, with a multi-stage fix', () => {
    const { explanations } = explain(
      layers([file('/bin/sh', 'sh')], [sized('/tmp/seed.sql', 5_000_000)], [whiteout('/tmp/seed.sql')]),
      [
        '',
        '/bin/sh -c #(nop) COPY file:0123456789abcdef0123456789abcdef in /tmp/seed.sql ',
        '/bin/sh -c rm /tmp/seed.sql',
      ],
    );
    expect(explanations).toHaveLength(1);
    expect(explanations[0]).toMatchObject({
      kind: 'deleted-later',
      layer: 1,
      hiddenBy: 2,
      paths: ['/tmp/seed.sql'],
      pathCount: 1,
      bytes: 5_000_000,
    });
    expect(explanations[0]!.message).toBe(
      "Layer 1 COPY'd /tmp/seed.sql (5 MB), and layer 2 removed it: it is still in the image.",
    );
    expect(explanations[0]!.fix).toMatch(/multi-stage build/);
    expect(explanations[0]!.fix).toMatch(/bind mount/);
  });

  it('deleted-later: a deleted directory is reported as that directory, not file by file', () => {
    const { explanations } = explain(
      layers(
        [
          dir('/src'),
          sized('/src/a/x.o', 100),
          sized('/src/a/y.o', 200),
          sized('/src/b/z.o', 300),
          sized('/src/c', 400),
        ],
        [whiteout('/src')],
      ),
      ['/bin/sh -c make', '/bin/sh -c rm -rf /src'],
    );
    expect(explanations).toHaveLength(1);
    expect(explanations[0]).toMatchObject({ kind: 'deleted-later', paths: ['/src'], pathCount: 4, bytes: 1000 });
    expect(explanations[0]!.message).toMatch(
      /^Layer 0 \(`make`\) wrote 4 files \(1 kB\) in \/src, and layer 1 removed them/,
    );
    expect(explanations[0]!.fix).toMatch(/same RUN/);
  });

  it('metadata-rewrite: a chmod that re-ships a file; the bytes are the old, hidden copy', () => {
    const { explanations } = explain(
      layers(
        [file('/etc/ssh/sshd_config', 'Port 22\n', { mode: 0o644 })],
        [file('/etc/ssh/sshd_config', 'Port 22\n', { mode: 0o600 })],
      ),
      ['/bin/sh -c apt-get install -y openssh-server', '/bin/sh -c chmod 0600 /etc/ssh/sshd_config'],
    );
    expect(explanations).toEqual([
      expect.objectContaining({
        kind: 'metadata-rewrite',
        layer: 0,
        hiddenBy: 1,
        paths: ['/etc/ssh/sshd_config'],
        bytes: 8,
        pathCount: 1,
      }),
    ]);
    expect(explanations[0]!.message).toBe(
      'Layer 1 (`chmod 0600 /etc/ssh/sshd_config`) only changed the mode of /etc/ssh/sshd_config (0644 → ' +
        '0600), so the whole file was stored again: the 8 B copy from layer 0 is still shipped.',
    );
    expect(explanations[0]!.fix).toMatch(/COPY --chmod=0600/);
  });

  it('metadata-rewrite: an owner change, and a hard link that copies a file up', () => {
    const chown = explain(layers([file('/app/data', 'data')], [file('/app/data', 'data', { uid: 1000, gid: 1000 })]), [
      '',
      '/bin/sh -c chown 1000:1000 /app/data',
    ]);
    expect(chown.explanations[0]!.message).toMatch(/only changed the owner of \/app\/data \(0:0 → 1000:1000\)/);
    expect(chown.explanations[0]!.fix).toMatch(/--chown/);
    const link = explain(
      layers(
        [file('/app/run.sh', '#!/bin/sh\n')],
        [file('/app/run.sh', '#!/bin/sh\n'), hardlink('/app/start.sh', '/app/run.sh')],
      ),
      ['', '/bin/sh -c ln /app/run.sh /app/start.sh'],
    );
    expect(link.explanations[0]).toMatchObject({ kind: 'metadata-rewrite', paths: ['/app/run.sh'] });
    expect(link.explanations[0]!.message).toMatch(/hard-linked \/app\/start\.sh to \/app\/run\.sh/);
  });

  it('overwritten: an opaque directory names the directory and what the earlier layer put there', () => {
    const { explanations } = explain(
      layers(
        [file('/opt/app/config/settings.ini', 'a=1\n'), file('/opt/app/config/logging.ini', 'level=debug\n')],
        [opaque('/opt/app/config'), file('/opt/app/config/settings.ini', 'a=2\n')],
      ),
      [
        '/bin/sh -c #(nop) COPY dir:0123456789abcdef0123456789abcdef in /opt/app/ ',
        '/bin/sh -c rm -rf /opt/app/config && mkdir /opt/app/config',
      ],
    );
    expect(explanations).toHaveLength(1);
    expect(explanations[0]).toMatchObject({
      kind: 'overwritten',
      layer: 0,
      hiddenBy: 1,
      paths: ['/opt/app/config'],
      pathCount: 2,
      bytes: 16,
    });
    expect(explanations[0]!.message).toContain(
      'replaced /opt/app/config (an opaque directory): the 2 files (16 B) that layer 0 put there are still shipped',
    );
    expect(explanations[0]!.fix).toMatch(/out of the COPY in layer 0/);
  });

  it('overwritten: new content over old; a package install gets the package-database fix', () => {
    const { explanations } = explain(
      layers(
        [
          sized('/var/lib/dpkg/status', 5000, 'v1'),
          sized('/var/lib/dpkg/status-old', 4000, 'v0'),
          sized('/etc/passwd', 100, 'p1'),
        ],
        [
          sized('/var/lib/dpkg/status', 6000, 'v2'),
          sized('/var/lib/dpkg/status-old', 5000, 'v1'),
          sized('/etc/passwd', 120, 'p2'),
        ],
      ),
      ['', '/bin/sh -c apt-get install -y curl'],
    );
    expect(explanations).toHaveLength(1);
    expect(explanations[0]).toMatchObject({
      kind: 'overwritten',
      paths: ['/var/lib/dpkg', '/etc/passwd'],
      pathCount: 3,
      bytes: 9100,
    });
    expect(explanations[0]!.message).toMatch(
      /rewrote 3 files that layer 0 shipped, in \/var\/lib\/dpkg and \/etc\/passwd/,
    );
    expect(explanations[0]!.fix).toMatch(/package install/);
  });

  it('duplicate-in-layer: a path twice in one tar', () => {
    const { explanations } = explain(layers([sized('/app/blob', 700, 'first'), sized('/app/blob', 800, 'second')]), [
      '/bin/sh -c #(nop) COPY multi:0123456789abcdef0123456789abcdef in /app/ ',
    ]);
    expect(explanations).toEqual([
      expect.objectContaining({ kind: 'duplicate-in-layer', layer: 0, hiddenBy: 0, paths: ['/app/blob'], bytes: 700 }),
    ]);
    expect(explanations[0]!.message).toMatch(/holds \/app\/blob more than once/);
  });

  it('cache-left: package caches in the final filesystem, not counted as hidden', () => {
    const { explanations, analysis } = explain(
      layers(
        [dir('/var/lib/apt/lists'), file('/var/lib/apt/lists/lock', '')],
        [
          sized('/var/lib/apt/lists/a_Packages', 3000),
          sized('/var/lib/apt/lists/b_Packages', 2000),
          sized('/var/cache/apt/archives/x.deb', 1500),
          sized('/usr/bin/curl', 900),
        ],
      ),
      ['', '/bin/sh -c apt-get update && apt-get install -y curl'],
    );
    expect(analysis.exact.hiddenBytes).toBe(0);
    expect(explanations.map((e) => [e.kind, e.paths[0], e.bytes, e.pathCount, e.hiddenBy])).toEqual([
      ['cache-left', '/var/lib/apt/lists', 5000, 2, null],
      ['cache-left', '/var/cache/apt', 1500, 1, null],
    ]);
    expect(explanations[0]!.hiddenByCommand).toBeNull();
    expect(explanations[0]!.fix).toMatch(/rm -rf \/var\/lib\/apt\/lists/);
    expect(explanationTotals(explanations)).toEqual({ hiddenBytes: 0, cacheBytes: 6500, totalBytes: 6500, count: 2 });
  });
});

describe('ranking and totals', () => {
  const layerList = layers(
    [sized('/big', 9000), sized('/small', 10), sized('/etc/conf', 50, 'c1')],
    [whiteout('/big'), whiteout('/small'), sized('/etc/conf', 60, 'c2')],
    [sized('/mid', 500)],
    [whiteout('/mid')],
  );
  const { explanations, analysis } = explain(layerList, [
    '',
    '/bin/sh -c cleanup',
    '/bin/sh -c #(nop) ADD file:0123456789abcdef0123456789abcdef in /mid ',
    '/bin/sh -c rm /mid',
  ]);

  it('puts every hidden piece in exactly one explanation: the bytes add up to hiddenBytes', () => {
    const hidden = explanations.filter((e) => e.kind !== 'cache-left').reduce((sum, e) => sum + e.bytes, 0);
    expect(hidden).toBe(analysis.exact.hiddenBytes);
    expect(explanations.reduce((sum, e) => sum + e.pathCount, 0)).toBe(analysis.exact.hidden.length);
  });

  it('ranks by bytes saved, largest first', () => {
    expect(explanations.map((e) => e.bytes)).toEqual([...explanations.map((e) => e.bytes)].sort((a, b) => b - a));
    expect(explanations[0]!.paths).toEqual(['/big', '/small']);
    expect(explanations.map((e) => e.kind)).toEqual(['deleted-later', 'deleted-later', 'overwritten']);
  });

  it('matches the JSON shape of the issue', () => {
    for (const e of explanations) {
      expect(Object.keys(e).sort()).toEqual(
        [
          'bytes',
          'command',
          'fix',
          'hiddenBy',
          'hiddenByCommand',
          'kind',
          'layer',
          'message',
          'pathCount',
          'paths',
        ].sort(),
      );
    }
  });
});

describe('compactRoots', () => {
  const rooted = (...paths: Array<[string, number]>) => paths.map(([root, bytes]) => ({ root, bytes, above: false }));

  it('groups siblings into their directory, one level only, and nests what is inside a root', () => {
    const roots = compactRoots(
      rooted(
        ['/var/lib/apt/lists/a', 10],
        ['/var/lib/apt/lists/b', 20],
        ['/var/lib/apt/lists/c', 30],
        ['/usr/lib/x/y/z', 5],
        ['/usr/lib/x/w', 1],
        ['/usr/lib/x/v', 1],
      ),
    );
    expect(roots).toEqual([
      { path: '/var/lib/apt/lists', bytes: 60, count: 3, directory: true },
      { path: '/usr/lib/x', bytes: 7, count: 3, directory: true },
    ]);
  });

  it('never lumps top-level paths into /', () => {
    expect(compactRoots(rooted(['/a', 1], ['/b', 2])).map((r) => r.path)).toEqual(['/b', '/a']);
  });
});

describe('stepOf', () => {
  it('reads legacy and BuildKit history', () => {
    expect(stepOf('/bin/sh -c apt-get update', 1)).toEqual({ kind: 'RUN', text: 'apt-get update', base: false });
    expect(
      stepOf(
        '/bin/sh -c #(nop) COPY file:7fdb4ad6d1813ad9bcef5ee5862044f23b15055732987447163606eb143486ce in ' +
          '/tmp/seed-data.sql ',
        8,
      ),
    ).toMatchObject({ kind: 'COPY', text: 'COPY /tmp/seed-data.sql' });
    expect(
      stepOf('/bin/sh -c #(nop) ADD file:3ed695e8fc1053b8aee3c1f34c9e90c62a82ae15fc604648269cd0f40a2264d5 in / ', 0),
    ).toMatchObject({ kind: 'ADD', base: true });
    expect(stepOf('RUN /bin/sh -c make install # buildkit', 3)).toEqual({
      kind: 'RUN',
      text: 'make install',
      base: false,
    });
    expect(stepOf('|1 PACKAGES=a b /bin/sh -c apt-get install -y ${PACKAGES}', 2).text).toBe('apt-get install -y a b');
    expect(stepOf('', 0)).toEqual({ kind: 'unknown', text: '', base: true });
  });
});
