import type { ImageIndex, ImageLayer } from '../src/image/types.js';
import type { TarEntry } from '../src/layers/types.js';
import { Prng } from './prng.js';

/**
 * A string as the reader holds one: decoded from bytes, so flat and standalone. A template literal
 * is a rope of its pieces, and a `slice` a view that keeps its whole parent alive: held 400k times,
 * they made this index 470 bytes an entry against 219 as read (a real image's: 261, files50k).
 */
const asRead = (text: string): string => Buffer.from(text, 'latin1').toString('latin1');

/**
 * A realistic shape: a dozen top-level trees, directories of a few dozen entries, most files in
 * the first layer, and later layers that add, rewrite (2%) and delete (0.5%) earlier files.
 */
export function generatedImage(files: number, layerCount: number, seed = 7): ImageIndex {
  const prng = new Prng(seed);
  const random = (): number => prng.float();
  const tops = ['usr', 'etc', 'var', 'opt', 'lib', 'srv', 'home', 'app', 'data', 'node_modules', 'share', 'tmp'];
  // A layer installs into a few places of its own (as a package step does), not all over the tree.
  const home = new Int32Array(files);
  const pathOf = (i: number): string => {
    const layer = home[i]!;
    return asRead(
      `/${tops[(layer + (i % 3)) % tops.length]}/pkg-${layer}-${(i >> 5) % 40}/mod-${(i >> 3) % 7}/file-` +
        `${i}.${['js', 'py', 'txt', 'so', 'json'][i % 5]}`,
    );
  };
  const layerFiles: number[][] = Array.from({ length: layerCount }, () => []);
  for (let i = 0; i < files; i++) {
    const layer = random() < 0.45 ? 0 : 1 + Math.floor(random() * (layerCount - 1));
    home[i] = layer;
    layerFiles[layer]!.push(i);
  }
  const shipped: number[] = [];
  const layers: ImageLayer[] = layerFiles.map((ids, index) => {
    const entries: TarEntry[] = [];
    const dirs = new Set<string>();
    const addDirs = (path: string): void => {
      for (let cut = path.indexOf('/', 1); cut > 0; cut = path.indexOf('/', cut + 1)) {
        const dir = path.slice(0, cut);
        if (!dirs.has(dir)) {
          dirs.add(dir);
          entries.push({ path: asRead(dir), type: 'dir', size: 0, mode: 0o755, uid: 0, gid: 0 });
        }
      }
    };
    const file = (i: number, version: number): TarEntry => ({
      path: pathOf(i),
      type: 'file',
      size: Math.floor(200 + random() * 20_000),
      mode: 0o644,
      uid: 0,
      gid: 0,
      hash: asRead(`${i.toString(16)}v${version}`.padStart(16, '0')),
      // A file's first 64 bytes, distinct per file and version, as the reader keeps them.
      head: asRead(`// file ${i} version ${version}: ${'x'.repeat(64)}`.slice(0, 64)),
    });
    if (index > 0) {
      for (let k = 0; k < shipped.length * 0.02; k++) {
        const i = shipped[Math.floor(random() * shipped.length)]!;
        addDirs(pathOf(i));
        entries.push(file(i, index));
      }
      for (let k = 0; k < shipped.length * 0.005; k++) {
        const i = shipped[Math.floor(random() * shipped.length)]!;
        addDirs(pathOf(i));
        entries.push({ path: pathOf(i), type: 'file', size: 0, mode: 0o644, uid: 0, gid: 0, whiteout: 'file' });
      }
    }
    for (const i of ids) {
      addDirs(pathOf(i));
      entries.push(file(i, 0));
    }
    shipped.push(...ids);
    const digest = `sha256:${index.toString(16).padStart(64, '0')}`;
    return {
      index,
      digest,
      diffId: digest,
      mediaType: 'application/vnd.oci.image.layer.v1.tar',
      compression: 'none',
      compressedSize: 0,
      uncompressedSize: 0,
      entryCount: entries.length,
      headerSizeTotal: entries.reduce((n, e) => n + e.size, 0),
      entries,
      command: index === 0 ? 'ADD rootfs.tar /' : `/bin/sh -c step ${index}`,
      created: '2026-01-01T00:00:00Z',
    };
  });
  return {
    source: 'oci-archive',
    reference: `generated:${files}x${layerCount}`,
    manifestDigest: null,
    configDigest: 'sha256:generated',
    verified: true,
    layers,
    config: {
      os: 'linux',
      architecture: 'amd64',
      created: '2026-01-01T00:00:00Z',
      user: '',
      labels: {},
      env: [],
      cmd: null,
      entrypoint: null,
      workingDir: '',
      exposedPorts: [],
      healthcheck: null,
      history: [],
      diffIds: layers.map((l) => l.diffId),
    },
  };
}
