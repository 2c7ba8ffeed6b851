/**
 * The committed fixtures are exactly what scripts/generate-fixtures.ts writes (byte for byte), the
 * generator is deterministic, and the archives look right to an independent tar implementation
 * (GNU tar) — so the fixtures can be trusted as a cross-check of strata's own reader.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_DIRS, type GeneratedFile, generateFixtures } from '../../scripts/generate-fixtures.js';

const COMMITTED = fileURLToPath(new URL('../../fixtures/', import.meta.url));
const TAR_ENV = { ...process.env, LC_ALL: 'C.UTF-8' };

const sha256 = (b: Buffer): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;

/** Files under `root`/`sub` as sorted `/`-separated paths relative to `root`. */
function listFiles(root: string, sub = ''): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const name of readdirSync(join(root, rel)).sort()) {
      const child = rel ? `${rel}/${name}` : name;
      if (statSync(join(root, child)).isDirectory()) walk(child);
      else out.push(child);
    }
  };
  walk(sub);
  return out;
}

/** `tar -tvf` through GNU tar: one line per member, names printed literally. */
const tarVerbose = (archive: string): string[] =>
  execFileSync('tar', ['--quoting-style=literal', '-tvf', archive], { env: TAR_ENV, encoding: 'utf8', stdio: 'pipe' })
    .trimEnd()
    .split('\n');
const tarNames = (archive: string): string[] =>
  execFileSync('tar', ['--quoting-style=literal', '-tf', archive], { env: TAR_ENV, encoding: 'utf8', stdio: 'pipe' })
    .trimEnd()
    .split('\n');
const tarNamesOfBuffer = (tar: Buffer): string[] =>
  execFileSync('tar', ['--quoting-style=literal', '-tf', '-'], {
    env: TAR_ENV,
    input: tar,
    encoding: 'utf8',
    stdio: 'pipe',
  })
    .trimEnd()
    .split('\n');
const tarMember = (archive: string, member: string): Buffer =>
  execFileSync('tar', ['-xOf', archive, member], { env: TAR_ENV, maxBuffer: 64 * 1024 * 1024, stdio: 'pipe' });
const tarJson = (archive: string, member: string): any => JSON.parse(tarMember(archive, member).toString('utf8'));

let out: string;
let files: GeneratedFile[];
const fx = (rel: string): string => join(out, rel);

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'strata-fixtures-'));
  files = await generateFixtures(out);
}, 120_000);

afterAll(() => {
  if (out) rmSync(out, { recursive: true, force: true });
});

describe('fixture generator', () => {
  it('returns every file it wrote, sorted, with sizes', () => {
    const written = FIXTURE_DIRS.flatMap((d) => listFiles(out, d)).sort();
    expect(files.map((f) => f.path)).toEqual(written);
    for (const f of files) expect(statSync(fx(f.path)).size).toBe(f.size);
  });

  it('produced the committed fixtures/ byte for byte (regenerate with `npm run fixtures`)', () => {
    for (const dir of FIXTURE_DIRS) {
      expect(listFiles(COMMITTED, dir), `files under fixtures/${dir}`).toEqual(listFiles(out, dir));
    }
    const differing = files.filter((f) => !readFileSync(join(COMMITTED, f.path)).equals(readFileSync(fx(f.path))));
    expect(differing.map((f) => f.path)).toEqual([]);
  });

  it('is deterministic: a second run writes identical bytes', async () => {
    const again = mkdtempSync(join(tmpdir(), 'strata-fixtures-again-'));
    try {
      const second = await generateFixtures(again);
      expect(second).toEqual(files);
      for (const f of second)
        expect(readFileSync(join(again, f.path)).equals(readFileSync(fx(f.path))), f.path).toBe(true);
    } finally {
      rmSync(again, { recursive: true, force: true });
    }
  }, 120_000);

  it('stays within the size budget: all fixtures < 5 MB, demo.tar < 2 MB', () => {
    expect(files.reduce((s, f) => s + f.size, 0)).toBeLessThan(5 * 1024 * 1024);
    expect(statSync(fx('demo/demo.tar')).size).toBeLessThan(2 * 1024 * 1024);
  });
});

describe('formats/ as GNU tar sees them', () => {
  let expected: any;
  beforeAll(() => {
    expected = JSON.parse(readFileSync(fx('formats/expected.json'), 'utf8'));
  });

  it('legacy docker-archive: layer.tar members hash to the diffIds and hold the expected paths', () => {
    const archive = fx('formats/basic.docker-legacy.tar');
    const [manifest] = tarJson(archive, 'manifest.json');
    expect(manifest.RepoTags).toEqual(['strata/basic:latest']);
    const config = tarMember(archive, manifest.Config);
    expect(sha256(config)).toBe(expected.configDigest);
    expect(JSON.parse(config.toString('utf8')).rootfs.diff_ids).toEqual(expected.diffIds);
    manifest.Layers.forEach((path: string, i: number) => {
      const layer = tarMember(archive, path);
      expect(sha256(layer)).toBe(expected.diffIds[i]);
      const layerExpected = expected.layers[i];
      expect(layer.length).toBe(layerExpected.uncompressedSize);
      // GNU tar: names as written (./ kept, PAX names resolved), root entry included.
      const names = layer.length > 1024 ? tarNamesOfBuffer(layer) : [];
      expect(names.length).toBe(layerExpected.entryCount);
      const normalized = [
        ...new Set(
          names.map(
            (n) =>
              `/${n
                .split('/')
                .filter((s) => s && s !== '.')
                .join('/')}`,
          ),
        ),
      ]
        .filter((p) => p !== '/')
        .sort();
      expect(normalized).toEqual(layerExpected.paths);
    });
  });

  it('layer 0 and 1 carry the tricky entries: hardlink, devices, PAX and unicode names, setuid, duplicates', () => {
    const archive = fx('formats/basic.docker-legacy.tar');
    const [manifest] = tarJson(archive, 'manifest.json');
    const listing = (i: number): string =>
      execFileSync('tar', ['--quoting-style=literal', '-tvf', '-'], {
        env: TAR_ENV,
        input: tarMember(archive, manifest.Layers[i]),
        encoding: 'utf8',
      });
    const l0 = listing(0);
    expect(l0).toMatch(/^hrwxr-xr-x .* usr\/bin\/hello link to bin\/hello$/m);
    expect(l0).toMatch(/^crw-rw-rw- .* 1,3 .* dev\/null$/m);
    expect(l0).toMatch(/^prw------- .* run\/initctl$/m);
    expect(l0).toMatch(/^-rwsr-xr-x .* usr\/bin\/passwd$/m);
    expect(l0).toMatch(/ bin\/sh -> \/bin\/hello$/m);
    expect(l0).toMatch(/ usr\/bin\/sh -> \.\.\/\.\.\/bin\/sh$/m);
    expect(l0).toMatch(/ \.\/etc\/hostname$/m);
    expect(l0).toMatch(/\/this-file-name-is-longer-than-[^\n]*-pax\.txt$/m);
    const l1 = listing(1);
    expect(l1).toContain('srv/données/naïve-文件.txt');
    expect(l1.match(/ opt\/app\/config\.ini$/gm)).toHaveLength(2);
    expect(tarMember(archive, manifest.Layers[2]).equals(Buffer.alloc(1024))).toBe(true); // empty layer
  });

  it('compressed legacy archives decompress to the plain one', () => {
    const plain = readFileSync(fx('formats/basic.docker-legacy.tar'));
    expect(gunzipSync(readFileSync(fx('formats/basic.docker-legacy.tar.gz'))).equals(plain)).toBe(true);
    const unzstd = execFileSync('zstd', ['-dcq', fx('formats/basic.docker-legacy.tar.zst')], {
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(unzstd.equals(plain)).toBe(true);
  });

  it('podman docker-archive: <id>/layer.tar are symlinks to ../<diffid>.tar, manifest.json after every layer', () => {
    const archive = fx('formats/basic.docker-podman.tar');
    const lines = tarVerbose(archive);
    const names = tarNames(archive);
    const links = lines.filter((l) => l.startsWith('l'));
    expect(links).toHaveLength(expected.diffIds.length);
    for (const l of links) {
      const m = / ([0-9a-f]{64})\/layer\.tar -> \.\.\/([0-9a-f]{64}\.tar)$/.exec(l);
      expect(m, l).not.toBeNull();
      expect(names).toContain(m?.[2]);
    }
    const diffTars = expected.diffIds.map((d: string) => `${d.slice(7)}.tar`);
    expect(names.slice(0, diffTars.length)).toEqual(diffTars); // layers come first
    // podman writes manifest.json after all layers and config; only `repositories` follows it.
    expect(names.at(-2)).toBe('manifest.json');
    expect(names.at(-1)).toBe('repositories');
    const [manifest] = tarJson(archive, 'manifest.json');
    expect(manifest.Layers).toEqual(diffTars);
  });

  it('OCI archives: blobs in digest order, every blob hashes to its name, descriptors match', () => {
    for (const name of [
      'basic.oci-archive.tar',
      'basic.oci-zstd.tar',
      'basic.oci-plain.tar',
      'basic.docker25.tar',
      'multiarch.oci-archive.tar',
    ]) {
      const archive = fx(`formats/${name}`);
      const names = tarNames(archive);
      const blobs = names.filter((n) => /^blobs\/sha256\/[0-9a-f]{64}$/.test(n));
      expect(blobs, name).toEqual([...blobs].sort());
      expect(names.slice(0, 2)).toEqual(['blobs/', 'blobs/sha256/']);
      for (const b of blobs) expect(sha256(tarMember(archive, b)), `${name} ${b}`).toBe(`sha256:${b.slice(13)}`);
      expect(tarJson(archive, 'oci-layout')).toEqual({ imageLayoutVersion: '1.0.0' });
      const index = tarJson(archive, 'index.json');
      // Walk index → (nested index →) manifests → config + layers; every descriptor must resolve.
      const visit = (desc: any): void => {
        const path = `blobs/sha256/${desc.digest.slice(7)}`;
        expect(blobs, `${name}: ${desc.digest}`).toContain(path);
        const bytes = tarMember(archive, path);
        expect(bytes.length).toBe(desc.size);
        if (desc.mediaType === 'application/vnd.oci.image.index.v1+json')
          JSON.parse(bytes.toString('utf8')).manifests.forEach(visit);
        if (desc.mediaType === 'application/vnd.oci.image.manifest.v1+json') {
          const m = JSON.parse(bytes.toString('utf8'));
          [m.config, ...m.layers].forEach(visit);
        }
      };
      index.manifests.forEach(visit);
    }
  });

  it('OCI layer media types follow the compression', () => {
    const layerTypes = (name: string): string[] => {
      const archive = fx(`formats/${name}`);
      const [desc] = tarJson(archive, 'index.json').manifests;
      return tarJson(archive, `blobs/sha256/${desc.digest.slice(7)}`).layers.map((l: any) => l.mediaType);
    };
    expect(new Set(layerTypes('basic.oci-archive.tar'))).toEqual(
      new Set(['application/vnd.oci.image.layer.v1.tar+gzip']),
    );
    expect(new Set(layerTypes('basic.oci-zstd.tar'))).toEqual(new Set(['application/vnd.oci.image.layer.v1.tar+zstd']));
    expect(new Set(layerTypes('basic.oci-plain.tar'))).toEqual(new Set(['application/vnd.oci.image.layer.v1.tar']));
    const [desc] = tarJson(fx('formats/basic.oci-archive.tar'), 'index.json').manifests;
    expect(desc.annotations['org.opencontainers.image.ref.name']).toBe('strata/basic:latest');
  });

  it('oci-dir holds the same files as the gzip oci-archive', () => {
    const archive = fx('formats/basic.oci-archive.tar');
    const dirFiles = listFiles(fx('formats/basic.oci-dir'));
    expect(dirFiles).toEqual(
      tarNames(archive)
        .filter((n) => !n.endsWith('/'))
        .sort(),
    );
    for (const f of dirFiles)
      expect(readFileSync(fx(`formats/basic.oci-dir/${f}`)).equals(tarMember(archive, f)), f).toBe(true);
  });

  it('docker25 and kaniko: manifest.json paths resolve, gzip layers unpack to the same diffIds', () => {
    for (const name of ['basic.docker25.tar', 'basic.kaniko.tar']) {
      const archive = fx(`formats/${name}`);
      const [manifest] = tarJson(archive, 'manifest.json');
      expect(sha256(tarMember(archive, manifest.Config))).toBe(expected.configDigest);
      expect(manifest.Layers.map((p: string) => sha256(gunzipSync(tarMember(archive, p))))).toEqual(expected.diffIds);
    }
    const kaniko = fx('formats/basic.kaniko.tar');
    const [manifest] = tarJson(kaniko, 'manifest.json');
    expect(manifest.Config).toBe(expected.configDigest); // the member is literally named sha256:<hex>
    for (const p of manifest.Layers) expect(`${sha256(tarMember(kaniko, p)).slice(7)}.tar.gz`).toBe(p);
    expect(tarJson(fx('formats/basic.docker25.tar'), 'manifest.json')[0].Config).toMatch(
      /^blobs\/sha256\/[0-9a-f]{64}$/,
    );
  });

  it('multiarch: nested index with amd64 and arm64/v8 manifests', () => {
    const archive = fx('formats/multiarch.oci-archive.tar');
    const [top] = tarJson(archive, 'index.json').manifests;
    expect(top.mediaType).toBe('application/vnd.oci.image.index.v1+json');
    const nested = tarJson(archive, `blobs/sha256/${top.digest.slice(7)}`);
    expect(nested.manifests.map((m: any) => m.platform)).toEqual([
      { architecture: 'amd64', os: 'linux' },
      { architecture: 'arm64', os: 'linux', variant: 'v8' },
    ]);
  });
});

describe('cases/, bad/ and demo/ as GNU tar sees them', () => {
  it('every case is a 2-layer legacy docker-archive whose layers hash to the expected diffIds', () => {
    const { cases } = JSON.parse(readFileSync(fx('cases/expected.json'), 'utf8'));
    expect(Object.keys(cases).length).toBe(13);
    for (const [name, c] of Object.entries<any>(cases)) {
      const archive = fx(`cases/${c.file}`);
      const [manifest] = tarJson(archive, 'manifest.json');
      expect(
        manifest.Layers.map((p: string) => sha256(tarMember(archive, p))),
        name,
      ).toEqual(c.diffIds);
    }
    const [m] = tarJson(fx('cases/traversal.tar'), 'manifest.json');
    expect(tarNamesOfBuffer(tarMember(fx('cases/traversal.tar'), m.Layers[1]))).toEqual(['../../etc/x', './../etc/y']);
  });

  it('bad inputs are broken as described', () => {
    // GNU tar quietly takes a short last record for EOF, so check the cut itself: 256 bytes into
    // the header of a layer.tar member, with no end-of-archive marker before it.
    const cut = readFileSync(fx('bad/truncated-header.tar'));
    expect(cut.length % 512).toBe(256);
    expect(cut.subarray(cut.length - 256, cut.length - 256 + 100).toString('latin1')).toMatch(
      /^[0-9a-f]{64}\/layer\.tar\0/,
    );
    expect(cut.subarray(cut.length - 256 - 1024, cut.length - 256).equals(Buffer.alloc(1024))).toBe(false);
    expect(() => tarNames(fx('bad/truncated-data.tar'))).toThrow();
    expect(tarNames(fx('bad/not-an-image.tar'))).toEqual(['README.md']);
    expect(statSync(fx('bad/random.bin')).size).toBe(64 * 1024);
    expect(statSync(fx('bad/empty.bin')).size).toBe(0);
    expect(() => JSON.parse(readFileSync(fx('bad/config.json'), 'utf8'))).not.toThrow();
    expect(() => tarJson(fx('bad/broken-index.oci-archive.tar'), 'index.json')).toThrow(SyntaxError);

    const corrupt = fx('bad/corrupt-layer.tar');
    const [manifest] = tarJson(corrupt, 'manifest.json');
    const diffIds = tarJson(corrupt, manifest.Config).rootfs.diff_ids;
    expect(sha256(tarMember(corrupt, manifest.Layers[0]))).not.toBe(diffIds[0]);
    expect(sha256(tarMember(corrupt, manifest.Layers[1]))).toBe(diffIds[1]);

    const ociCorrupt = fx('bad/corrupt-layer.oci-archive.tar');
    const mismatched = tarNames(ociCorrupt)
      .filter((n) => /^blobs\/sha256\/[0-9a-f]{64}$/.test(n))
      .filter((n) => sha256(tarMember(ociCorrupt, n)) !== `sha256:${n.slice(13)}`);
    expect(mismatched).toHaveLength(1);

    const missing = fx('bad/missing-blob.oci-archive.tar');
    const [desc] = tarJson(missing, 'index.json').manifests;
    const layers = tarJson(missing, `blobs/sha256/${desc.digest.slice(7)}`).layers;
    const present = new Set(tarNames(missing));
    expect(layers.filter((l: any) => !present.has(`blobs/sha256/${l.digest.slice(7)}`))).toHaveLength(1);
  });

  it("demo.tar: 9 layers with the story's landmarks", () => {
    const archive = fx('demo/demo.tar');
    const [manifest] = tarJson(archive, 'manifest.json');
    expect(manifest.RepoTags).toEqual(['strata/demo:latest']);
    expect(manifest.Layers).toHaveLength(9);
    const config = tarJson(archive, manifest.Config);
    expect(config.config.Cmd).toEqual(['/opt/app/run.sh']);
    expect(Object.keys(config.config.ExposedPorts)).toEqual(['22/tcp', '8080/tcp']);
    expect(config.config.Healthcheck).toBeUndefined();
    expect(Buffer.from(config.config.Labels['com.example.compose'], 'base64').toString('utf8')).toMatch(/^services:/);
    expect(config.history.filter((h: any) => !h.empty_layer)).toHaveLength(9);
    const layer = (i: number): string =>
      execFileSync('tar', ['--quoting-style=literal', '-tvf', '-'], {
        env: TAR_ENV,
        input: tarMember(archive, manifest.Layers[i]),
        encoding: 'utf8',
      });
    expect(layer(0)).toMatch(/^-rwsr-xr-x .* usr\/bin\/passwd$/m);
    expect(layer(5)).toMatch(/ tmp\/\.wh\.seed\.sql$/m);
    expect(layer(6)).toMatch(/^-rw------- .* etc\/ssh\/sshd_config$/m);
    expect(layer(7)).toMatch(/ opt\/app\/config\/\.wh\.\.wh\.\.opq$/m);
    expect(layer(8)).toMatch(/^-rwsr-xr-x .* usr\/local\/bin\/suid-sh$/m);
  });
});
