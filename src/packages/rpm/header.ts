/**
 * rpm's header format, as rpmdb.sqlite stores it (one blob per package, without the lead and magic
 * that a .rpm file adds): big-endian entry count and data length, the index entries (tag, type,
 * offset, count), then the data store. Every offset and count is checked against the blob.
 */

const TYPE_INT16 = 3;
const TYPE_INT32 = 4;
const TYPE_INT64 = 5;
const TYPE_STRING = 6;
const TYPE_STRING_ARRAY = 8;
const TYPE_I18NSTRING = 9;

/** rpm itself refuses headers past these (rpmtag.h's HEADER_TAGS_MAX and HEADER_DATA_MAX). */
const MAX_ENTRIES = 0xffff;
const MAX_DATA = 256 * 1024 * 1024;

export const TAG = {
  name: 1000,
  version: 1001,
  release: 1002,
  epoch: 1003,
  arch: 1022,
  oldFileNames: 1027,
  fileSizes: 1028,
  fileModes: 1030,
  dirIndexes: 1116,
  baseNames: 1117,
  dirNames: 1118,
  longFileSizes: 5008,
} as const;

export class HeaderError extends Error {}

interface Entry {
  type: number;
  offset: number;
  count: number;
}

export class RpmHeader {
  private readonly entries = new Map<number, Entry>();
  private readonly data: Uint8Array;
  private readonly view: DataView;

  constructor(blob: Uint8Array) {
    if (blob.length < 8) throw new HeaderError('header shorter than its preamble');
    const head = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
    const count = head.getUint32(0);
    const length = head.getUint32(4);
    if (count > MAX_ENTRIES || length > MAX_DATA) throw new HeaderError('header larger than rpm allows');
    const dataStart = 8 + count * 16;
    if (dataStart + length > blob.length) throw new HeaderError('header cut short');
    this.data = blob.subarray(dataStart, dataStart + length);
    this.view = new DataView(this.data.buffer, this.data.byteOffset, this.data.byteLength);
    for (let i = 0; i < count; i++) {
      const at = 8 + i * 16;
      const tag = head.getUint32(at);
      const entry = { type: head.getUint32(at + 4), offset: head.getUint32(at + 8), count: head.getUint32(at + 12) };
      if (entry.offset > length) throw new HeaderError(`tag ${tag} points past the data`);
      if (!this.entries.has(tag)) this.entries.set(tag, entry);
    }
  }

  string(tag: number): string | undefined {
    const entry = this.entries.get(tag);
    if (entry === undefined) return undefined;
    if (entry.type !== TYPE_STRING && entry.type !== TYPE_I18NSTRING && entry.type !== TYPE_STRING_ARRAY) {
      throw new HeaderError(`tag ${tag} is not a string`);
    }
    return this.stringsAt(entry.offset, 1)[0];
  }

  strings(tag: number): string[] {
    const entry = this.entries.get(tag);
    if (entry === undefined) return [];
    if (entry.type !== TYPE_STRING_ARRAY) throw new HeaderError(`tag ${tag} is not a string array`);
    return this.stringsAt(entry.offset, entry.count);
  }

  numbers(tag: number): number[] {
    const entry = this.entries.get(tag);
    if (entry === undefined) return [];
    const width = entry.type === TYPE_INT16 ? 2 : entry.type === TYPE_INT32 ? 4 : entry.type === TYPE_INT64 ? 8 : 0;
    if (width === 0) throw new HeaderError(`tag ${tag} is not a number`);
    if (entry.offset + entry.count * width > this.data.length) throw new HeaderError(`tag ${tag} runs past the data`);
    const values: number[] = [];
    for (let i = 0; i < entry.count; i++) {
      const at = entry.offset + i * width;
      values.push(
        width === 2
          ? this.view.getUint16(at)
          : width === 4
            ? this.view.getUint32(at)
            : Number(this.view.getBigUint64(at)),
      );
    }
    return values;
  }

  private stringsAt(offset: number, count: number): string[] {
    const out: string[] = [];
    let at = offset;
    for (let i = 0; i < count; i++) {
      const end = this.data.indexOf(0, at);
      if (end < 0) throw new HeaderError('a string runs past the data');
      out.push(decoder.decode(this.data.subarray(at, end)));
      at = end + 1;
    }
    return out;
  }
}

const decoder = new TextDecoder('utf-8');
