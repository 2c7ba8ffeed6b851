/**
 * An image input as a list of named members (an archive's entries, or a layout directory's files),
 * so that a mutation can edit one member and have every digest that names it rewritten: the result
 * still verifies and reaches the analysis, instead of stopping at the first digest check.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { gunzipSync, gzipSync } from 'node:zlib';
import { decompress as zstdDecompress } from 'fzstd';
import tarStream from 'tar-stream';
import { looksLikeTar } from './tar.js';

export type Compression = 'none' | 'gzip' | 'zstd';

/** What the fuzzer feeds strata: a file's bytes, or a directory's files (an OCI layout). */
export type Input = { kind: 'file'; bytes: Buffer } | { kind: 'dir'; files: Map<string, Buffer> };

export interface Member {
  name: string;
  type: 'file' | 'directory' | 'symlink' | 'link';
  mode: number;
  linkname?: string;
  data: Buffer;
}

export interface Archive {
  form: 'tar' | 'dir';
  /** Compression of the archive as a whole (`docker save | gzip`). */
  wrap: Compression;
  members: Member[];
}

/** Decompressed sizes above this are not parsed: the fixtures are small, and the fuzzer must stay bounded. */
const MAX_INFLATED = 256 * 1024 * 1024;

export const sha256Hex = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

export function sniff(data: Buffer): Compression {
  if (data.length >= 2 && data[0] === 0x1f && data[1] === 0x8b) return 'gzip';
  if (data.length >= 4 && data.readUInt32LE(0) === 0xfd2fb528) return 'zstd';
  return 'none';
}

/** Decompressed bytes, or null when the stream is broken. */
export function inflate(data: Buffer, compression: Compression): Buffer | null {
  try {
    if (compression === 'gzip') return gunzipSync(data, { maxOutputLength: MAX_INFLATED });
    if (compression === 'zstd') {
      const out = zstdDecompress(data);
      return out.length > MAX_INFLATED ? null : Buffer.from(out);
    }
    return data;
  } catch {
    return null;
  }
}

/** Deterministic compression: zlib at a fixed level, the zstd CLI fed on stdin. */
export function deflate(data: Buffer, compression: Compression): Buffer {
  if (compression === 'gzip') return gzipSync(data, { level: 6 });
  if (compression === 'zstd') return execFileSync('zstd', ['-3', '-q', '-c'], { input: data, maxBuffer: 1 << 30 });
  return data;
}

/** The archive an input holds, or null when it is not one (random bytes, a cut stream…). */
export async function parseArchive(input: Input): Promise<Archive | null> {
  if (input.kind === 'dir') {
    const members = [...input.files].map(([name, data]): Member => ({ name, type: 'file', mode: 0o644, data }));
    return { form: 'dir', wrap: 'none', members };
  }
  const wrap = sniff(input.bytes);
  const tar = inflate(input.bytes, wrap);
  if (!tar || !looksLikeTar(tar)) return null;
  const members = await readTar(tar).catch(() => null);
  return members && members.length > 0 ? { form: 'tar', wrap, members } : null;
}

async function readTar(tar: Buffer): Promise<Member[]> {
  const members: Member[] = [];
  const extract = tarStream.extract();
  const done = new Promise<void>((resolve, reject) => {
    extract.on('entry', (header, stream, next) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: unknown) => {
        chunks.push(c as Buffer);
      });
      stream.on('end', () => {
        const type = header.type;
        if (type === 'file' || type === 'directory' || type === 'symlink' || type === 'link') {
          const member: Member = { name: header.name, type, mode: header.mode ?? 0o644, data: Buffer.concat(chunks) };
          if (header.linkname) member.linkname = header.linkname;
          members.push(member);
        }
        next();
      });
      stream.on('error', reject);
    });
    extract.on('finish', resolve);
    extract.on('error', reject);
  });
  Readable.from([tar]).pipe(extract);
  await done;
  return members;
}

export async function writeTar(members: readonly Member[]): Promise<Buffer> {
  const pack = tarStream.pack();
  const chunks: Buffer[] = [];
  const drained = (async () => {
    for await (const chunk of pack) chunks.push(chunk as Buffer);
  })();
  for (const m of members) {
    const header: Partial<tarStream.Header> & { name: string } = {
      name: m.name,
      type: m.type,
      mode: m.mode,
      mtime: new Date(0),
      uid: 0,
      gid: 0,
    };
    if (m.linkname !== undefined) header.linkname = m.linkname;
    await new Promise<void>((resolve, reject) => {
      const done = (err?: Error | null): void => (err ? reject(err) : resolve());
      if (m.type === 'file') pack.entry(header, m.data, done);
      else pack.entry(header, done);
    });
  }
  pack.finalize();
  await drained;
  return Buffer.concat(chunks);
}

export async function serializeArchive(archive: Archive): Promise<Input> {
  if (archive.form === 'dir') return { kind: 'dir', files: new Map(archive.members.map((m) => [m.name, m.data])) };
  return { kind: 'file', bytes: deflate(await writeTar(archive.members), archive.wrap) };
}

/** A member that holds a layer: a tar, compressed or not. Its uncompressed tar comes along. */
export interface LayerMember {
  index: number;
  compression: Compression;
  tar: Buffer;
}

export function layerMembers(archive: Archive): LayerMember[] {
  const layers: LayerMember[] = [];
  archive.members.forEach((m, index) => {
    if (m.type !== 'file' || m.data.length < 512) return;
    const compression = sniff(m.data);
    const tar = inflate(m.data, compression);
    if (tar && looksLikeTar(tar)) layers.push({ index, compression, tar });
  });
  return layers;
}

/** Members whose content is a JSON document: index.json, manifest.json, manifests and configs. */
export function jsonMembers(archive: Archive): number[] {
  const found: number[] = [];
  archive.members.forEach((m, index) => {
    if (m.type !== 'file' || m.data.length === 0 || m.data.length > 16 * 1024 * 1024) return;
    const first = m.data.subarray(0, 64).toString('latin1').trimStart()[0];
    if (first !== '{' && first !== '[') return;
    try {
      JSON.parse(m.data.toString('utf8'));
      found.push(index);
    } catch {
      // not JSON after all
    }
  });
  return found;
}

/**
 * Replaces a member's content and rewrites every reference to it: the member's name when it is its
 * digest, the digest (and a descriptor's size) in every JSON member, and, for a layer, the diff_id
 * in the config (`diffIds`: the old and new uncompressed digests). Each JSON member so changed has a
 * new digest in turn, rewritten the same way, up to index.json.
 */
export function replaceMember(archive: Archive, index: number, data: Buffer, diffIds?: [string, string]): void {
  const pending: Array<{ index: number; pairs: Array<[string, string]>; size: number }> = [];
  // Applied at once, so that a member rewritten twice (a manifest naming both a layer and the config) keeps both edits.
  const change = (i: number, next: Buffer, extra?: [string, string]): void => {
    const member = archive.members[i]!;
    const pairs: Array<[string, string]> = [[sha256Hex(member.data), sha256Hex(next)]];
    if (extra && extra[0] !== extra[1]) pairs.push(extra);
    member.data = next;
    for (const [from, to] of pairs) if (from !== to) member.name = member.name.split(from).join(to);
    pending.push({ index: i, pairs, size: next.length });
  };
  change(index, data, diffIds);
  for (let rounds = 0; pending.length > 0 && rounds < 64; rounds++) {
    const { index: i, pairs, size } = pending.shift()!;
    for (const j of jsonMembers(archive)) {
      if (j === i) continue;
      const text = archive.members[j]!.data.toString('utf8');
      let rewritten = text;
      for (const [from, to] of pairs) if (from !== to) rewritten = rewritten.split(from).join(to);
      if (rewritten === text) continue;
      change(j, Buffer.from(fixSizes(rewritten, new Map(pairs.map(([, to]) => [to, size]))), 'utf8'));
    }
  }
}

/** Descriptors that name a rewritten digest get the new size (`sizes`: hex digest → byte length). */
function fixSizes(text: string, sizes: Map<string, number>): string {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return text;
  }
  let changed = false;
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      const digest = typeof record.digest === 'string' ? record.digest.replace(/^sha256:/, '') : undefined;
      const size = digest === undefined ? undefined : sizes.get(digest);
      if (size !== undefined && typeof record.size === 'number' && record.size !== size) {
        record.size = size;
        changed = true;
      }
      for (const value of Object.values(record)) visit(value);
    }
  };
  visit(doc);
  return changed ? JSON.stringify(doc) : text;
}
