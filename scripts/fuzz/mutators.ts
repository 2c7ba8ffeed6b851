/**
 * The mutations, each a small function from an input to a changed input (or null when it does not
 * apply to this one). Structure-aware ones rewrite the digests that name what they changed, so the
 * changed image still verifies and its bytes reach the layer parser and the analysis.
 */
import { gzipSync } from 'node:zlib';
import {
  type Archive,
  type Compression,
  type Input,
  deflate,
  inflate,
  jsonMembers,
  layerMembers,
  parseArchive,
  replaceMember,
  serializeArchive,
  sha256Hex,
  sniff,
} from './archive.js';
import type { Rng } from './prng.js';
import { BLOCK, type FieldName, fixChecksum, paxBlocks, paxRecord, setField, walkHeaders } from './tar.js';
import {
  BASE256,
  CONTENTS,
  deepArray,
  deepObject,
  KEYS,
  NUMBERS,
  PAX_BROKEN,
  PAX_KEYS,
  PAX_VALUES,
  STRINGS,
  TAR_VALUES,
} from './values.js';

export interface Mutated {
  input: Input;
  /** What was done, precisely enough to read in a failure report. */
  detail: string;
}

export interface Mutator {
  name: string;
  weight: number;
  apply(input: Input, rng: Rng): Promise<Mutated | null>;
}

interface Edit {
  bytes: Buffer;
  detail: string;
}

// ---------------------------------------------------------------- bytes

type ByteEdit = (bytes: Buffer, rng: Rng) => Edit | null;

const flipBits: ByteEdit = (bytes, rng) => {
  if (bytes.length === 0) return null;
  const out = Buffer.from(bytes);
  const offsets: number[] = [];
  for (let n = rng.int(1, 8); n > 0; n--) {
    const at = rng.int(0, out.length - 1);
    out[at]! ^= 1 << rng.int(0, 7);
    offsets.push(at);
  }
  return { bytes: out, detail: `flipped bits at ${offsets.join(',')}` };
};

const setBytes: ByteEdit = (bytes, rng) => {
  if (bytes.length === 0) return null;
  const out = Buffer.from(bytes);
  const at = rng.int(0, out.length - 1);
  const value = rng.pick([0x00, 0xff, 0x7f, 0x80, 0x2f, 0x2e, 0x30, 0x37, 0x20, 0x0a, 0x1b]);
  const n = Math.min(rng.length(16), out.length - at);
  out.fill(value, at, at + n);
  return { bytes: out, detail: `set ${n} bytes at ${at} to 0x${value.toString(16)}` };
};

const truncate: ByteEdit = (bytes, rng) => {
  if (bytes.length < 2) return null;
  // Often near a block boundary: where readers decide whether a header or the data was cut.
  const at = rng.chance(0.5)
    ? Math.min(bytes.length - 1, Math.max(0, rng.int(0, Math.floor(bytes.length / BLOCK)) * BLOCK + rng.int(-2, 2)))
    : rng.int(0, bytes.length - 1);
  return { bytes: bytes.subarray(0, at), detail: `truncated to ${at} of ${bytes.length} bytes` };
};

const duplicateChunk: ByteEdit = (bytes, rng) => {
  if (bytes.length === 0) return null;
  const start = rng.int(0, bytes.length - 1);
  const len = Math.min(rng.length(8192), bytes.length - start);
  const at = rng.chance(0.5) ? start + len : rng.int(0, bytes.length);
  const chunk = bytes.subarray(start, start + len);
  const out = Buffer.concat([bytes.subarray(0, at), chunk, bytes.subarray(at)]);
  return { bytes: out, detail: `copied ${len} bytes from ${start} to ${at}` };
};

const deleteChunk: ByteEdit = (bytes, rng) => {
  if (bytes.length < 2) return null;
  const start = rng.int(0, bytes.length - 1);
  const len = Math.min(rng.length(8192), bytes.length - start);
  const out = Buffer.concat([bytes.subarray(0, start), bytes.subarray(start + len)]);
  return { bytes: out, detail: `deleted ${len} bytes at ${start}` };
};

const insertRandom: ByteEdit = (bytes, rng) => {
  const at = rng.int(0, bytes.length);
  const chunk = rng.bytes(rng.length(1024));
  return {
    bytes: Buffer.concat([bytes.subarray(0, at), chunk, bytes.subarray(at)]),
    detail: `inserted ${chunk.length} random bytes at ${at}`,
  };
};

const BYTE_EDITS: ReadonlyArray<readonly [number, ByteEdit]> = [
  [6, flipBits],
  [3, setBytes],
  [4, truncate],
  [2, duplicateChunk],
  [2, deleteChunk],
  [2, insertRandom],
];

/** A byte edit of the whole file, or of one file of a layout directory. No digest is rewritten. */
function byteMutator(name: string, weight: number, edit: ByteEdit): Mutator {
  return {
    name,
    weight,
    async apply(input, rng) {
      if (input.kind === 'file') {
        const e = edit(input.bytes, rng);
        return e && { input: { kind: 'file', bytes: e.bytes }, detail: e.detail };
      }
      const names = [...input.files.keys()].sort();
      const file = rng.pick(names);
      const e = edit(input.files.get(file)!, rng);
      if (!e) return null;
      const files = new Map(input.files);
      files.set(file, e.bytes);
      return { input: { kind: 'dir', files }, detail: `${file}: ${e.detail}` };
    },
  };
}

// ---------------------------------------------------------------- tar streams

/** An edit of an uncompressed tar stream's headers, entries or bytes. */
function editTar(tar: Buffer, rng: Rng): Edit | null {
  const headers = walkHeaders(tar);
  if (headers.length === 0) return rng.weighted(BYTE_EDITS)(tar, rng);
  const h = rng.pick(headers);
  const op = rng.weighted<string>([
    [10, 'field'],
    [5, 'pax'],
    [2, 'pax-body'],
    [2, 'long-name'],
    [2, 'dup-entry'],
    [2, 'del-entry'],
    [2, 'swap-entries'],
    [2, 'end-marker'],
    [3, 'content'],
    [3, 'bytes'],
  ]);
  switch (op) {
    case 'field': {
      const field = rng.pick(Object.keys(TAR_VALUES) as Array<keyof typeof TAR_VALUES>) as FieldName;
      let value: Buffer | string;
      if (field === 'size' && rng.chance(0.3)) value = rng.pick(BASE256);
      else if (field === 'size' && rng.chance(0.4)) {
        value = `${Math.max(0, h.size + rng.int(-600, 600))
          .toString(8)
          .padStart(11, '0')}\0`;
      } else if ((field === 'name' || field === 'linkname') && rng.chance(0.2) && headers.length > 1) {
        // Another entry's name: a hard link to itself or to a later entry, a duplicate path.
        const other = rng.pick(headers);
        value = tar.subarray(other.offset, other.offset + 100);
      } else value = rng.pick(TAR_VALUES[field as keyof typeof TAR_VALUES]);
      const shown = Buffer.isBuffer(value) ? value.toString('hex') : JSON.stringify(value);
      return {
        bytes: setField(tar, h.offset, field, value),
        detail: `header at ${h.offset}: ${field} = ${shown.slice(0, 60)}`,
      };
    }
    case 'pax': {
      const broken = rng.chance(0.25);
      let records = '';
      if (broken) records = rng.pick(PAX_BROKEN);
      else for (let n = rng.int(1, 3); n > 0; n--) records += paxRecord(rng.pick(PAX_KEYS), rng.pick(PAX_VALUES));
      const typeflag = rng.chance(0.15) ? 'g' : 'x';
      const blocks = paxBlocks(records, typeflag);
      return {
        bytes: Buffer.concat([tar.subarray(0, h.offset), blocks, tar.subarray(h.offset)]),
        detail: `PAX ${typeflag} header before ${h.offset}: ${JSON.stringify(records.slice(0, 80))}`,
      };
    }
    case 'pax-body': {
      const pax = headers.filter((x) => x.typeflag === 'x' || x.typeflag === 'g');
      if (pax.length === 0) return null;
      const p = rng.pick(pax);
      const out = Buffer.from(tar);
      const at = p.dataOffset + rng.int(0, Math.max(0, p.size - 1));
      out[at] = rng.pick([0x30, 0x39, 0x20, 0x0a, 0x3d, 0x00, 0xff]);
      return { bytes: out, detail: `PAX body byte at ${at} set to 0x${out[at]!.toString(16)}` };
    }
    case 'long-name': {
      const name = rng.pick(PAX_VALUES).replace(/\0/g, '');
      const typeflag = rng.pick(['L', 'K']);
      const blocks = paxBlocks(Buffer.from(`${name}\0`, 'utf8'), 'x');
      blocks.write('././@LongLink', 0, 'latin1');
      blocks[156] = typeflag.charCodeAt(0);
      fixChecksum(blocks.subarray(0, BLOCK));
      return {
        bytes: Buffer.concat([tar.subarray(0, h.offset), blocks, tar.subarray(h.offset)]),
        detail: `GNU ${typeflag} header (${name.length} chars) before ${h.offset}`,
      };
    }
    case 'dup-entry': {
      const span = tar.subarray(h.offset, h.end);
      const out = Buffer.concat([tar.subarray(0, h.end), span, tar.subarray(h.end)]);
      return { bytes: out, detail: `entry at ${h.offset} duplicated` };
    }
    case 'del-entry':
      return {
        bytes: Buffer.concat([tar.subarray(0, h.offset), tar.subarray(h.end)]),
        detail: `entry at ${h.offset} deleted`,
      };
    case 'swap-entries': {
      const g = rng.pick(headers);
      if (g === h) return null;
      const [a, b] = g.offset < h.offset ? [g, h] : [h, g];
      if (a.end > b.offset) return null;
      const out = Buffer.concat([
        tar.subarray(0, a.offset),
        tar.subarray(b.offset, b.end),
        tar.subarray(a.end, b.offset),
        tar.subarray(a.offset, a.end),
        tar.subarray(b.end),
      ]);
      return { bytes: out, detail: `entries at ${a.offset} and ${b.offset} swapped` };
    }
    case 'end-marker': {
      const last = headers[headers.length - 1]!;
      if (rng.chance(0.5)) return { bytes: tar.subarray(0, last.end), detail: 'end marker removed' };
      return { bytes: Buffer.concat([tar, rng.bytes(rng.length(2048))]), detail: 'garbage after the end marker' };
    }
    case 'content': {
      const files = headers.filter((x) => (x.typeflag === '0' || x.typeflag === '\0') && x.size > 0);
      if (files.length === 0) return null;
      const f = rng.pick(files);
      const text = Buffer.from(rng.pick(CONTENTS), 'latin1');
      const out = Buffer.from(tar);
      text.copy(out, f.dataOffset, 0, Math.min(text.length, f.size));
      return {
        bytes: out,
        detail: `data of the entry at ${f.offset} starts with ${JSON.stringify(text.toString().slice(0, 30))}`,
      };
    }
    default: {
      const e = rng.weighted(BYTE_EDITS)(tar, rng);
      return e && { bytes: e.bytes, detail: `bytes: ${e.detail}` };
    }
  }
}

/** A layer's tar edited, recompressed as it was, and every digest naming it rewritten (diff_id included). */
const layerTar: Mutator = {
  name: 'layer-tar',
  weight: 30,
  async apply(input, rng) {
    const archive = await parseArchive(input);
    if (!archive) return null;
    const layers = layerMembers(archive);
    if (layers.length === 0) return null;
    const layer = rng.pick(layers);
    const e = editTar(layer.tar, rng);
    if (!e) return null;
    const name = archive.members[layer.index]!.name;
    replaceMember(archive, layer.index, deflate(e.bytes, layer.compression), [
      sha256Hex(layer.tar),
      sha256Hex(e.bytes),
    ]);
    return { input: await serializeArchive(archive), detail: `layer ${name} (${layer.compression}): ${e.detail}` };
  },
};

/** The archive's own tar headers edited (inside its compression, if it is compressed as a whole). */
const outerTar: Mutator = {
  name: 'outer-tar',
  weight: 8,
  async apply(input, rng) {
    if (input.kind !== 'file') return null;
    const wrap = sniff(input.bytes);
    const tar = inflate(input.bytes, wrap);
    if (!tar || walkHeaders(tar).length === 0) return null;
    const e = editTar(tar, rng);
    return e && { input: { kind: 'file', bytes: deflate(e.bytes, wrap) }, detail: `archive (${wrap}): ${e.detail}` };
  },
};

// ---------------------------------------------------------------- JSON documents

type JsonPath = Array<string | number>;

function allPaths(doc: unknown, limit = 5000): JsonPath[] {
  const paths: JsonPath[] = [[]];
  const stack: Array<[unknown, JsonPath]> = [[doc, []]];
  while (stack.length > 0 && paths.length < limit) {
    const [node, path] = stack.pop()!;
    if (Array.isArray(node)) {
      node.forEach((child, i) => {
        paths.push([...path, i]);
        stack.push([child, [...path, i]]);
      });
    } else if (node && typeof node === 'object') {
      for (const [key, child] of Object.entries(node)) {
        paths.push([...path, key]);
        stack.push([child, [...path, key]]);
      }
    }
  }
  return paths;
}

function strings(doc: unknown): string[] {
  const found: string[] = [];
  JSON.stringify(doc, (_k, v) => {
    if (typeof v === 'string') found.push(v);
    return v;
  });
  return found;
}

function valueFor(rng: Rng, doc: unknown): unknown {
  return rng.weighted<() => unknown>([
    [6, () => rng.pick(STRINGS)],
    [3, () => rng.pick(strings(doc).concat(''))],
    [4, () => rng.pick(NUMBERS)],
    [2, () => rng.pick([null, true, false])],
    [2, () => rng.pick([[], {}])],
    [1, () => (rng.chance(0.5) ? deepArray(rng.int(1000, 20000)) : deepObject(rng.int(1000, 20000)))],
    [1, () => Array.from({ length: rng.int(100, 5000) }, (_, i) => `v${i}`)],
    [1, () => Object.fromEntries(Array.from({ length: rng.int(100, 5000) }, (_, i) => [`K${i}`, `v${i}`]))],
  ])();
}

function at(doc: unknown, path: JsonPath): unknown {
  let node = doc;
  for (const key of path) node = (node as Record<string | number, unknown>)[key];
  return node;
}

/** Edits `doc` in place and says how; the root itself is never replaced (see `jsonValue`). */
function editJson(doc: unknown, rng: Rng): string {
  const paths = allPaths(doc).filter((p) => p.length > 0);
  if (paths.length === 0) return 'nothing to edit';
  const path = rng.pick(paths);
  const shown = path.join('.');
  const parent = at(doc, path.slice(0, -1)) as Record<string | number, unknown> & unknown[];
  const key = path[path.length - 1]!;
  const op = rng.weighted<string>([
    [8, 'set'],
    [3, 'delete'],
    [2, 'add'],
    [2, 'array'],
  ]);
  if (op === 'delete') {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete parent[key];
    return `${shown} deleted`;
  }
  if (op === 'add') {
    const target = at(doc, path);
    const value = valueFor(rng, doc);
    if (Array.isArray(target)) target.push(value);
    else if (target && typeof target === 'object') {
      const name = rng.pick(KEYS);
      Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
      return `${shown}.${name} added: ${describe(value)}`;
    } else return `nothing added at ${shown}`;
    return `${shown}: appended ${describe(value)}`;
  }
  if (op === 'array') {
    const target = at(doc, path);
    if (!Array.isArray(target) || target.length === 0) return `no array at ${shown}`;
    const how = rng.pick(['reverse', 'empty', 'duplicate', 'swap', 'many']);
    if (how === 'reverse') target.reverse();
    else if (how === 'empty') target.length = 0;
    else if (how === 'duplicate') target.push(structuredClone(rng.pick(target)));
    else if (how === 'many') {
      const item = rng.pick(target);
      for (let n = rng.int(100, 3000); n > 0; n--) target.push(item);
    } else {
      const i = rng.int(0, target.length - 1);
      const j = rng.int(0, target.length - 1);
      [target[i], target[j]] = [target[j], target[i]];
    }
    return `${shown}: array ${how}`;
  }
  const value = valueFor(rng, doc);
  parent[key] = value;
  return `${shown} = ${describe(value)}`;
}

function describe(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = `(too deep to show: ${Array.isArray(value) ? 'nested arrays' : 'nested objects'})`;
  }
  return text.length > 80 ? `${text.slice(0, 60)}… (${text.length} chars)` : text;
}

/** A JSON document (index, manifest, config, manifest.json) edited; the digests that name it rewritten. */
const jsonValue: Mutator = {
  name: 'json',
  weight: 20,
  async apply(input, rng) {
    const archive = await parseArchive(input);
    if (!archive) return null;
    const docs = jsonMembers(archive);
    if (docs.length === 0) return null;
    const index = rng.pick(docs);
    const member = archive.members[index]!;
    let doc = JSON.parse(member.data.toString('utf8')) as unknown;
    let detail: string;
    if (rng.chance(0.04)) {
      doc = valueFor(rng, doc);
      detail = `the document replaced by ${describe(doc)}`;
    } else detail = editJson(doc, rng);
    let text: string;
    try {
      text = JSON.stringify(doc);
    } catch {
      return null;
    }
    if (rng.chance(0.1)) {
      text = text.replace('{', '{"dup":1,').replace(/"(\w+)":/, '"$1":null,"$1":');
      detail += ', keys duplicated';
    }
    const name = member.name;
    replaceMember(archive, index, Buffer.from(text, 'utf8'));
    return { input: await serializeArchive(archive), detail: `${name}: ${detail}` };
  },
};

/** A JSON document's text edited byte by byte (broken syntax, bad UTF-8), its digests rewritten. */
const jsonText: Mutator = {
  name: 'json-text',
  weight: 4,
  async apply(input, rng) {
    const archive = await parseArchive(input);
    if (!archive) return null;
    const docs = jsonMembers(archive);
    if (docs.length === 0) return null;
    const index = rng.pick(docs);
    const member = archive.members[index]!;
    const e = rng.weighted(BYTE_EDITS)(member.data, rng);
    if (!e) return null;
    const name = member.name;
    replaceMember(archive, index, e.bytes);
    return { input: await serializeArchive(archive), detail: `${name}: ${e.detail}` };
  },
};

// ---------------------------------------------------------------- compressed streams

function corruptStream(data: Buffer, compression: Compression, rng: Rng): Edit | null {
  if (compression === 'none') return null;
  const header = compression === 'gzip' ? 10 : 6;
  const op = rng.pick(['flip-body', 'truncate', 'append', 'second-member', 'trailer', 'header']);
  const out = Buffer.from(data);
  switch (op) {
    case 'flip-body': {
      if (data.length <= header + 8) return null;
      const where = rng.int(header, data.length - 9);
      out[where]! ^= 1 << rng.int(0, 7);
      return { bytes: out, detail: `${compression} body bit flipped at ${where}` };
    }
    case 'truncate': {
      const where = rng.int(1, data.length - 1);
      return { bytes: data.subarray(0, where), detail: `${compression} stream cut at ${where} of ${data.length}` };
    }
    case 'append':
      return {
        bytes: Buffer.concat([data, rng.bytes(rng.length(512))]),
        detail: `garbage after the ${compression} stream`,
      };
    case 'second-member': {
      const extra =
        compression === 'gzip' ? gzipSync(rng.bytes(rng.length(4096))) : deflate(Buffer.alloc(1024), 'zstd');
      return { bytes: Buffer.concat([data, extra]), detail: `a second ${compression} member/frame appended` };
    }
    case 'trailer': {
      if (compression === 'gzip') {
        const where = data.length - rng.int(1, 8);
        out[where]! ^= 0xff;
        return { bytes: out, detail: `gzip trailer byte ${where} inverted (CRC or ISIZE)` };
      }
      // A skippable frame before the data.
      const skip = Buffer.alloc(8);
      skip.writeUInt32LE(0x184d2a50 + rng.int(0, 15), 0);
      const body = rng.bytes(rng.length(256));
      skip.writeUInt32LE(rng.chance(0.2) ? 0xffffffff : body.length, 4);
      return { bytes: Buffer.concat([skip, body, data]), detail: 'zstd skippable frame prepended' };
    }
    default: {
      if (compression === 'gzip') {
        // FLG: FEXTRA, FNAME, FCOMMENT, FHCRC or reserved bits, with no matching fields after.
        out[3] = rng.pick([0x04, 0x08, 0x10, 0x02, 0xe0]);
        return { bytes: out, detail: `gzip FLG set to 0x${out[3]!.toString(16)}` };
      }
      // Frame header: a huge window (log 41) or a content size the data does not have.
      const descriptor = out[4]!;
      if (rng.chance(0.5) && !(descriptor & 0x20)) {
        out[5] = 0xf8;
        return { bytes: out, detail: 'zstd window descriptor set to 2^41' };
      }
      out[4] = (descriptor & 0x3f) | 0xc0;
      return { bytes: out, detail: `zstd frame descriptor 0x${descriptor.toString(16)} → 0x${out[4]!.toString(16)}` };
    }
  }
}

/** A compressed layer's or archive's stream corrupted; the blob digest rewritten so only the stream is wrong. */
const stream: Mutator = {
  name: 'stream',
  weight: 10,
  async apply(input, rng) {
    if (input.kind === 'file' && sniff(input.bytes) !== 'none' && rng.chance(0.3)) {
      const e = corruptStream(input.bytes, sniff(input.bytes), rng);
      return e && { input: { kind: 'file', bytes: e.bytes }, detail: `archive: ${e.detail}` };
    }
    const archive = await parseArchive(input);
    if (!archive) return null;
    const compressed = layerMembers(archive).filter((l) => l.compression !== 'none');
    if (compressed.length === 0) return null;
    const layer = rng.pick(compressed);
    const e = corruptStream(archive.members[layer.index]!.data, layer.compression, rng);
    if (!e) return null;
    const name = archive.members[layer.index]!.name;
    const inflated = inflate(e.bytes, layer.compression);
    const diffIds: [string, string] | undefined = inflated ? [sha256Hex(layer.tar), sha256Hex(inflated)] : undefined;
    replaceMember(archive, layer.index, e.bytes, diffIds);
    return { input: await serializeArchive(archive), detail: `layer ${name}: ${e.detail}` };
  },
};

/** A layer stored in another compression than its media type says (strata goes by magic bytes). */
const recompress: Mutator = {
  name: 'recompress',
  weight: 3,
  async apply(input, rng) {
    const archive = await parseArchive(input);
    if (!archive) return null;
    const layers = layerMembers(archive);
    if (layers.length === 0) return null;
    const layer = rng.pick(layers);
    const to = rng.pick((['none', 'gzip', 'zstd'] as const).filter((c) => c !== layer.compression));
    const name = archive.members[layer.index]!.name;
    replaceMember(archive, layer.index, deflate(layer.tar, to));
    return { input: await serializeArchive(archive), detail: `layer ${name}: ${layer.compression} → ${to}` };
  },
};

// ---------------------------------------------------------------- members

/** Members of the archive (or files of the layout) dropped, doubled, reordered, renamed or made links. */
const members: Mutator = {
  name: 'members',
  weight: 6,
  async apply(input, rng) {
    const archive = await parseArchive(input);
    if (!archive || archive.members.length === 0) return null;
    const list = archive.members;
    const i = rng.int(0, list.length - 1);
    const m = list[i]!;
    const op = rng.pick(
      archive.form === 'dir'
        ? ['drop', 'rename', 'empty']
        : ['drop', 'double', 'last', 'first', 'rename', 'symlink', 'empty'],
    );
    const next: Archive = { ...archive, members: [...list] };
    switch (op) {
      case 'drop':
        next.members.splice(i, 1);
        break;
      case 'double':
        next.members.splice(i + 1, 0, { ...m, data: rng.chance(0.5) ? m.data : Buffer.from('{}') });
        break;
      case 'last':
        next.members.splice(i, 1);
        next.members.push(m);
        break;
      case 'first':
        next.members.splice(i, 1);
        next.members.unshift(m);
        break;
      case 'rename':
        next.members[i] = {
          ...m,
          name: rng.pick([`../${m.name}`, `/${m.name}`, `${m.name}/`, `./${m.name}`, m.name.toUpperCase()]),
        };
        break;
      case 'symlink':
        next.members[i] = {
          name: m.name,
          type: 'symlink',
          mode: 0o777,
          linkname: rng.pick([
            '/dev/zero',
            '/etc/passwd',
            m.name,
            '../../../../../../etc/hostname',
            rng.pick(list).name,
          ]),
          data: Buffer.alloc(0),
        };
        break;
      default:
        next.members[i] = { ...m, data: Buffer.alloc(0) };
    }
    return { input: await serializeArchive(next), detail: `member ${m.name}: ${op}` };
  },
};

export const MUTATORS: readonly Mutator[] = [
  layerTar,
  outerTar,
  jsonValue,
  jsonText,
  stream,
  recompress,
  members,
  byteMutator('flip', 6, flipBits),
  byteMutator('set-bytes', 3, setBytes),
  byteMutator('truncate', 4, truncate),
  byteMutator('duplicate-chunk', 2, duplicateChunk),
  byteMutator('delete-chunk', 2, deleteChunk),
  byteMutator('insert', 2, insertRandom),
];
