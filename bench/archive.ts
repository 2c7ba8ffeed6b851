/**
 * Streams an ImagePlan out as a docker-archive in the legacy layout `docker save` wrote before
 * v25: `<id>/VERSION`, `<id>/json`, `<id>/layer.tar` per layer, `<config sha256>.json`,
 * `manifest.json` and `repositories`, members in lexical order (docker tars up a directory walk).
 *
 * Layer tars are produced twice from the plan and never held in memory or on disk: pass one
 * hashes each layer (the config's diff_ids must be known before it is written, and each member's
 * size before its header), pass two writes it into the outer archive and checks it hashed the same.
 */
import { createHash } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import tarStream from 'tar-stream';
import type { ContentPool } from './content.js';
import { tarName, type ImagePlan, type LayerPlan, type PlanEntry } from './plan.js';

/** mtime of everything inside the layers: fixed, so the archive is the same on every run. */
const LAYER_MTIME = new Date('2024-06-01T12:00:00Z');
const ARCHIVE_MTIME = new Date('2024-06-01T12:30:00Z');

type Pack = ReturnType<typeof tarStream.pack>;
type Sink = ReturnType<Pack['entry']>;

function entryDone(): { cb: (err?: Error | null) => void; done: Promise<void> } {
  let cb!: (err?: Error | null) => void;
  const done = new Promise<void>((resolve, reject) => {
    cb = (err) => (err ? reject(err) : resolve());
  });
  return { cb, done };
}

async function writeAll(sink: Sink, chunk: Buffer): Promise<void> {
  if (!sink.write(chunk)) await new Promise<void>((resolve) => sink.once('drain', () => resolve()));
}

async function packEntry(pack: Pack, e: PlanEntry, pool: ContentPool): Promise<void> {
  const base = { name: tarName(e), mtime: LAYER_MTIME, uid: 0, gid: 0 };
  const { cb, done } = entryDone();
  switch (e.kind) {
    case 'dir':
      pack.entry({ ...base, type: 'directory', mode: e.mode }, cb);
      break;
    case 'symlink':
      pack.entry({ ...base, type: 'symlink', mode: 0o777, linkname: e.target }, cb);
      break;
    case 'hardlink':
      pack.entry({ ...base, type: 'link', mode: 0o644, linkname: e.target }, cb);
      break;
    case 'whiteout':
    case 'opaque':
      pack.entry({ ...base, type: 'file', mode: 0o644, size: 0 }, Buffer.alloc(0), cb);
      break;
    case 'file':
      if (e.size <= 1024 * 1024) {
        pack.entry({ ...base, type: 'file', mode: e.mode, size: e.size }, pool.bytes(e.size, e.seed), cb);
      } else {
        const sink = pack.entry({ ...base, type: 'file', mode: e.mode, size: e.size }, cb);
        for (const chunk of pool.chunks(e.size, e.seed)) await writeAll(sink, chunk);
        sink.end(undefined);
      }
      break;
  }
  await done;
}

/** The bytes of one layer tar, in the order tar-stream emits them. */
export async function* layerTar(layer: LayerPlan, pool: ContentPool): AsyncGenerator<Buffer> {
  const pack = tarStream.pack();
  const producing = (async () => {
    for (const e of layer.entries) await packEntry(pack, e, pool);
    pack.finalize();
  })().catch((err: Error) => pack.destroy(err));
  for await (const chunk of pack) yield chunk as Buffer;
  await producing;
}

export interface LayerDigest {
  diffId: string;
  size: number;
}

/** Pass one: sha256 and size of a layer tar, without writing it anywhere. */
export async function digestLayer(layer: LayerPlan, pool: ContentPool): Promise<LayerDigest> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of layerTar(layer, pool)) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { diffId: `sha256:${hash.digest('hex')}`, size };
}

const sha256Hex = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');

export interface WrittenArchive {
  size: number;
  sha256: string;
  configDigest: string;
}

/** Pass two: writes the whole docker-archive to `outPath` (through `<outPath>.partial`). */
export async function writeDockerArchive(
  plan: ImagePlan,
  digests: LayerDigest[],
  pool: ContentPool,
  outPath: string,
): Promise<WrittenArchive> {
  const diffIds = digests.map((d) => d.diffId);
  const end = Date.parse(plan.created);
  const stamp = (i: number): string =>
    new Date(end - (plan.history.length - 1 - i) * 60_000).toISOString().replace('.000Z', 'Z');
  const config = {
    architecture: 'amd64',
    os: 'linux',
    created: plan.created,
    config: plan.runConfig,
    rootfs: { type: 'layers', diff_ids: diffIds },
    history: plan.history.map((h, i) => ({
      created: stamp(i),
      created_by: h.createdBy,
      ...(h.emptyLayer ? { empty_layer: true } : {}),
    })),
  };
  const configBytes = Buffer.from(JSON.stringify(config));
  const configHex = sha256Hex(configBytes);

  // Legacy v1 layer IDs: a chain over the parent ID and the layer's diff_id.
  const ids: string[] = [];
  const members: Array<{ name: string; write: (pack: Pack) => Promise<void> }> = [];
  const small = (name: string, data: Buffer | string) => ({
    name,
    write: async (pack: Pack) => {
      const { cb, done } = entryDone();
      pack.entry(
        { name, mode: 0o644, mtime: ARCHIVE_MTIME, type: 'file' },
        typeof data === 'string' ? Buffer.from(data) : data,
        cb,
      );
      await done;
    },
  });
  plan.layers.forEach((layer, i) => {
    const parent = ids[i - 1];
    const id = sha256Hex(`${parent ?? ''}\n${diffIds[i]}`);
    ids.push(id);
    const digest = digests[i] as LayerDigest;
    members.push({
      name: `${id}/`,
      write: async (pack) => {
        const { cb, done } = entryDone();
        pack.entry({ name: `${id}/`, type: 'directory', mode: 0o755, mtime: ARCHIVE_MTIME }, cb);
        await done;
      },
    });
    members.push(small(`${id}/VERSION`, '1.0'));
    const v1 = {
      id,
      ...(parent ? { parent } : {}),
      created: stamp(i),
      container_config: { Cmd: [layer.createdBy] },
      os: 'linux',
    };
    members.push(small(`${id}/json`, JSON.stringify(v1)));
    members.push({
      name: `${id}/layer.tar`,
      write: async (pack) => {
        const { cb, done } = entryDone();
        const sink = pack.entry(
          { name: `${id}/layer.tar`, type: 'file', mode: 0o644, size: digest.size, mtime: ARCHIVE_MTIME },
          cb,
        );
        const hash = createHash('sha256');
        for await (const chunk of layerTar(layer, pool)) {
          hash.update(chunk);
          await writeAll(sink, chunk);
        }
        sink.end(undefined);
        await done;
        const again = `sha256:${hash.digest('hex')}`;
        if (again !== digest.diffId) throw new Error(`layer ${i} is not deterministic: ${digest.diffId} then ${again}`);
      },
    });
  });
  members.push(small(`${configHex}.json`, configBytes));
  const [repo, tag] = plan.repoTag.split(':');
  members.push(
    small(
      'manifest.json',
      JSON.stringify([
        { Config: `${configHex}.json`, RepoTags: [plan.repoTag], Layers: ids.map((id) => `${id}/layer.tar`) },
      ]),
    ),
  );
  members.push(
    small('repositories', JSON.stringify({ [repo ?? plan.repoTag]: { [tag ?? 'latest']: ids[ids.length - 1] } })),
  );
  members.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  const partial = `${outPath}.partial`;
  const fh = await open(partial, 'w');
  const archiveHash = createHash('sha256');
  let size = 0;
  const writeFully = async (buffer: Buffer): Promise<void> => {
    for (let at = 0; at < buffer.length; ) at += (await fh.write(buffer, at, buffer.length - at)).bytesWritten;
  };
  try {
    const pack = tarStream.pack();
    // Drain the archive to disk in 8 MiB batches while the members are produced.
    const writing = (async () => {
      let batch: Buffer[] = [];
      let batchBytes = 0;
      for await (const raw of pack) {
        const chunk = raw as Buffer;
        archiveHash.update(chunk);
        size += chunk.length;
        batch.push(chunk);
        batchBytes += chunk.length;
        if (batchBytes >= 8 * 1024 * 1024) {
          await writeFully(Buffer.concat(batch, batchBytes));
          batch = [];
          batchBytes = 0;
        }
      }
      if (batch.length > 0) await writeFully(Buffer.concat(batch, batchBytes));
    })();
    try {
      for (const m of members) await m.write(pack);
      pack.finalize();
    } catch (err) {
      pack.destroy(err as Error);
      throw err;
    } finally {
      await writing.catch(() => {});
    }
    await writing;
  } catch (err) {
    await fh.close();
    await rm(partial, { force: true });
    throw err;
  }
  await fh.close();
  await rename(partial, outPath);
  return { size, sha256: archiveHash.digest('hex'), configDigest: `sha256:${configHex}` };
}
