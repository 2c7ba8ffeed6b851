import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  buildImage,
  dockerLegacyArchive,
  ociArchiveBytes,
  ociSingleImageFiles,
} from '../../scripts/fixtures/layouts.js';
import { file, tarBytes } from '../../scripts/fixtures/tar.js';
import { maskPasswords, maskUserInfo } from '../../src/util/user-info.js';
import { runCli } from '../helpers/cli.js';

const scratch = mkdtempSync(join(tmpdir(), 'strata-credentials-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const REFERENCES = [
  'registry://alice:s3cret-pw@registry.example/team/app:1.0',
  'alice:s3cret-pw@registry.example/team/app:1.0',
  'alice:s3cret-pw@registry.example:5000/app',
  'docker://alice:s3cret-pw@registry.example/app',
  'podman://alice:s3cret-pw@registry.example/app',
];

describe('credentials written in a reference', () => {
  it.each(REFERENCES)('%s: refused, and the password is never printed', async (reference) => {
    for (const argv of [[reference], ['--json', reference], ['report', reference], ['ci', reference]]) {
      const r = await runCli(...argv);
      expect(r.code, argv.join(' ')).not.toBe(0);
      expect(r.stdout + r.stderr, argv.join(' ')).not.toContain('s3cret-pw');
      expect(r.stderr, argv.join(' ')).toContain('****@registry.example');
      expect(r.stderr.trimEnd().split('\n'), argv.join(' ')).toHaveLength(1);
    }
  });

  it('says what is wrong: credentials go through --username and --password-stdin', async () => {
    const r = await runCli('registry://alice:s3cret-pw@registry.example/team/app:1.0');
    expect(r.stderr).toMatch(/credentials.*--password-stdin/);
  });

  it('--source registry with credentials in the reference', async () => {
    const r = await runCli('--source', 'registry', 'alice:s3cret-pw@registry.example/app');
    expect(r.stderr).not.toContain('s3cret-pw');
  });

  it('an image that names itself with credentials (RepoTags, ref.name) is shown masked', async () => {
    const img = buildImage({
      repoTag: 'alice:s3cret-pw@registry.example/app:1',
      architecture: 'amd64',
      os: 'linux',
      created: '2024-06-01T12:00:00Z',
      runConfig: {},
      history: [{ createdBy: '/bin/sh -c true' }],
      layers: [await tarBytes([file('etc/a', 'a')])],
    });
    const docker = join(scratch, 'docker.tar');
    writeFileSync(docker, await dockerLegacyArchive(img));
    const oci = join(scratch, 'oci.tar');
    writeFileSync(oci, await ociArchiveBytes(ociSingleImageFiles(img, 'none').files));
    for (const path of [docker, oci]) {
      for (const argv of [['--json', path], [path], ['report', path], ['report', '--format', 'markdown', path]]) {
        const r = await runCli(...argv);
        expect(r.code, argv.join(' ')).toBe(0);
        expect(r.stdout + r.stderr, argv.join(' ')).not.toContain('s3cret-pw');
        expect(r.stdout, argv.join(' ')).toContain('****@registry.example/app:1');
      }
    }
  });
});

describe('masking', () => {
  it('masks the user-info of a reference, and leaves digests and paths alone', () => {
    expect(maskUserInfo('registry://alice:pw@host/repo:tag')).toBe('registry://****@host/repo:tag');
    expect(maskUserInfo('alice:pw@host/repo:tag')).toBe('****@host/repo:tag');
    expect(maskUserInfo('alice@host/repo')).toBe('****@host/repo');
    const digest = `sha256:${'a'.repeat(64)}`;
    expect(maskUserInfo(`nginx@${digest}`)).toBe(`nginx@${digest}`);
    expect(maskUserInfo(`host/repo@${digest}`)).toBe(`host/repo@${digest}`);
    expect(maskUserInfo('/tmp/a@b/image.tar')).toBe('/tmp/a@b/image.tar');
  });

  it('masks any user:password@ in a message, not e-mail addresses', () => {
    expect(maskPasswords('x "registry://u:p@h/r" and u:p@h/r: bob@example.com')).toBe(
      'x "registry://****@h/r" and ****@h/r: bob@example.com',
    );
  });
});
