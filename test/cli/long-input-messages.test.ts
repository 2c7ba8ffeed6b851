import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  buildImage,
  dockerLegacyArchive,
  ociArchiveBytes,
  ociLayoutFiles,
  ociIndex,
  ociImage,
  type ImageDef,
} from '../../scripts/fixtures/layouts.js';
import { archiveBytes, file, sha256, tarBytes } from '../../scripts/fixtures/tar.js';
import { errorLine } from '../../src/cli/main.js';
import { quoteInput } from '../../src/util/escape.js';
import { runCli } from '../helpers/cli.js';

const scratch = mkdtempSync(join(tmpdir(), 'strata-long-input-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Five megabytes of one string, with a terminal escape in it: what a hostile manifest may hold. */
const HUGE = `sha256:${'\x1b]0;pwned\x07'}${'a'.repeat(5 * 1024 * 1024)}`;

async function def(): Promise<ImageDef> {
  return {
    repoTag: 'long:latest',
    architecture: 'amd64',
    os: 'linux',
    created: '2024-06-01T12:00:00Z',
    runConfig: {},
    history: [{ createdBy: '/bin/sh -c true' }],
    layers: [await tarBytes([file('etc/a', 'a')])],
  };
}

function expectOneShortLine(stderr: string): void {
  const lines = stderr.split('\n').filter((l) => l !== '');
  expect(lines).toHaveLength(1);
  expect(Buffer.byteLength(lines[0]!)).toBeLessThanOrEqual(1000);
  expect(lines[0]).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
  expect(lines[0]).not.toMatch(/a{300}/);
}

async function write(name: string, bytes: Buffer): Promise<string> {
  const path = join(scratch, name);
  writeFileSync(path, bytes);
  return path;
}

describe('a huge string from the input is never echoed whole', () => {
  it('a 5 MB diff_id in the config', async () => {
    const d = await def();
    const img = buildImage(d);
    const config = JSON.parse(img.configBytes.toString()) as { rootfs: { diff_ids: string[] } };
    config.rootfs.diff_ids = [HUGE];
    const configBytes = Buffer.from(JSON.stringify(config));
    const archive = await dockerLegacyArchive({ ...img, configBytes, configDigest: sha256(configBytes) });
    for (const args of [[], ['--no-verify']]) {
      const r = await runCli(...args, await write('diff-id.tar', archive));
      expect(r.code).toBe(1);
      expectOneShortLine(r.stderr);
    }
  });

  it('a 5 MB Config in manifest.json', async () => {
    const archive = await archiveBytes([
      { name: 'manifest.json', data: JSON.stringify([{ Config: HUGE, RepoTags: ['x:y'], Layers: ['l.tar'] }]) },
      { name: 'l.tar', data: await tarBytes([file('a', 'a')]) },
    ]);
    const r = await runCli(await write('config-name.tar', archive));
    expect(r.code).toBe(1);
    expectOneShortLine(r.stderr);
  });

  it("a 5 MB digest in a layer's descriptor", async () => {
    const img = buildImage(await def());
    const oci = ociImage(img, 'none');
    const manifest = JSON.parse(oci.manifest.bytes.toString()) as { layers: Array<{ digest: string }> };
    manifest.layers[0]!.digest = HUGE;
    const bytes = Buffer.from(JSON.stringify(manifest));
    const blob = { digest: sha256(bytes), bytes };
    const index = ociIndex([{ mediaType: oci.manifestDescriptor.mediaType, digest: blob.digest, size: bytes.length }]);
    const archive = await ociArchiveBytes(ociLayoutFiles([oci.config, ...oci.layers, blob], index));
    const r = await runCli(await write('descriptor.tar', archive));
    expect(r.code).toBe(1);
    expectOneShortLine(r.stderr);
  });

  it("a 5 MB digest in index.json's descriptor", async () => {
    const img = buildImage(await def());
    const oci = ociImage(img, 'none');
    const index = ociIndex([{ mediaType: oci.manifestDescriptor.mediaType, digest: HUGE, size: 10 }]);
    const archive = await ociArchiveBytes(ociLayoutFiles([oci.config, ...oci.layers, oci.manifest], index));
    const r = await runCli(await write('index-descriptor.tar', archive));
    expect(r.code).toBe(1);
    expectOneShortLine(r.stderr);
  });
});

describe('messages', () => {
  it('quote input cut to 200 characters with …, escaped', () => {
    expect(quoteInput('abc')).toBe('abc');
    expect(quoteInput('a\x1bb')).toBe('a\\x1bb');
    const cut = quoteInput('x'.repeat(5_000_000));
    expect([...cut]).toHaveLength(200);
    expect(cut.endsWith('…')).toBe(true);
    expect(quoteInput('x'.repeat(200))).toBe('x'.repeat(200));
    expect(quoteInput(`${'x'.repeat(198)}\x1b`)).toBe(`${'x'.repeat(198)}…`);
  });

  it('are one line of at most 1,000 bytes, whatever they hold', () => {
    for (const message of [HUGE, '€'.repeat(2000), `a\n\nb\r\nc\x1b[2J${'\x9b'.repeat(600)}`]) {
      const line = errorLine(message);
      expect(line.endsWith('\n')).toBe(true);
      expect(line.slice(0, -1)).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
      expect(Buffer.byteLength(line.slice(0, -1))).toBeLessThanOrEqual(1000);
    }
  });
});
