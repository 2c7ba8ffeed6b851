import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPathLike, parseReference, parseSourceName, resolveImageArgument } from '../../src/image/reference.js';
import { openImage } from '../../src/image/open.js';
import { ImageReadError, StrataError } from '../../src/util/errors.js';
import { fixtures } from '../helpers/paths.js';
import { failure, thrown } from '../helpers/failure.js';

const DIGEST = `sha256:${'ab'.repeat(32)}`;

describe('image references', () => {
  it('fills in docker.io, library/ and latest', () => {
    expect(parseReference('nginx')).toEqual({
      domain: 'docker.io',
      repository: 'library/nginx',
      tag: 'latest',
      digest: null,
      normalized: 'docker.io/library/nginx:latest',
    });
    expect(parseReference('nginx:1.27').normalized).toBe('docker.io/library/nginx:1.27');
    expect(parseReference('bitnami/redis').normalized).toBe('docker.io/bitnami/redis:latest');
    expect(parseReference('index.docker.io/nginx').normalized).toBe('docker.io/library/nginx:latest');
    expect(parseReference('ghcr.io/owner/repo/sub:v1').normalized).toBe('ghcr.io/owner/repo/sub:v1');
    expect(parseReference('localhost/app').normalized).toBe('localhost/app:latest');
    expect(parseReference('127.0.0.1:5000/tiny').domain).toBe('127.0.0.1:5000');
  });

  it('keeps a digest, with or without a tag', () => {
    expect(parseReference(`nginx@${DIGEST}`)).toEqual({
      domain: 'docker.io',
      repository: 'library/nginx',
      tag: null,
      digest: DIGEST,
      normalized: `docker.io/library/nginx@${DIGEST}`,
    });
    const both = parseReference(`localhost:5000/a/b:t@${DIGEST}`);
    expect(both).toMatchObject({ domain: 'localhost:5000', repository: 'a/b', tag: 't', digest: DIGEST });
    expect(both.normalized).toBe(`localhost:5000/a/b:t@${DIGEST}`);
  });

  it('rejects an invalid reference with a usage error that says why', () => {
    const cases: Array<[string, string]> = [
      ['Nginx', 'repository names must be lowercase'],
      ['nginx:', 'expected [registry/]repository[:tag][@sha256:digest]'],
      ['a b', 'expected [registry/]repository[:tag][@sha256:digest]'],
      ['nginx@sha256:abc', 'the digest is malformed (expected sha256:<64 hex digits>)'],
      [`nginx@sha256:${'AB'.repeat(32)}`, 'the digest is malformed (expected sha256:<64 hex digits>)'],
      ['', 'it is empty'],
      ['ab'.repeat(32), 'a 64-hex-digit string is an image ID, not a repository name'],
    ];
    for (const [text, why] of cases) {
      const err = thrown(() => parseReference(text));
      expect(err).toBeInstanceOf(StrataError);
      expect(err).not.toBeInstanceOf(ImageReadError);
      expect(err.message).toBe(`invalid image reference "${text}": ${why}`);
    }
  });
});

describe('resolving the image argument', () => {
  let dir: string;
  let cwd: string;

  beforeAll(async () => {
    cwd = process.cwd();
    dir = await mkdtemp(join(tmpdir(), 'strata-reference-'));
    await writeFile(join(dir, 'image.tar'), 'x');
    await writeFile(join(dir, 'nginx'), 'x'); // a file named like a reference
    await mkdir(join(dir, 'layout'));
    await mkdir(join(dir, 'sub'));
    await writeFile(join(dir, 'sub', 'image'), 'x');
    process.chdir(dir);
  });

  afterAll(async () => {
    process.chdir(cwd);
    await rm(dir, { recursive: true, force: true });
  });

  const path = (p: string, format = 'auto', tag: string | null = null): unknown => ({
    kind: 'path',
    path: p,
    format,
    tag,
  });
  const registry = (normalized: string): unknown =>
    expect.objectContaining({ kind: 'registry', reference: expect.objectContaining({ normalized }) });

  it('row: "-" is stdin', () => {
    expect(resolveImageArgument('-')).toEqual(path('-'));
  });

  it('row: an existing file or directory is an archive or a layout, even when named like a reference', () => {
    expect(resolveImageArgument('image.tar')).toEqual(path('image.tar'));
    expect(resolveImageArgument('nginx')).toEqual(path('nginx'));
    expect(resolveImageArgument('layout')).toEqual(path('layout'));
    expect(resolveImageArgument('sub/image')).toEqual(path('sub/image'));
    expect(resolveImageArgument(join(dir, 'layout'))).toEqual(path(join(dir, 'layout')));
  });

  it('row: a path-like argument is a path, and file-not-found when it does not exist', async () => {
    for (const arg of [
      './nope',
      '../nope',
      '/nope/image',
      'missing.tar',
      'missing.tar.gz',
      'missing.tgz',
      'missing.tar.zst',
      '.hidden',
    ]) {
      expect(isPathLike(arg)).toBe(true);
      expect(resolveImageArgument(arg)).toEqual(path(arg));
    }
    const err = await failure(openImage('missing.tar'));
    expect(err).toBeInstanceOf(ImageReadError);
    expect(err.message).toBe('no such file or directory');
    expect(isPathLike('nginx:1.27')).toBe(false);
    expect(isPathLike('ghcr.io/a/b')).toBe(false);
  });

  it('row: docker-archive:FILE, oci-archive:FILE, oci:DIR[:tag] are explicit', () => {
    expect(resolveImageArgument('docker-archive:image.tar')).toEqual(path('image.tar', 'docker-archive'));
    expect(resolveImageArgument('oci-archive:/x/y.tar')).toEqual(path('/x/y.tar', 'oci-archive'));
    expect(resolveImageArgument('oci:layout')).toEqual(path('layout', 'oci'));
    expect(resolveImageArgument('oci:layout:v1')).toEqual(path('layout', 'oci', 'v1'));
    expect(resolveImageArgument('oci:/a/b:c/d')).toEqual(path('/a/b:c/d', 'oci'));
    expect(thrown(() => resolveImageArgument('docker-archive:'))).toEqual(
      new StrataError('docker-archive: needs a path after the colon'),
    );
  });

  it('row: registry://REF is the registry', () => {
    expect(resolveImageArgument('registry://nginx')).toEqual(registry('docker.io/library/nginx:latest'));
    expect(resolveImageArgument(`registry://127.0.0.1:5000/a/b:c@${DIGEST}`)).toEqual(
      registry(`127.0.0.1:5000/a/b:c@${DIGEST}`),
    );
    // Even when a file of that name exists.
    expect(resolveImageArgument('registry://nginx')).toMatchObject({ kind: 'registry' });
    const err = thrown(() => resolveImageArgument('registry://Bad'));
    expect(err).toBeInstanceOf(StrataError);
    expect(err.message).toBe('invalid image reference "Bad": repository names must be lowercase');
  });

  it('row: docker://REF and podman://REF are engines', async () => {
    expect(resolveImageArgument('docker://nginx:1.27')).toMatchObject({
      kind: 'engine',
      engine: 'docker',
      reference: { normalized: 'docker.io/library/nginx:1.27' },
    });
    expect(resolveImageArgument('podman://localhost/app')).toMatchObject({
      kind: 'engine',
      engine: 'podman',
      reference: { normalized: 'localhost/app:latest' },
    });
    const err = await failure(openImage('docker://nginx', { env: { DOCKER_HOST: 'unix:///nonexistent/docker.sock' } }));
    expect(err).toBeInstanceOf(ImageReadError);
    expect(err.message).toMatch(/cannot reach docker at unix:\/\/\/nonexistent\/docker\.sock: no such socket/);
  });

  it('row: a bare REF is the registry', () => {
    expect(resolveImageArgument('nginx:1.27')).toEqual(registry('docker.io/library/nginx:1.27'));
    expect(resolveImageArgument('library/busybox')).toEqual(registry('docker.io/library/busybox:latest'));
    expect(resolveImageArgument(`ghcr.io/o/r@${DIGEST}`)).toEqual(registry(`ghcr.io/o/r@${DIGEST}`));
    expect(resolveImageArgument('localhost:5000/app:dev')).toEqual(registry('localhost:5000/app:dev'));
  });

  it('a bare word that is neither a file nor a reference says both', () => {
    const err = thrown(() => resolveImageArgument('NoSuchThing'));
    expect(err).toBeInstanceOf(ImageReadError);
    expect(err.message).toBe(
      'no such file or directory, and not a valid image reference (repository names must be lowercase)',
    );
  });

  it('--source forces one source', () => {
    expect(resolveImageArgument('nginx', 'registry')).toEqual(registry('docker.io/library/nginx:latest'));
    expect(resolveImageArgument('nginx:1', 'archive')).toEqual(path('nginx:1'));
    expect(resolveImageArgument('image.tar', 'docker-archive')).toEqual(path('image.tar', 'docker-archive'));
    expect(resolveImageArgument('layout:v2', 'oci')).toEqual(path('layout', 'oci', 'v2'));
    expect(resolveImageArgument('nginx', 'podman')).toMatchObject({ kind: 'engine', engine: 'podman' });
    expect(resolveImageArgument('registry://nginx', 'registry')).toEqual(registry('docker.io/library/nginx:latest'));
    expect(resolveImageArgument('oci:layout', 'archive')).toEqual(path('layout', 'oci'));
    expect(thrown(() => resolveImageArgument('./image.tar', 'registry')).message).toBe(
      'invalid image reference "./image.tar": expected [registry/]repository[:tag][@sha256:digest]',
    );
    expect(thrown(() => resolveImageArgument('docker://nginx', 'registry'))).toEqual(
      new StrataError('"docker://nginx" names a docker source, which contradicts --source registry'),
    );
    expect(parseSourceName('oci-archive')).toBe('oci-archive');
    expect(thrown(() => parseSourceName('s3'))).toEqual(
      new StrataError(
        'invalid --source "s3": expected one of archive, docker-archive, oci-archive, oci, registry, docker, podman',
      ),
    );
  });
});

describe('opening explicit archive sources', () => {
  it('reads docker-archive:, oci-archive: and oci:DIR[:tag]', async () => {
    const docker = await openImage(`docker-archive:${fixtures('formats', 'basic.docker25.tar')}`);
    const ociArchive = await openImage(`oci-archive:${fixtures('formats', 'basic.oci-archive.tar')}`);
    const ociDir = await openImage(`oci:${fixtures('formats', 'basic.oci-dir')}`);
    const tagged = await openImage(`oci:${fixtures('formats', 'basic.oci-dir')}:latest`);
    for (const index of [ociArchive, ociDir, tagged])
      expect(index.layers.map((l) => l.diffId)).toEqual(docker.layers.map((l) => l.diffId));
    expect(tagged.source).toBe('oci-dir');
    expect(tagged.manifestDigest).toBe(ociDir.manifestDigest);
  });

  it('says when the tag or the kind of path is wrong', async () => {
    const err = await failure(openImage(`oci:${fixtures('formats', 'basic.oci-dir')}:v9`));
    expect(err.message).toBe('no image tagged "v9" in the layout (it has strata/basic:latest)');
    expect((await failure(openImage(`oci:${fixtures('formats', 'basic.oci-archive.tar')}`))).message).toBe(
      'oci: expects an OCI layout directory, and this is not a directory',
    );
    expect((await failure(openImage(`docker-archive:${fixtures('formats', 'basic.oci-dir')}`))).message).toBe(
      'docker-archive: expects an archive file, and this is a directory',
    );
    expect((await failure(openImage('oci-archive:/nonexistent/x.tar'))).message).toBe('no such file or directory');
  });
});
