import { createReadStream } from 'node:fs';
import { readFile, readdir, realpath, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { indexLayerBlob, type IndexLayerOptions } from '../layers/indexer.js';
import type { LayerIndex } from '../layers/types.js';
import { ImageReadError, describeSystemError } from '../util/errors.js';
import { memberName, type MemberStore } from './members.js';
import { quoteInput } from '../util/escape.js';

const READ_CHUNK = 1024 * 1024;

/**
 * An image laid out in a directory: an OCI image layout, or an unpacked docker-archive.
 * Layers are indexed on demand, straight from their files.
 */
export async function openDirectoryStore(dir: string, options: IndexLayerOptions): Promise<MemberStore> {
  const root = await realpath(dir);
  const names = await listFiles(root);
  const known = new Set(names);
  const inside = async (name: string): Promise<string> => {
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
    return real;
  };
  return {
    names: () => names,
    has: (name) => known.has(name),
    canonical: (name) => name,
    async bytes(name) {
      if (!known.has(name)) throw new ImageReadError(`${quoteInput(name)} is missing from the image directory`);
      return readFile(await inside(name));
    },
    async layer(name): Promise<LayerIndex> {
      if (!known.has(name)) throw new ImageReadError(`layer ${quoteInput(name)} is missing from the image directory`);
      const file = await inside(name);
      try {
        return await indexLayerBlob(createReadStream(file, { highWaterMark: READ_CHUNK }), options);
      } catch (err) {
        throw err instanceof ImageReadError
          ? err
          : new ImageReadError(`layer ${quoteInput(name)}: ${(err as Error).message}`);
      }
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
