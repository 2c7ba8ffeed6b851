/**
 * Descriptors of the wrong shape in an OCI layout (found by the fuzzer): the basic oci-archive with one
 * JSON document edited and every digest that names it rewritten, so the edit is what strata meets.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseArchive, replaceMember, serializeArchive } from '../../scripts/fuzz/archive.js';
import { runCli } from '../helpers/cli.js';
import { fixtures } from '../helpers/paths.js';

const scratch = mkdtempSync(join(tmpdir(), 'strata-descriptors-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The basic oci-archive with `edit` applied to the JSON document whose name `which` picks. */
async function edited(which: (doc: Record<string, unknown>, name: string) => boolean, edit: (doc: any) => void) {
  const archive = (await parseArchive({
    kind: 'file',
    bytes: readFileSync(fixtures('formats/basic.oci-archive.tar')),
  }))!;
  const index = archive.members.findIndex((m) => {
    if (m.type !== 'file' || m.data[0] !== 0x7b) return false;
    return which(JSON.parse(m.data.toString('utf8')) as Record<string, unknown>, m.name);
  });
  expect(index).toBeGreaterThanOrEqual(0);
  const doc = JSON.parse(archive.members[index]!.data.toString('utf8'));
  edit(doc);
  replaceMember(archive, index, Buffer.from(JSON.stringify(doc)));
  const input = await serializeArchive(archive);
  const path = join(scratch, 'edited.tar');
  writeFileSync(path, input.kind === 'file' ? input.bytes : Buffer.alloc(0));
  return path;
}

const isManifest = (doc: Record<string, unknown>): boolean => Array.isArray(doc.layers);
const isIndex = (_doc: Record<string, unknown>, name: string): boolean => name === 'index.json';

describe('OCI descriptors of the wrong shape', () => {
  it.each([
    [
      'a layer descriptor is null',
      isManifest,
      (d: any) => (d.layers[1] = null),
      /lists a descriptor that is not an object/,
    ],
    ['the config descriptor is a string', isManifest, (d: any) => (d.config = 'x'), /not an object/],
    [
      'an index entry is null',
      isIndex,
      (d: any) => (d.manifests[0] = null),
      /lists a descriptor that is not an object/,
    ],
  ])('%s: refused in one line', async (_what, which, edit, message) => {
    const path = await edited(which, edit);
    const r = await runCli('--json', path);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  });

  it('a ref.name that is not a string names nothing, and the image is read', async () => {
    const path = await edited(isIndex, (d) => {
      d.manifests[0].annotations = { 'org.opencontainers.image.ref.name': { not: 'a string' } };
    });
    const r = await runCli('--json', path);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).image.reference).toBeNull();
  });
});
