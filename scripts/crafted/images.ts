/**
 * Crafted images: what mutating the fixtures does not reach. Each comes with the outcome strata must
 * give (test/cli/crafted-images.test.ts runs them; `npm run crafted -- DIR` writes them for a look).
 * Built with the fixture generator's helpers (scripts/fixtures/), so they do not share code with the
 * reader they test.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  buildImage,
  descriptorOf,
  dockerLegacyArchive,
  MEDIA,
  ociArchiveBytes,
  ociIndex,
  ociLayoutFiles,
  ociSingleImageFiles,
  type Blob,
} from '../fixtures/layouts.js';
import { type EntrySpec, dir, file, hardlink, sha256, symlink, tarBytes } from '../fixtures/tar.js';
import { type BigLayer, gzipZeroBomb, manyEntriesLayer, zstdZeroBomb } from './streams.js';

/** What strata must do with an image: always within the contract of scripts/fuzz/contract.ts. */
export type Outcome =
  /**
   * Exit 0 with a report; `check` returns what is wrong with the JSON report, or null. `checkText`
   * does so on the JSON's text, for a report too big to parse in a test (a million entries).
   */
  | { kind: 'ok'; check?: (report: JsonReport) => string | null; checkText?: (json: string) => string | null }
  /** Exit 1 with one line matching `message`. */
  | { kind: 'refused'; message: RegExp }
  /** Either, as long as the contract holds (a bomb may be read whole or refused). */
  | { kind: 'ok-or-refused' };

export interface CraftedImage {
  name: string;
  what: string;
  outcome: Outcome;
  /** Also run `report` (text and markdown): for images whose text reaches the terminal. */
  textReports?: boolean;
  /** Peak RSS allowed, in MB, when it matters (bombs, huge layers); else the fuzzer's runaway limit. */
  maxRssMb?: number;
  /** Many seconds even on an idle machine: the suite still runs it, with a hang limit to match. */
  heavy?: boolean;
  /** A defect of issue 17 another change fixes: the test expects the contract broken until it lands. */
  knownDefect?: string;
  /** Writes the image under `dir`; returns the path to give strata. */
  write(dir: string): Promise<string>;
}

export interface JsonReport {
  image: { user: string; labels: Record<string, string>; env: string[]; layerCount: number };
  layers: Array<{ entries: number; files: Array<{ path: string; type: string }> }>;
}

const CREATED = '2024-06-01T12:00:00Z';
const MIB = 1024 * 1024;

function save(path: string, bytes: Buffer): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, bytes);
  return path;
}

interface Spec {
  layers: EntrySpec[][];
  runConfig?: Record<string, unknown>;
  createdBy?: (i: number) => string;
}

/** A docker-archive (docker save before v25) of small layers. */
async function legacyArchive(path: string, name: string, spec: Spec): Promise<string> {
  const tars = [];
  for (const entries of spec.layers) tars.push(await tarBytes(entries));
  const img = buildImage({
    repoTag: `crafted/${name}:latest`,
    architecture: 'amd64',
    os: 'linux',
    created: CREATED,
    runConfig: spec.runConfig ?? {},
    history: tars.map((_, i) => ({ createdBy: spec.createdBy?.(i) ?? `/bin/sh -c step-${i}` })),
    layers: tars,
  });
  return save(path, await dockerLegacyArchive(img));
}

/** An oci-archive of layers made elsewhere (too big to pass through the fixture builder whole). */
async function ociArchiveOf(path: string, layers: Array<BigLayer & { mediaType: string }>): Promise<string> {
  const config = Buffer.from(
    JSON.stringify({
      created: CREATED,
      architecture: 'amd64',
      os: 'linux',
      config: {},
      rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
      history: layers.map((_, i) => ({ created: CREATED, created_by: `/bin/sh -c big-${i}` })),
    }),
  );
  const configBlob: Blob = { digest: sha256(config), bytes: config };
  const layerBlobs = layers.map((l) => ({ digest: sha256(l.blob), bytes: l.blob, mediaType: l.mediaType }));
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MEDIA.manifest,
      config: descriptorOf(MEDIA.config, configBlob),
      layers: layerBlobs.map((l) => descriptorOf(l.mediaType, l)),
    }),
  );
  const manifestBlob: Blob = { digest: sha256(manifest), bytes: manifest };
  const index = ociIndex([descriptorOf(MEDIA.manifest, manifestBlob)]);
  return save(path, await ociArchiveBytes(ociLayoutFiles([configBlob, ...layerBlobs, manifestBlob], index)));
}

/** An OCI layout directory of one small image, for images that need a file system (links, FIFOs). */
async function ociDirectory(path: string, entries: EntrySpec[]): Promise<{ path: string; layerBlob: string }> {
  const tar = await tarBytes(entries);
  const img = buildImage({
    repoTag: 'crafted/dir:latest',
    architecture: 'amd64',
    os: 'linux',
    created: CREATED,
    runConfig: {},
    history: [{ createdBy: '/bin/sh -c step' }],
    layers: [tar],
  });
  const { files, oci } = ociSingleImageFiles(img, 'gzip');
  rmSync(path, { recursive: true, force: true });
  for (const f of files) save(join(path, f.path), f.data);
  save(join(path, 'oci-layout'), Buffer.from('{"imageLayoutVersion":"1.0.0"}'));
  return { path, layerBlob: join(path, 'blobs', 'sha256', oci.layers[0]!.digest.replace('sha256:', '')) };
}

const allPaths = (r: JsonReport): string[] => r.layers.flatMap((l) => l.files.map((f) => f.path));

/** Escapes that would retitle, clear or recolour a terminal, and C1 and DEL characters. */
const HOSTILE = ['\x1b]0;pwned\x07', '\x1b[2J\x1b[H', '\x1b[31m', '\u009b1m', '\x7f', '\r'];

export const CRAFTED: readonly CraftedImage[] = [
  {
    name: 'traversal-names',
    what: 'entries named ../../../etc/evil, /abs/file and a/../../../b, a symlink and a hardlink pointing out',
    outcome: {
      kind: 'ok',
      check: (r) => {
        const bad = allPaths(r).filter((p) => !p.startsWith('/') || p.split('/').includes('..'));
        return bad.length ? `paths not clamped to the root: ${bad.join(', ')}` : null;
      },
    },
    write: (dirPath) =>
      legacyArchive(join(dirPath, 'traversal-names.tar'), 'traversal-names', {
        layers: [
          [
            file('../../../etc/evil', 'evil\n'),
            file('/abs/file', 'abs\n'),
            file('a/../../../b', 'b\n'),
            file('./../x', 'x\n'),
            symlink('out', '../../../../etc/shadow'),
            hardlink('hl', '../../etc/passwd'),
          ],
        ],
      }),
  },
  {
    name: 'link-loops',
    what: 'symlink cycles (a→b→a, self→self, loop→.), a hardlink to itself, to a later entry and to nothing',
    outcome: { kind: 'ok' },
    write: (dirPath) =>
      legacyArchive(join(dirPath, 'link-loops.tar'), 'link-loops', {
        layers: [
          [
            dir('d'),
            symlink('d/a', 'b'),
            symlink('d/b', 'a'),
            symlink('self', 'self'),
            symlink('d/loop', '.'),
            symlink('d/up', '..'),
            hardlink('hself', 'hself'),
            hardlink('early', 'late'),
            file('late', 'late\n'),
            hardlink('dangling', 'nowhere'),
          ],
          [symlink('d/a', 'd/a'), hardlink('late2', 'early')],
        ],
      }),
  },
  {
    name: 'gzip-bomb',
    what: 'a gzip layer of one 2 GiB file of zeros (about 2 MB of gzip)',
    outcome: { kind: 'ok-or-refused' },
    maxRssMb: 1024,
    heavy: true,
    write: (dirPath) =>
      ociArchiveOf(join(dirPath, 'gzip-bomb.tar'), [{ ...gzipZeroBomb(2048 * MIB), mediaType: MEDIA.layer.gzip }]),
  },
  {
    name: 'zstd-bomb',
    what: 'a zstd layer of one 2 GiB file of zeros in 64 KiB of RLE blocks',
    outcome: { kind: 'ok-or-refused' },
    maxRssMb: 1024,
    heavy: true,
    write: (dirPath) =>
      ociArchiveOf(join(dirPath, 'zstd-bomb.tar'), [{ ...zstdZeroBomb(2048 * MIB), mediaType: MEDIA.layer.zstd }]),
  },
  {
    name: 'deep-path',
    what: 'a file 16,000 directories deep (a PAX path of 32 KB)',
    outcome: { kind: 'ok', check: (r) => (allPaths(r).some((p) => p.endsWith('/leaf')) ? null : 'no /…/leaf') },
    write: (dirPath) =>
      legacyArchive(join(dirPath, 'deep-path.tar'), 'deep-path', {
        layers: [[file(`${'a/'.repeat(16_000)}leaf`, 'deep\n')]],
      }),
  },
  {
    name: 'long-names',
    what: 'a 10,000-character file name, a 1 MB path, a 4,000-character symlink target',
    outcome: {
      kind: 'ok',
      check: (r) => (allPaths(r).some((p) => p.length >= 1_000_000) ? null : 'the 1 MB path is missing'),
    },
    write: (dirPath) =>
      legacyArchive(join(dirPath, 'long-names.tar'), 'long-names', {
        layers: [
          [
            file('n'.repeat(10_000), 'long name\n'),
            file(`${`${'p'.repeat(250)}/`.repeat(4000)}end`, 'long path\n'),
            symlink('s', 't'.repeat(4000)),
          ],
        ],
      }),
  },
  ...(['label', 'env'] as const).map(
    (where): CraftedImage => ({
      name: `huge-${where}`,
      what: `a 5 MB ${where === 'label' ? 'label' : 'ENV value'} of letters (a secret pattern was quadratic on it)`,
      outcome: {
        kind: 'ok',
        check: (r) => {
          const whole =
            where === 'label' ? r.image.labels.big?.length === 5 * MIB : r.image.env[0]?.length === 4 + 5 * MIB;
          return whole ? null : `the 5 MB ${where} is not reported whole`;
        },
      },
      knownDefect: 'issue 17 #2 (quadratic regex)',
      write: (dirPath) =>
        legacyArchive(join(dirPath, `huge-${where}.tar`), `huge-${where}`, {
          layers: [[file('f', 'f\n')]],
          runConfig:
            where === 'label' ? { Labels: { big: 'a'.repeat(5 * MIB) } } : { Env: [`BIG=${'A'.repeat(5 * MIB)}`] },
        }),
    }),
  ),
  {
    name: 'control-characters',
    what: 'terminal escapes, C1 and DEL in file names, a label, ENV, history and USER',
    outcome: {
      kind: 'ok',
      check: (r) => (r.image.user.includes('\x1b') ? null : 'USER lost its escape in JSON (it must be escaped)'),
    },
    textReports: true,
    write: (dirPath) =>
      legacyArchive(join(dirPath, 'control-characters.tar'), 'control-characters', {
        layers: [[dir('etc'), ...HOSTILE.map((h, i) => file(`etc/name${i}${h}end`, 'x\n', 0o4755))]],
        runConfig: {
          User: `root${HOSTILE[0]}`,
          Labels: { title: `x${HOSTILE.join('')}y` },
          Env: [`PS1=${HOSTILE[1]}`, `PASSWORD=${HOSTILE[2]}secret`],
        },
        createdBy: () => `/bin/sh -c echo ${HOSTILE.join('')}`,
      }),
  },
  {
    name: 'thousands-of-layers',
    what: '2,000 layers of one file each',
    outcome: { kind: 'ok', check: (r) => (r.image.layerCount === 2000 ? null : `${r.image.layerCount} layers`) },
    write: (dirPath) =>
      legacyArchive(join(dirPath, 'thousands-of-layers.tar'), 'thousands-of-layers', {
        layers: Array.from({ length: 2000 }, (_, i) => [file(`f/${i % 50}`, `${i}\n`)]),
      }),
  },
  {
    name: 'million-entries',
    what: 'one gzip layer of 1,000,000 empty files in 1,000 directories (512 MB of tar), made at test time',
    outcome: {
      kind: 'ok',
      checkText: (json) => (/"entries": 1001000,/.test(json) ? null : 'the layer does not have 1,001,000 entries'),
    },
    heavy: true,
    write: (dirPath) =>
      ociArchiveOf(join(dirPath, 'million-entries.tar'), [
        { ...manyEntriesLayer(1_000_000), mediaType: MEDIA.layer.gzip },
      ]),
  },
  {
    name: 'layout-blob-dev-zero',
    what: 'an OCI layout directory whose layer blob is a symlink to /dev/zero',
    outcome: { kind: 'refused', message: /layer|blob|size|regular/ },
    maxRssMb: 1024,
    write: async (dirPath) => {
      const { path, layerBlob } = await ociDirectory(join(dirPath, 'layout-blob-dev-zero'), [file('f', 'f\n')]);
      rmSync(layerBlob);
      symlinkSync('/dev/zero', layerBlob);
      return path;
    },
  },
  {
    name: 'layout-blob-fifo',
    what: 'an OCI layout directory whose layer blob is a FIFO nobody writes to',
    outcome: { kind: 'refused', message: /layer|blob|regular/ },
    write: async (dirPath) => {
      const { path, layerBlob } = await ociDirectory(join(dirPath, 'layout-blob-fifo'), [file('f', 'f\n')]);
      rmSync(layerBlob);
      execFileSync('mkfifo', [layerBlob]);
      return path;
    },
  },
];
