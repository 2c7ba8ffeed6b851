import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeImage } from '../../src/analysis/analyze.js';
import { openImage } from '../../src/image/open.js';
import type { ImageIndex } from '../../src/image/types.js';
import { type NaiveState, naiveStack } from '../helpers/layers.js';
import { hasShared, shared } from '../helpers/paths.js';

type Filesystem = Map<string, NaiveState>;
const text = (fs: Filesystem, path: string) => {
  const content = fs.get(path)?.piece?.content;
  return content === undefined ? undefined : Buffer.from(content).toString('utf8');
};

/** dpkg's installed packages, read with nothing but a regular expression per paragraph. */
function installed(fs: Filesystem): Map<string, { version: string; arch: string }> {
  const found = new Map<string, { version: string; arch: string }>();
  for (const paragraph of (text(fs, '/var/lib/dpkg/status') ?? '').split(/\n\n+/)) {
    const field = (name: string) => new RegExp(`^${name}: (.*)$`, 'm').exec(paragraph)?.[1] ?? '';
    if (!/ installed$/.test(field('Status'))) continue;
    found.set(field('Package'), { version: field('Version'), arch: field('Architecture') });
  }
  return found;
}

/** Follows symlinked directories one component at a time, as a shell would. */
function resolveParents(fs: Filesystem, path: string): string {
  const parts = path.split('/').filter(Boolean);
  let at = '';
  for (let i = 0; i < parts.length; i++) {
    const next = `${at}/${parts[i]}`;
    const state = fs.get(next);
    if (i < parts.length - 1 && state?.type === 'symlink' && state.linkTarget) {
      const target = state.linkTarget.startsWith('/') ? state.linkTarget : `${at}/${state.linkTarget}`;
      return resolveParents(fs, [target, ...parts.slice(i + 1)].join('/'));
    }
    at = next;
  }
  return at;
}

function expectedPackages(image: ImageIndex) {
  const { filesystems } = naiveStack(image.layers);
  const final = filesystems[filesystems.length - 1]!;
  const claimed = new Set<unknown>();
  const bytes = new Map<string, { bytes: number; files: number; version: string }>();
  for (const [name, { version, arch }] of installed(final)) {
    const list =
      text(final, `/var/lib/dpkg/info/${name}:${arch}.list`) ?? text(final, `/var/lib/dpkg/info/${name}.list`);
    let total = 0;
    let files = 0;
    for (const listed of (list ?? '').split('\n').filter((line) => line.startsWith('/'))) {
      const state = final.get(resolveParents(final, listed));
      if (state === undefined || state.piece === null) continue;
      files++;
      if (!claimed.has(state.piece)) {
        claimed.add(state.piece);
        total += state.size;
      }
    }
    bytes.set(name, { bytes: total, files, version });
  }
  const layers = filesystems.map((fs, i) => {
    const before = i === 0 ? new Map() : installed(filesystems[i - 1]!);
    const now = installed(fs);
    return {
      added: [...now.keys()].filter((n) => !before.has(n)).sort(),
      removed: [...before.keys()].filter((n) => !now.has(n)).sort(),
      upgraded: [...now.keys()].filter((n) => before.has(n) && before.get(n).version !== now.get(n)!.version).sort(),
    };
  });
  return { bytes, layers, final };
}

describe.skipIf(!hasShared)('packages of a real Debian image (wasteful)', () => {
  let image: ImageIndex;
  let analysis: ReturnType<typeof analyzeImage>;
  beforeAll(async () => {
    image = await openImage(shared('images/wasteful.oci-archive.tar'));
    analysis = analyzeImage(image);
  });

  it('each package: bytes of its listed files (hardlink groups once), version; each layer: dpkg changes', async () => {
    const { packages } = analysis;
    const want = expectedPackages(image);
    expect(packages.managers).toEqual(['dpkg']);
    expect(packages.items.length).toBe(want.bytes.size);
    for (const item of packages.items) {
      expect({ name: item.name, ...want.bytes.get(item.name) }).toEqual({
        name: item.name,
        bytes: item.bytes,
        files: item.files,
        version: item.version,
      });
    }
    expect(packages.layers).toEqual(want.layers);
    // The layer is the last one whose database added or upgraded the package.
    for (const item of packages.items) {
      const last = want.layers.findLastIndex((l) => l.added.includes(item.name) || l.upgraded.includes(item.name));
      expect(item.layer, item.name).toBe(last);
    }
  });

  it('owns nearly every byte under /usr', async () => {
    const { packages, stack } = analysis;
    let usr = 0;
    let owned = 0;
    for (const [path, state] of stack.final) {
      if (!path.startsWith('/usr/') || state.type !== 'file') continue;
      usr += state.size;
      if (packages.ownerOf(path) !== undefined) owned += state.size;
    }
    // Python's byte-compiled caches, written by maintainer scripts, are rightly unowned (as dpkg -S says).
    expect(owned / usr).toBeGreaterThan(0.95);
  });

  it('risk findings name the package whose database lists their file', () => {
    const su = analysis.risks.find((r) => r.path === '/usr/bin/su');
    expect(su?.package).toBe('util-linux');
    const copiedIn = analysis.risks.find((r) => r.path === '/usr/local/bin/suid-id');
    expect(copiedIn).toBeDefined();
    expect(copiedIn?.package).toBeUndefined();
  });
});

/**
 * debian-base is built by ../shared/scripts/build-real-images.sh (about 10 minutes, as root) and is
 * not among the shared images: name its archive in STRATA_DEBIAN_BASE to add these checks to the run
 * (docs/packages.md says how).
 */
const debianBase = process.env.STRATA_DEBIAN_BASE;

if (debianBase !== undefined)
  describe('packages of debian-base (STRATA_DEBIAN_BASE)', () => {
    let image: ImageIndex;
    let analysis: ReturnType<typeof analyzeImage>;
    beforeAll(async () => {
      image = await openImage(debianBase!);
      analysis = analyzeImage(image);
    });

    it('each package: bytes of its listed files (hardlink groups once), version, layer', () => {
      const want = expectedPackages(image);
      expect(analysis.packages.items.length).toBe(want.bytes.size);
      for (const item of analysis.packages.items) {
        expect({ name: item.name, ...want.bytes.get(item.name) }).toEqual({
          name: item.name,
          bytes: item.bytes,
          files: item.files,
          version: item.version,
        });
      }
      expect(analysis.packages.layers).toEqual(want.layers);
    });

    it('owns at least 98 % of the regular-file bytes under /usr', () => {
      let usr = 0;
      let owned = 0;
      for (const [path, state] of analysis.stack.final) {
        if (!path.startsWith('/usr/') || state.type !== 'file') continue;
        usr += state.size;
        if (analysis.packages.ownerOf(path) !== undefined) owned += state.size;
      }
      expect(owned / usr).toBeGreaterThanOrEqual(0.98);
    });
  });
