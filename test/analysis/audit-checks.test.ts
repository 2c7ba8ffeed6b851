import { describe, expect, it } from 'vitest';
import { AUDIT_CHECKS, auditImage, type AuditFinding } from '../../src/analysis/audit/index.js';
import { decodeBase64Text, looksLikeYaml } from '../../src/analysis/audit/decode.js';
import { isUpdateAlone } from '../../src/analysis/audit/checks/update-alone.js';
import { parseOsRelease } from '../../src/analysis/audit/checks/os-release.js';
import type { ImageConfig } from '../../src/image/types.js';
import type { TarEntry } from '../../src/layers/types.js';
import { dir, file, fixtureImage, symlink, textFile } from '../helpers/risk-fixtures.js';

const NOW = new Date('2026-03-01T00:00:00Z');
const PROVENANCE = {
  'org.opencontainers.image.source': 'https://git.example.com/a',
  'org.opencontainers.image.revision': 'abc123',
  'org.opencontainers.image.created': '2026-02-27T00:00:00Z',
  'org.opencontainers.image.authors': 'Team <team@example.com>',
};
/** A config that passes every check. */
const CLEAN: Partial<ImageConfig> = {
  user: 'app',
  labels: PROVENANCE,
  healthcheck: ['CMD', '/bin/true'],
  created: '2026-02-27T00:00:00Z',
};

function audit(
  config: Partial<ImageConfig> = {},
  layers: TarEntry[][] = [[dir('/app')]],
  commands: string[] = [],
): AuditFinding[] {
  const { image, stack } = fixtureImage(layers, { ...CLEAN, ...config }, commands);
  return auditImage(image, stack, { now: NOW });
}
const checks = (findings: AuditFinding[], check: string): AuditFinding[] => findings.filter((f) => f.check === check);

describe('auditImage', () => {
  it('is quiet on a clean image', () => {
    expect(audit()).toEqual([]);
  });

  it('sorts by severity, keeping check order within one', () => {
    const findings = audit({
      user: '',
      healthcheck: null,
      env: ['API_TOKEN=ghp_abcdefghijklmnopqrstuvwxyz0123456789'],
    });
    expect(findings.map((f) => [f.check, f.severity])).toEqual([
      ['env-secret', 'high'],
      ['root-user', 'medium'],
      ['no-healthcheck', 'low'],
    ]);
  });

  it('has unique check ids', () => {
    const ids = AUDIT_CHECKS.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('root-user', () => {
  it.each(['', '0', 'root', '0:0', 'root:wheel', 'root:0'])('reports USER %j', (user) => {
    expect(checks(audit({ user }), 'root-user')).toMatchObject([{ severity: 'medium', detail: { user } }]);
  });

  it('reports a name that /etc/passwd maps to uid 0', () => {
    const layers = [
      [
        textFile(
          '/etc/passwd',
          'root:x:0:0:root:/root:/bin/sh\ntoor:x:0:0::/root:/bin/sh\napp:x:1000:1000::/app:/bin/sh\n',
        ),
      ],
    ];
    expect(checks(audit({ user: 'toor' }, layers), 'root-user')).toHaveLength(1);
    expect(checks(audit({ user: 'app' }, layers), 'root-user')).toEqual([]);
  });

  it.each(['app', '1000', '1000:0', 'nobody:nogroup', '65534'])('stays quiet on USER %j', (user) => {
    expect(checks(audit({ user }), 'root-user')).toEqual([]);
  });
});

describe('env-secret', () => {
  it('reports secret names and secret-looking values, masking them', () => {
    const env = [
      'API_TOKEN=tok_live_0123456789abcdef',
      'DB_PASSWORD=hunter2',
      'AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE',
      'DATABASE_URL=postgres://app:s3cretpw@db:5432/app',
      'SECRET_KEY_BASE=4f1c0d9e8b7a6c5d4e3f2a1b0c9d8e7f',
    ];
    const found = checks(audit({ env }), 'env-secret');
    expect(found.map((f) => f.detail?.name)).toEqual([
      'API_TOKEN',
      'DB_PASSWORD',
      'AWS_ACCESS_KEY_ID',
      'DATABASE_URL',
      'SECRET_KEY_BASE',
    ]);
    const text = JSON.stringify(found);
    for (const secret of [
      'tok_live_0123456789abcdef',
      'hunter2',
      'AKIAIOSFODNN7EXAMPLE',
      's3cretpw',
      '4f1c0d9e8b7a6c5d4e3f2a1b0c9d8e7f',
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(found[2]!.message).toContain('AWS access key');
  });

  it('stays quiet on ordinary settings, references, empty values and public key fingerprints', () => {
    const env = [
      'PATH=/usr/local/bin:/usr/bin',
      'GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D',
      'PASSWORD_FILE=/run/secrets/db',
      'TOKEN_URL=https://auth.example.com/token',
      'DB_PASSWORD=',
      'NPM_TOKEN=${NPM_TOKEN}',
      'AUTH_ENABLED=true',
      'PWD=/app',
      'DEBIAN_FRONTEND=noninteractive',
    ];
    expect(checks(audit({ env }), 'env-secret')).toEqual([]);
  });
});

describe('label-secret', () => {
  it('reports a label holding a secret, masked', () => {
    const found = checks(
      audit({ labels: { ...PROVENANCE, 'com.example.deploy-token': 'glpat-abcdefghijklmnopqrstuv' } }),
      'label-secret',
    );
    expect(found).toMatchObject([{ severity: 'high', detail: { label: 'com.example.deploy-token' } }]);
    expect(JSON.stringify(found)).not.toContain('glpat-abcdefghijklmnopqrstuv');
  });

  it('stays quiet on ordinary labels, authors included', () => {
    expect(
      checks(
        audit({ labels: { ...PROVENANCE, 'org.opencontainers.image.title': 'app', maintainer: 'x' } }),
        'label-secret',
      ),
    ).toEqual([]);
  });
});

describe('provenance-labels', () => {
  it('lists the missing ones', () => {
    const labels = { 'org.opencontainers.image.source': 'https://x', 'org.opencontainers.image.authors': '' };
    expect(checks(audit({ labels }), 'provenance-labels')).toMatchObject([
      {
        severity: 'low',
        detail: {
          missing: [
            'org.opencontainers.image.revision',
            'org.opencontainers.image.created',
            'org.opencontainers.image.authors',
          ],
        },
      },
    ]);
  });

  it('stays quiet when all four are there', () => {
    expect(checks(audit({ labels: PROVENANCE }), 'provenance-labels')).toEqual([]);
  });
});

describe('encoded-label', () => {
  const b64 = (text: string): string => Buffer.from(text).toString('base64');

  it('decodes base64 JSON and YAML into detail, masking secrets in them', () => {
    const labels = {
      ...PROVENANCE,
      'com.example.config': b64(JSON.stringify({ replicas: 3, db: { host: 'db', password: 'hunter2hunter2' } })),
      'com.example.manifest': b64(
        'apiVersion: v1\nkind: ConfigMap\ndata:\n  mode: prod\n  api_token: abcdef0123456789\n',
      ),
    };
    const found = checks(audit({ labels }), 'encoded-label');
    expect(found.map((f) => [f.detail?.label, f.detail?.format])).toEqual([
      ['com.example.config', 'json'],
      ['com.example.manifest', 'yaml'],
    ]);
    expect(found[0]!.detail?.value).toMatchObject({ replicas: 3, db: { host: 'db' } });
    expect(found[1]!.detail?.decoded).toContain('kind: ConfigMap');
    expect(JSON.stringify(found)).not.toContain('hunter2hunter2');
    expect(JSON.stringify(found)).not.toContain('abcdef0123456789');
  });

  it('stays quiet on plain values, hex digests, base64 of plain words or binary', () => {
    const labels = {
      ...PROVENANCE,
      'org.opencontainers.image.revision': '76f8316d60f1d28fb396c5ee5eec4cc916147dac',
      version: '1.4.2',
      word: b64('just some words'),
      binary: Buffer.from([0, 1, 2, 3, 250, 251, 252, 253, 254]).toString('base64'),
      url: b64('https://example.com/a:b'),
    };
    expect(checks(audit({ labels }), 'encoded-label')).toEqual([]);
  });

  it('recognizes base64 text and YAML shapes', () => {
    expect(decodeBase64Text(b64('a: 1'))).toBe('a: 1');
    expect(decodeBase64Text('not base64!')).toBeNull();
    expect(looksLikeYaml('- a\n- b: c\n')).toBe(true);
    expect(looksLikeYaml('Dear reader: hello\nthis is prose.')).toBe(false);
  });
});

describe('image-age', () => {
  it('warns past 30 days', () => {
    expect(checks(audit({ created: '2026-01-15T10:00:00Z' }), 'image-age')).toMatchObject([
      { severity: 'low', detail: { days: 44 } },
    ]);
  });

  it('stays quiet within 30 days and says "unknown" for missing or placeholder dates', () => {
    expect(checks(audit({ created: '2026-02-01T00:00:00Z' }), 'image-age')).toEqual([]);
    expect(checks(audit({ created: null }), 'image-age')).toMatchObject([{ severity: 'info' }]);
    expect(checks(audit({ created: '1970-01-01T00:00:00Z' }), 'image-age')).toMatchObject([{ severity: 'info' }]);
  });
});

describe('update-alone', () => {
  it('reports a layer that only refreshes package indexes', () => {
    const commands = ['ADD rootfs /', '/bin/sh -c apt-get update', '|1 X=y /bin/sh -c apt-get install -y curl'];
    expect(checks(audit({}, [[dir('/a')], [dir('/b')], [dir('/c')]], commands), 'update-alone')).toMatchObject([
      { severity: 'low', detail: { layer: 1, command: '/bin/sh -c apt-get update' } },
    ]);
  });

  it.each([
    ['/bin/sh -c apt-get update', true],
    ['/bin/sh -c apk update', true],
    ['/bin/sh -c yum -y update', true],
    ['/bin/sh -c apt-get update && apt-get install -y --no-install-recommends curl', false],
    ['/bin/sh -c apk update && apk add curl', false],
    ['/bin/sh -c apk add --update curl', false],
    ['/bin/sh -c yum update -y && yum install -y git', false],
    ['/bin/sh -c echo update', false],
  ])('%s → %s', (command, alone) => {
    expect(isUpdateAlone(command)).toBe(alone);
  });
});

describe('package-cache', () => {
  it('reports caches left in the final filesystem', () => {
    const layers = [
      [
        dir('/var/lib/apt/lists'),
        file('/var/lib/apt/lists/lock', ''),
        file('/var/lib/apt/lists/deb_dists_bookworm_InRelease', 'x'.repeat(100)),
        file('/var/cache/apt/pkgcache.bin', 'bin'),
        file('/var/cache/apt/archives/curl_8.deb', 'deb'),
        file('/var/cache/apk/APKINDEX.tar.gz', 'idx'),
        file('/root/.cache/pip/http/a', 'a'),
        file('/root/.npm/_cacache/index', 'i'),
        file('/var/cache/yum/x86_64/repomd.xml', 'r'),
      ],
    ];
    const found = checks(audit({}, layers), 'package-cache');
    expect(found.map((f) => [f.detail?.path, f.detail?.files])).toEqual([
      ['/var/lib/apt/lists', 1],
      ['/var/cache/apt', 2],
      ['/var/cache/yum', 1],
      ['/var/cache/apk', 1],
      ['/root/.cache/pip', 1],
      ['/root/.npm', 1],
    ]);
    expect(found[0]!.detail?.bytes).toBe(100);
  });

  it('stays quiet on empty caches, apt locks and partial dirs', () => {
    const layers = [
      [
        dir('/var/lib/apt/lists/partial'),
        file('/var/lib/apt/lists/lock', ''),
        dir('/var/cache/apt/archives/partial'),
        file('/var/cache/apt/archives/lock', ''),
        dir('/var/cache/apk'),
        dir('/root/.cache'),
      ],
    ];
    expect(checks(audit({}, layers), 'package-cache')).toEqual([]);
  });
});

describe('no-healthcheck', () => {
  it('reports a missing HEALTHCHECK', () => {
    expect(checks(audit({ healthcheck: null }), 'no-healthcheck')).toMatchObject([{ severity: 'low' }]);
  });

  it('stays quiet with one', () => {
    expect(
      checks(audit({ healthcheck: ['CMD-SHELL', 'curl -f http://localhost/ || exit 1'] }), 'no-healthcheck'),
    ).toEqual([]);
  });
});

describe('add-remote-url', () => {
  const history = (createdBy: string[]): Partial<ImageConfig> => ({
    history: createdBy.map((c) => ({ created: null, createdBy: c, emptyLayer: false })),
  });

  it('reports ADD from a URL, hiding credentials in it; lower when pinned by --checksum', () => {
    const found = checks(
      audit(
        history([
          '/bin/sh -c #(nop) ADD https://user:pw@example.com/tool.tar.gz /opt/',
          'ADD --checksum=sha256:abc https://example.com/b.tgz /b # buildkit',
        ]),
      ),
      'add-remote-url',
    );
    expect(found.map((f) => [f.severity, f.detail?.url])).toEqual([
      ['medium', 'https://****@example.com/tool.tar.gz'],
      ['low', 'https://example.com/b.tgz'],
    ]);
    expect(JSON.stringify(found)).not.toContain('user:pw');
  });

  it('stays quiet on local ADD and on RUN curl', () => {
    const found = checks(
      audit(
        history([
          '/bin/sh -c #(nop) ADD file:3ed695e8fc in / ',
          '/bin/sh -c curl -fsSL https://example.com/x | sh',
          'COPY . /app',
        ]),
      ),
      'add-remote-url',
    );
    expect(found).toEqual([]);
  });
});

describe('os-release', () => {
  const OS_RELEASE =
    'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION="12 ' +
    '(bookworm)"\nVERSION_CODENAME=bookworm\nID=debian\n';

  it('reads /usr/lib/os-release through the usual /etc/os-release link', () => {
    const layers = [[textFile('/usr/lib/os-release', OS_RELEASE), symlink('/etc/os-release', '../usr/lib/os-release')]];
    expect(checks(audit({}, layers), 'os-release')).toEqual([
      {
        check: 'os-release',
        severity: 'info',
        message: 'OS: Debian GNU/Linux 12 (bookworm)',
        detail: {
          path: '/usr/lib/os-release',
          id: 'debian',
          name: 'Debian GNU/Linux',
          version: '12 (bookworm)',
          versionId: '12',
          versionCodename: 'bookworm',
          prettyName: 'Debian GNU/Linux 12 (bookworm)',
        },
      },
    ]);
  });

  it('prefers /etc/os-release and builds a name without PRETTY_NAME', () => {
    const layers = [
      [
        textFile('/etc/os-release', 'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.20.1\n'),
        textFile('/usr/lib/os-release', OS_RELEASE),
      ],
    ];
    expect(checks(audit({}, layers), 'os-release')).toMatchObject([
      { message: 'OS: Alpine Linux 3.20.1', detail: { path: '/etc/os-release', id: 'alpine' } },
    ]);
  });

  it('stays quiet without os-release (scratch images)', () => {
    expect(
      checks(
        audit({}, [[textFile('/etc/passwd', 'root:x:0:0::/:/bin/sh\n'), symlink('/etc/os-release', '/nowhere')]]),
        'os-release',
      ),
    ).toEqual([]);
  });

  it('parses quoting like os-release(5)', () => {
    expect(parseOsRelease('A="x \\"y\\""\nB=\'z\'\n# C=no\nD=plain\n')).toEqual({ A: 'x "y"', B: 'z', D: 'plain' });
  });
});
