import type { Readable } from 'node:stream';
import { normalizePath } from '../../layers/path.js';
import { ImageReadError } from '../../util/errors.js';
import type { LayerLocation } from '../source.js';

/**
 * The members of an image archive or layout, as the docker and OCI resolvers need them: small JSON
 * documents whole, and layer blobs where they lie. A tar read in place, a tar read in one pass and a
 * directory all offer this, so the docker and OCI logic exists once.
 */
export interface MemberStore {
  /** Every member name (relative, no leading "./"), links included. */
  names(): string[];
  has(name: string): boolean;
  /** The member a name refers to once links are followed (podman's `<id>/layer.tar` → `<diffid>.tar`). */
  canonical(name: string): string;
  /** The bytes of a small member (a manifest, index or config). */
  bytes(name: string): Promise<Buffer>;
  /** How the layer blob `name` is read to index it (an error when it is missing). */
  locate(name: string): Promise<LayerLocation>;
  /** The member's bytes from its start, again (an ImageReadError when the archive cannot be read twice). */
  open(name: string): Promise<Readable>;
}

/** Members at most this big that start like JSON are documents, kept whole: manifests, configs, indexes. */
export const SMALL_DOCUMENT_MAX = 8 * 1024 * 1024;

/** Names inside an archive, normalized the same way as layer paths but without the leading "/". */
export function memberName(raw: string): string {
  return normalizePath(raw).slice(1);
}

/** An archive link: a member name that stands for another. */
export type MemberLink = { kind: 'link'; target: string };

/**
 * The members of an archive by name, links followed: what every store of the readers shares
 * (the streamed one keeps documents and layer indexes, the seekable one offsets).
 */
export abstract class MemberTable<M extends { kind: string }> {
  constructor(protected readonly members: Map<string, M | MemberLink>) {}

  names(): string[] {
    return [...this.members.keys()];
  }

  has(name: string): boolean {
    return this.resolve(name) !== undefined;
  }

  /** The member a name leads to once archive links are followed (bounded, so a link loop cannot hang). */
  canonical(name: string): string {
    let current = name;
    for (let hops = 0; hops < 16; hops++) {
      const found = this.members.get(current);
      if (found?.kind !== 'link') return current;
      current = (found as MemberLink).target;
    }
    return current;
  }

  /** The member itself, links followed; undefined when missing (or a link that leads nowhere). */
  protected resolve(name: string): M | undefined {
    const member = this.members.get(this.canonical(name));
    return member === undefined || member.kind === 'link' ? undefined : (member as M);
  }
}

/** JSON, or tiny text files such as VERSION: kept whole rather than indexed as a layer. */
export function looksLikeDocument(head: Buffer, size: number): boolean {
  if (size <= 64) return true;
  for (const byte of head) {
    if (byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09) continue;
    return byte === 0x7b /* { */ || byte === 0x5b /* [ */;
  }
  return false;
}

/** An error of the outer archive's tar parser, in words (shared by the streamed and seekable readers). */
export function archiveError(err: unknown, sawEntry: boolean): ImageReadError {
  if (err instanceof ImageReadError) return err;
  const message = (err as Error)?.message ?? String(err);
  if (/Unexpected end of data/i.test(message))
    return new ImageReadError('truncated archive: it ends inside a tar entry');
  if (/Invalid tar header|Unknown format|checksum/i.test(message)) {
    return new ImageReadError(sawEntry ? 'corrupt archive: invalid tar header' : 'not a tar archive');
  }
  if (/unexpected end of file/i.test(message)) return new ImageReadError('truncated compressed archive');
  if (/incorrect header check|invalid (block|code|distance|stored)|zstd/i.test(message))
    return new ImageReadError(`corrupt compressed archive (${message})`);
  return new ImageReadError(message);
}
