import { describe, expect, it } from 'vitest';
import { byRule, dir, paths, risksOf, textFile, whiteout } from '../helpers/risk-fixtures.js';

const RSA = '-----BEGIN RSA PRIVATE KEY-----\nMIIEogIBAAKCAQEAx\n-----END RSA PRIVATE KEY-----\n';
const headerOf = (kind: string): string => `-----BEGIN ${kind}-----\nAAAA\n-----END ${kind}-----\n`;

describe('secret.private-key', () => {
  it.each([
    'RSA PRIVATE KEY',
    'EC PRIVATE KEY',
    'PRIVATE KEY',
    'OPENSSH PRIVATE KEY',
    'ENCRYPTED PRIVATE KEY',
    'DSA PRIVATE KEY',
  ])('finds a %s by content, whatever the file is called', (kind) => {
    const found = byRule(risksOf([[textFile('/srv/data/blob.txt', headerOf(kind))]]), 'secret.private-key');
    expect(found).toMatchObject([
      { path: '/srv/data/blob.txt', category: 'secret', severity: 'high', hidden: false, layer: 0 },
    ]);
  });

  it('stays quiet on certificates, public keys and .pem files without a private key', () => {
    const findings = risksOf([
      [
        textFile('/opt/app/certs/server.crt', headerOf('CERTIFICATE')),
        textFile('/etc/ssl/certs/ca.pem', headerOf('CERTIFICATE')),
        textFile('/opt/app/keys/pub.pem', headerOf('PUBLIC KEY')),
        textFile('/root/.ssh/id_rsa.pub', 'ssh-rsa AAAAB3NzaC1yc2E user@host\n'),
        textFile('/opt/app/notes.txt', 'how to make a key: openssl genrsa\n'),
      ],
    ]);
    expect(byRule(findings, 'secret.')).toEqual([]);
  });

  it('leaves SSH host keys to remote-access', () => {
    const findings = risksOf([
      [textFile('/etc/ssh/ssh_host_rsa_key', headerOf('OPENSSH PRIVATE KEY'), { mode: 0o600 })],
    ]);
    expect(byRule(findings, 'secret.')).toEqual([]);
    expect(byRule(findings, 'remote-access.ssh-host-key')).toHaveLength(1);
  });
});

describe('secret.ssh-key', () => {
  it('finds files named like SSH private keys that show no key header', () => {
    const findings = risksOf([
      [
        textFile('/home/dev/.ssh/id_ed25519', 'b3BlbnNzaC1rZXktdjEAAAAABG5vbmU=\n'),
        textFile('/home/dev/.ssh/id_rsa_deploy', 'garbled\n'),
      ],
    ]);
    expect(paths(byRule(findings, 'secret.ssh-key'))).toEqual([
      '/home/dev/.ssh/id_ed25519',
      '/home/dev/.ssh/id_rsa_deploy',
    ]);
  });

  it('reports an id_rsa with a PEM header once, as a private key', () => {
    const findings = byRule(risksOf([[textFile('/root/.ssh/id_rsa', RSA, { mode: 0o600 })]]), 'secret.');
    expect(findings.map((f) => [f.rule, f.path])).toEqual([['secret.private-key', '/root/.ssh/id_rsa']]);
  });

  it('stays quiet on .pub halves, empty files, directories and other names', () => {
    const findings = risksOf([
      [
        textFile('/root/.ssh/id_rsa.pub', 'ssh-rsa AAAA\n'),
        textFile('/root/.ssh/id_ed25519.pub', 'ssh-ed25519 AAAA\n'),
        textFile('/root/.ssh/id_rsa', ''),
        dir('/opt/id_rsa'),
        textFile('/root/.ssh/known_hosts', 'host ssh-ed25519 AAAA\n'),
        textFile('/usr/share/doc/grid_rsa', 'x\n'),
      ],
    ]);
    expect(byRule(findings, 'secret.')).toEqual([]);
  });
});

describe('secret.aws-credentials', () => {
  it('finds keys in .aws/credentials', () => {
    const text =
      '[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = ' +
      'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n';
    const found = byRule(risksOf([[textFile('/root/.aws/credentials', text)]]), 'secret.aws-credentials');
    expect(found).toHaveLength(1);
    expect(found[0]!.reason).not.toContain('wJalr');
  });

  it('stays quiet on an empty profile and on other "credentials" files', () => {
    const findings = risksOf([
      [textFile('/root/.aws/credentials', '# nothing here\n[default]\n'), textFile('/opt/app/credentials', 'user=x\n')],
    ]);
    expect(byRule(findings, 'secret.')).toEqual([]);
  });
});

describe('secret.docker-config', () => {
  it('finds registry credentials in auths', () => {
    const json = JSON.stringify({ auths: { 'registry.example.com': { auth: 'dXNlcjpwYXNz' } } });
    const found = byRule(risksOf([[textFile('/root/.docker/config.json', json)]]), 'secret.docker-config');
    expect(found).toHaveLength(1);
    expect(found[0]!.reason).toContain('registry.example.com');
    expect(found[0]!.reason).not.toContain('dXNlcjpwYXNz');
  });

  it('stays quiet without auths, with credential-helper stubs, and on other config.json files', () => {
    const findings = risksOf([
      [
        textFile('/root/.docker/config.json', JSON.stringify({ credsStore: 'pass', auths: { 'ghcr.io': {} } })),
        textFile('/home/a/.docker/config.json', JSON.stringify({ detachKeys: 'ctrl-e,e' })),
        textFile('/opt/app/config.json', JSON.stringify({ auths: { x: { auth: 'abc' } } })),
      ],
    ]);
    expect(byRule(findings, 'secret.')).toEqual([]);
  });
});

describe('secret.npmrc', () => {
  it('finds an npm token', () => {
    const found = risksOf([
      [textFile('/root/.npmrc', '//registry.npmjs.org/:_authToken=npm_abcdefghijklmnopqrstuvwxyz0123456789\n')],
    ]);
    expect(paths(byRule(found, 'secret.npmrc'))).toEqual(['/root/.npmrc']);
  });

  it('stays quiet on settings and on ${ENV} references', () => {
    const findings = risksOf([
      [
        textFile('/root/.npmrc', '//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n'),
        textFile('/app/.npmrc', 'registry=https://registry.npmjs.org/\nsave-exact=true\n'),
      ],
    ]);
    expect(byRule(findings, 'secret.')).toEqual([]);
  });
});

describe('secret.pypirc', () => {
  it('finds a password or a pypi token', () => {
    const findings = risksOf([
      [
        textFile('/root/.pypirc', '[pypi]\nusername = __token__\npassword = pypi-AgEIcHlwaS5vcmcCJGFiY2RlZmdo\n'),
        textFile('/home/b/.pypirc', '[distutils]\nindex-servers = pypi\n[pypi]\nusername = bob\npassword = hunter2\n'),
      ],
    ]);
    expect(paths(byRule(findings, 'secret.pypirc'))).toEqual(['/home/b/.pypirc', '/root/.pypirc']);
  });

  it('stays quiet without a password', () => {
    const findings = risksOf([
      [textFile('/root/.pypirc', '[distutils]\nindex-servers = pypi\n[pypi]\nusername = bob\n')],
    ]);
    expect(byRule(findings, 'secret.')).toEqual([]);
  });
});

describe('secret.netrc and secret.git-credentials', () => {
  it('find a .netrc password, a credential store and a remote URL with a token', () => {
    const findings = risksOf([
      [
        textFile('/root/.netrc', 'machine git.example.com login bob password s3cret\n'),
        textFile('/root/.git-credentials', 'https://bob:ghp_abcdefghijklmnop@github.com\n'),
        textFile(
          '/src/app/.git/config',
          '[remote "origin"]\n\turl = https://oauth2:glpat-abcdefghijklmnopqrst@gitlab.example.com/a/b.git\n',
        ),
      ],
    ]);
    expect(paths(byRule(findings, 'secret.netrc'))).toEqual(['/root/.netrc']);
    expect(paths(byRule(findings, 'secret.git-credentials'))).toEqual([
      '/root/.git-credentials',
      '/src/app/.git/config',
    ]);
  });

  it('stay quiet on a .netrc without password and a remote URL without one', () => {
    const findings = risksOf([
      [
        textFile('/root/.netrc', 'machine example.com login anonymous\n'),
        textFile('/srv/.git/config', '[remote "origin"]\n\turl = https://github.com/a/b.git\n'),
      ],
    ]);
    expect(byRule(findings, 'secret.netrc')).toEqual([]);
    expect(byRule(findings, 'secret.git-credentials')).toEqual([]);
  });
});

describe('secret.dotenv', () => {
  it('finds .env, .env.* and *.env files with settings, naming keys but never values', () => {
    const findings = risksOf([
      [
        textFile('/opt/app/.env', '# fake\nAPI_TOKEN=tok_1234567890\nDATABASE_URL=postgres://app:pw@db/app\n'),
        textFile('/opt/app/.env.production', 'export SECRET_KEY="abc"\n'),
        textFile('/opt/app/app.env', 'MODE=prod\n'),
      ],
    ]);
    const found = byRule(findings, 'secret.dotenv');
    expect(paths(found)).toEqual(['/opt/app/.env', '/opt/app/.env.production', '/opt/app/app.env']);
    expect(found[0]!.reason).toContain('API_TOKEN');
    expect(found[0]!.reason).not.toContain('tok_1234567890');
  });

  it('stays quiet on templates, empty or comment-only files, and names that only contain "env"', () => {
    const findings = risksOf([
      [
        textFile('/opt/app/.env.example', 'API_TOKEN=changeme\n'),
        textFile('/opt/app/.env', '# set these at run time\n\n'),
        textFile('/opt/app/.envrc', 'use nix\n'),
        textFile('/etc/environment', 'PATH=/usr/bin\n'),
        dir('/opt/venv/.env'),
      ],
    ]);
    expect(byRule(findings, 'secret.')).toEqual([]);
  });
});

describe('secret.git-dir', () => {
  it('finds .git directories', () => {
    const findings = risksOf([
      [dir('/src'), dir('/src/app/.git'), textFile('/src/app/.git/HEAD', 'ref: refs/heads/main\n')],
    ]);
    expect(byRule(findings, 'secret.git-dir')).toMatchObject([{ path: '/src/app/.git', severity: 'high' }]);
  });

  it('stays quiet on .git files (worktrees), .gitignore and .github', () => {
    const findings = risksOf([
      [
        textFile('/src/wt/.git', 'gitdir: /src/app/.git/worktrees/wt\n'),
        textFile('/src/.gitignore', 'node_modules\n'),
        dir('/src/.github'),
      ],
    ]);
    expect(byRule(findings, 'secret.')).toEqual([]);
  });

  it('reports a .git directory deleted by a later layer only with allLayers, as hidden', () => {
    const layers = [[dir('/src/.git'), textFile('/src/.git/HEAD', 'ref\n')], [whiteout('/src/.git')]];
    expect(byRule(risksOf(layers), 'secret.git-dir')).toEqual([]);
    expect(byRule(risksOf(layers, { allLayers: true }), 'secret.git-dir')).toMatchObject([
      { path: '/src/.git', hidden: true, layer: 0 },
    ]);
  });
});
