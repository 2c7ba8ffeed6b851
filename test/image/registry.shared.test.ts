import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openImage } from '../../src/image/open.js';
import type { ImageIndex } from '../../src/image/types.js';
import { hasShared, shared } from '../helpers/paths.js';
import { hasRegistry, pushLayout, startRegistry, type RunningRegistry } from '../helpers/registry.js';

/** What an analysis reads from an index: everything but where it came from. */
function analysed(index: ImageIndex) {
  const { config, layers, configDigest, manifestDigest, verified } = index;
  return { config, layers, configDigest, manifestDigest, verified };
}

describe.skipIf(!hasRegistry || !hasShared)('a real image (../shared tiny) through docker-registry', () => {
  let registry: RunningRegistry;
  let work: string;

  beforeAll(async () => {
    registry = await startRegistry();
    work = await mkdtemp(join(tmpdir(), 'strata-registry-test-'));
  });

  afterAll(async () => {
    await registry?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('pulled from the registry equals the archive it was pushed from', async () => {
    const dir = join(work, 'tiny');
    execFileSync('mkdir', ['-p', dir]);
    execFileSync('tar', ['-xf', shared('images/tiny.oci-archive.tar'), '-C', dir]);
    await pushLayout(registry.url, dir, 'tiny', 'latest');
    const pulled = await openImage(`${registry.host}/tiny`);
    const archive = await openImage(shared('images/tiny.oci-archive.tar'));
    expect(pulled.layers.length).toBe(3);
    expect(analysed(pulled)).toEqual(analysed(archive));
  });
});
