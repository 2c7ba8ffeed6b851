/**
 * A directory's size field is ignored, as GNU tar does: no data follows a directory's header, the
 * next header does. Every reader must agree, whatever the transport: a layer streamed (gzip, zstd,
 * plain from stdin, inside a whole-compressed archive) once waited forever for the directory's data,
 * and the process exited 13 with nothing said.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import {
  buildImage,
  dockerPodmanArchive,
  ociArchiveBytes,
  ociSingleImageFiles,
} from '../../scripts/fixtures/layouts.js';
import { indexLayerRange } from '../../src/layers/fast/range-indexer.js';
import { indexLayerBlob } from '../../src/layers/indexer.js';
import { END, header, member } from '../helpers/raw-tar.js';
import { repoRoot } from '../helpers/paths.js';

const scratch = mkdtempSync(join(tmpdir(), 'strata-dirsize-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** 4096 is what some tools write for a directory; the other is the largest 11-digit octal size. */
const SIZES = [4096, 0o77777777777];

/** A layer whose directory header claims `size` bytes, though the next header follows at once. */
function layerWithSizedDirectory(size: number): Buffer {
  return Buffer.concat([
    header({ name: 'etc/', type: '5', size, mode: 0o755 }),
    member({ name: 'etc/hello' }, 'hello\n'),
    header({ name: 'var/', type: '5', size, mode: 0o755 }),
    END,
    // Past the end marker (an estargz table of contents, say): never listed.
    member({ name: 'after-the-end' }, 'toc'),
    END,
  ]);
}

const strata = (args: string[], input?: Buffer) =>
  spawnSync(process.execPath, [join(repoRoot, 'bin/strata.js'), '--no-cache', ...args], {
    input,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });

describe('a directory with a size in its header', () => {
  it.each(SIZES)('is read in every transport, to the same entries (size %d)', async (size) => {
    const layer = layerWithSizedDirectory(size);
    const img = buildImage({
      repoTag: 'dirsize:1',
      architecture: 'amd64',
      os: 'linux',
      created: '2024-06-01T12:00:00Z',
      runConfig: {},
      history: [{ createdBy: 'ADD etc /etc' }],
      layers: [layer],
    });
    const docker = await dockerPodmanArchive(img);
    const inputs: Array<[string, string[], Buffer?]> = [['docker-archive on stdin', ['-'], docker]];
    for (const compression of ['gzip', 'zstd', 'none'] as const) {
      const file = join(scratch, `${size}-${compression}.oci-archive.tar`);
      writeFileSync(file, await ociArchiveBytes(ociSingleImageFiles(img, compression).files));
      inputs.push([`oci-archive, ${compression} layer`, [file]]);
    }
    const gzipped = join(scratch, `${size}.docker-archive.tar.gz`);
    writeFileSync(gzipped, gzipSync(docker));
    inputs.push(['docker-archive gzipped whole', [gzipped]]);

    for (const [what, args, input] of inputs) {
      const r = strata(['--json', ...args], input);
      expect({ what, code: r.status, stderr: r.stderr }).toEqual({ what, code: 0, stderr: '' });
      const files = (JSON.parse(r.stdout) as { layers: Array<{ files: Array<{ path: string; size: number }> }> })
        .layers[0]!.files;
      expect(files.map((f) => [f.path, f.size])).toEqual([
        ['/etc', 0],
        ['/etc/hello', 6],
        ['/var', 0],
      ]);
      const ci = strata(['ci', ...args], input);
      expect({ what, code: ci.status }).toEqual({ what, code: 0 });
    }
  });

  it.each(SIZES)('gives the same index streamed and in place, the size ignored (size %d)', async (size) => {
    const layer = layerWithSizedDirectory(size);
    const file = join(scratch, `layer-${size}.tar`);
    writeFileSync(file, layer);
    const streamed = await indexLayerBlob(Readable.from([gzipSync(layer)]), { hash: true });
    const inPlace = await indexLayerRange(file, 0, layer.length, { hash: true });
    expect(streamed.entries.map((e) => [e.path, e.type, e.size])).toEqual([
      ['/etc', 'dir', 0],
      ['/etc/hello', 'file', 6],
      ['/var', 'dir', 0],
    ]);
    expect(streamed.entryCount).toBe(3);
    // dive's layer size sums the entries' sizes: a directory adds nothing.
    expect(streamed.headerSizeTotal).toBe(6);
    expect({ ...inPlace, digest: '', compression: '', compressedSize: 0 }).toStrictEqual({
      ...streamed,
      digest: '',
      compression: '',
      compressedSize: 0,
    });
  });
});
