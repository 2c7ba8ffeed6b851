import { createReadStream } from 'node:fs';
import { readFile, readdir, realpath, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { ImageReadError, describeSystemError } from '../../util/errors.js';
import { quoteInput } from '../../util/escape.js';
import { memberName, type MemberStore } from './members.js';

/**
 * An image laid out in a directory: an OCI image layout, or an unpacked docker-archive. Layers are
 * read in place, straight from their files.
 */
export async function openDirectoryStore(dir: string): Promise<MemberStore> {
  const root = await realpath(dir);
  const names = await listFiles(root);
  const known = new Set(names);
  const inside = async (name: string): Promise<{ path: string; size: number }> => {
    const file = join(root, name);
    // A layout's files may be symlinks (podman's layer.tar), but never to outside the layout.
    const real = await realpath(file).catch((err) => {
      throw new ImageReadError(`${quoteInput(name)}: ${describeSystemError(err)}`);
    });
    if (real !== root && !real.startsWith(root + sep))
      throw new ImageReadError(`${quoteInput(name)} points outside the image directory`);
    // A FIFO would wait forever for a writer, a device could be endless: only regular files hold blobs.
    const info = await stat(real).catch((err) => {
      throw new ImageReadError(`${quoteInput(name)}: ${describeSystemError(err)}`);
    });
    if (!info.isFile()) throw new ImageReadError(`${quoteInput(name)} is not a regular file`);
    return { path: real, size: info.size };
  };
  const layerFile = async (name: string): Promise<{ path: string; size: number }> => {
    if (!known.has(name)) throw new ImageReadError(`layer ${quoteInput(name)} is missing from the image directory`);
    return inside(name);
  };
  return {
    names: () => names,
    has: (name) => known.has(name),
    canonical: (name) => name,
    async bytes(name) {
      if (!known.has(name)) throw new ImageReadError(`${quoteInput(name)} is missing from the image directory`);
      return readFile((await inside(name)).path);
    },
    async locate(name) {
      const { path, size } = await layerFile(name);
      return { kind: 'file', file: { path, offset: 0, size } };
    },
    async open(name): Promise<Readable> {
      return createReadStream((await layerFile(name)).path);
    },
  };
}

async function listFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const names: string[] = [];
  for (const entry of entries) {
    if (entry.isDirectory()) continue;
    const full = join(entry.parentPath ?? (entry as unknown as { path: string }).path, entry.name);
    if (entry.isSymbolicLink() && (await stat(full).catch(() => null))?.isDirectory()) continue;
    names.push(memberName(relative(root, full).split(sep).join('/')));
  }
  return names;
}
