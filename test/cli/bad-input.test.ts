import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openImage } from '../../src/image/open.js';
import { runCli } from '../helpers/cli.js';
import { fixtures } from '../helpers/paths.js';

const scratch = mkdtempSync(join(tmpdir(), 'strata-bad-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Every bad input: exit 1, exactly one line on stderr naming the file, nothing on stdout, no stack trace. */
const cases: Array<[file: string, message: RegExp]> = [
  ['not-an-image.tar', /not a container image: no manifest\.json or index\.json \(it holds README\.md\)/],
  ['truncated-header.tar', /truncated archive/],
  ['truncated-data.tar', /truncated archive/],
  ['random.bin', /not an image archive: neither a tar nor gzip or zstd data/],
  ['empty.bin', /empty file/],
  ['config.json', /a JSON document, not an image archive/],
  ['corrupt-layer.tar', /layer 0 \(.*\/layer\.tar\) does not match the config's diff_id sha256:[0-9a-f]{64}/],
  ['corrupt-layer.oci-archive.tar', /layer 0 \(sha256:[0-9a-f]{64}\) does not match its digest/],
  ['missing-blob.oci-archive.tar', /layer blob sha256:[0-9a-f]{64} is missing/],
  ['broken-index.oci-archive.tar', /index\.json is not valid JSON/],
];

describe('bad input gives one clear line and exit 1', () => {
  it.each(cases)('%s', async (file, message) => {
    const path = fixtures('bad', file);
    const r = await runCli(path);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`strata: ${path}: `);
    expect(lines[0]).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('a gzip stream cut short is a truncated archive', async () => {
    const full = fixtures('formats/basic.docker-legacy.tar.gz');
    const cut = join(scratch, 'cut.tar.gz');
    const { readFileSync } = await import('node:fs');
    writeFileSync(cut, readFileSync(full).subarray(0, 4000));
    const r = await runCli(cut);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/truncated/);
  });

  it('--no-verify reads a corrupt layer, reporting what the image claims', async () => {
    const image = await openImage(fixtures('bad/corrupt-layer.oci-archive.tar'), { verify: false });
    expect(image.verified).toBe(false);
    expect(image.layers[0]!.digest).toBe(image.layers[0]!.digest.toLowerCase());
    expect(image.layers).toHaveLength(4);
  });

  it('reads a path-traversal entry safely, clamped at the root', async () => {
    // Copied first: tests never depend on writing next to the fixtures.
    const copy = join(scratch, 'traversal.tar');
    copyFileSync(fixtures('cases/traversal.tar'), copy);
    const image = await openImage(copy);
    const paths = image.layers.flatMap((l) => l.entries.map((e) => e.path));
    expect(paths).toContain('/etc/x');
    expect(paths.some((p) => p.includes('..'))).toBe(false);
  });
});

describe('a layer blob that looks like a document', () => {
  it('fails with a worded error naming the layer, in the seekable and the streamed reader', async () => {
    const { createHash } = await import('node:crypto');
    const { gzipSync } = await import('node:zlib');
    const { buildTar } = await import('../helpers/tar.js');
    const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    const layer = Buffer.from('{"this is": "not a tar"}');
    const config = Buffer.from(
      JSON.stringify({
        architecture: 'amd64',
        os: 'linux',
        rootfs: { type: 'layers', diff_ids: [`sha256:${sha(layer)}`] },
      }),
    );
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: {
          mediaType: 'application/vnd.oci.image.config.v1+json',
          digest: `sha256:${sha(config)}`,
          size: config.length,
        },
        layers: [
          { mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: `sha256:${sha(layer)}`, size: layer.length },
        ],
      }),
    );
    const index = JSON.stringify({
      schemaVersion: 2,
      manifests: [
        {
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          digest: `sha256:${sha(manifest)}`,
          size: manifest.length,
        },
      ],
    });
    const archive = await buildTar([
      { name: 'oci-layout', content: '{"imageLayoutVersion":"1.0.0"}' },
      { name: 'index.json', content: index },
      ...[layer, config, manifest].map((b) => ({ name: `blobs/sha256/${sha(b)}`, content: b })),
    ]);
    for (const [file, bytes] of [
      ['document-layer.tar', archive],
      ['document-layer.tar.gz', gzipSync(archive)],
    ] as const) {
      const path = join(scratch, file);
      writeFileSync(path, bytes);
      const r = await runCli(path);
      expect(r.code, file).toBe(1);
      expect(r.stderr, file).toMatch(
        new RegExp(
          `^strata: ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: layer blobs/sha256/[0-9a-f]{64}: ` +
            '(not a tar archive|truncated)',
        ),
      );
      expect(r.stderr, file).not.toMatch(/internal error/);
    }
  });
});

describe('an OCI layout directory whose blob is not a regular file', () => {
  it('refuses a FIFO in one line instead of waiting forever for a writer', async () => {
    const { cpSync, readdirSync } = await import('node:fs');
    const { execFileSync } = await import('node:child_process');
    const layout = join(scratch, 'fifo-layout');
    cpSync(fixtures('formats', 'basic.oci-dir'), layout, { recursive: true });
    const blobs = join(layout, 'blobs', 'sha256');
    // Every blob a FIFO: whichever one strata opens first (a document or a layer) must be refused.
    for (const blob of readdirSync(blobs)) {
      rmSync(join(blobs, blob));
      execFileSync('mkfifo', [join(blobs, blob)]);
    }
    const r = await runCli('--json', layout);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^strata: .*blobs\/sha256\/[0-9a-f]{64} is not a regular file\n$/);
  });
});

describe('a manifest.json whose first image is not an object', () => {
  it.each(['[null]', '[1]', '["x"]', '[[]]'])('%s is refused in one line', async (manifest) => {
    const { buildTar } = await import('../helpers/tar.js');
    const path = join(scratch, 'manifest-not-object.tar');
    writeFileSync(path, await buildTar([{ name: 'manifest.json', content: manifest }]));
    const r = await runCli('--json', path);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`strata: ${path}: manifest.json: its first image is not an object\n`);
  });
});
