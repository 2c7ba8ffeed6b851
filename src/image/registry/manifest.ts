import { createHash } from 'node:crypto';
import { ImageReadError, VerificationError } from '../../util/errors.js';
import { parseJson } from '../config.js';
import { formatPlatform, hostPlatform, matchesPlatform } from '../platform.js';
import type { Platform } from '../types.js';
import { MEDIA_TYPES } from './client.js';
import { quoteInput } from '../../util/escape.js';

/** Manifests and indexes as the registry serves them, and the choice of a platform from an index. */

export interface Descriptor {
  mediaType?: string;
  digest: string;
  size?: number;
  platform?: Platform;
}

export type ParsedManifest =
  | { kind: 'index'; mediaType: string | null; manifests: Descriptor[] }
  | { kind: 'image'; mediaType: string | null; config: Descriptor; layers: Descriptor[] };

const INDEX_TYPES = new Set<string>([MEDIA_TYPES.ociIndex, MEDIA_TYPES.dockerList]);
const IMAGE_TYPES = new Set<string>([MEDIA_TYPES.ociManifest, MEDIA_TYPES.dockerManifest]);
const DIGEST = /^(sha256:[0-9a-f]{64}|sha512:[0-9a-f]{128})$/;

/** Only well-formed digests are used: they become URL paths. */
export function checkDigest(value: unknown, what: string): string {
  if (typeof value !== 'string' || !DIGEST.test(value)) {
    throw new ImageReadError(
      `${what} has an unsupported or malformed digest${typeof value === 'string' ? ` "${quoteInput(value, 80)}"` : ''}`,
    );
  }
  return value;
}

/** "sha256:<hex>" of bytes, in the algorithm of `like` (sha256 unless it says sha512). */
export function digestOf(bytes: Uint8Array, like = 'sha256:'): string {
  const algorithm = like.startsWith('sha512:') ? 'sha512' : 'sha256';
  return `${algorithm}:${createHash(algorithm).update(bytes).digest('hex')}`;
}

export function verifyManifestDigest(bytes: Uint8Array, expected: string, what: string): void {
  const actual = digestOf(bytes, expected);
  if (actual !== expected.toLowerCase())
    throw new VerificationError(`${what}: digest mismatch (expected ${quoteInput(expected)}, got ${actual})`);
}

function descriptor(raw: unknown, what: string): Descriptor {
  if (raw === null || typeof raw !== 'object') throw new ImageReadError(`${what} is not a descriptor`);
  const d = raw as Record<string, unknown>;
  const result: Descriptor = { digest: checkDigest(d.digest, what) };
  if (typeof d.mediaType === 'string') result.mediaType = d.mediaType;
  if (typeof d.size === 'number' && Number.isSafeInteger(d.size) && d.size >= 0) result.size = d.size;
  const p = d.platform as Record<string, unknown> | undefined;
  if (p && typeof p.os === 'string' && typeof p.architecture === 'string') {
    result.platform = { os: p.os, architecture: p.architecture };
    if (typeof p.variant === 'string' && p.variant !== '') result.platform.variant = p.variant;
  }
  return result;
}

/** An image manifest or an index, told by its media type (body first, then Content-Type) or its shape. */
export function parseManifest(bytes: Buffer, contentType: string | null, what: string): ParsedManifest {
  const doc = parseJson(bytes, what);
  if (doc.schemaVersion === 1)
    throw new ImageReadError(
      `${what} is a Docker schema 1 manifest, which is not supported (push the image again with a current client)`,
    );
  const mediaType = typeof doc.mediaType === 'string' ? doc.mediaType : contentType;
  const isIndex =
    mediaType !== null && INDEX_TYPES.has(mediaType)
      ? true
      : mediaType !== null && IMAGE_TYPES.has(mediaType)
        ? false
        : Array.isArray(doc.manifests);
  if (isIndex) {
    if (!Array.isArray(doc.manifests)) throw new ImageReadError(`${what} is an index without a manifests list`);
    return { kind: 'index', mediaType, manifests: doc.manifests.map((m, i) => descriptor(m, `${what}, entry ${i}`)) };
  }
  if (!doc.config || !Array.isArray(doc.layers)) {
    throw new ImageReadError(
      `${what} is neither an image manifest nor an index${mediaType ? ` (media type ${mediaType})` : ''}`,
    );
  }
  return {
    kind: 'image',
    mediaType,
    config: descriptor(doc.config, `${what}, config`),
    layers: doc.layers.map((l, i) => descriptor(l, `${what}, layer ${i}`)),
  };
}

/**
 * The entry of an index to read: `--platform` when given; otherwise the host's platform when
 * listed, otherwise the only image. Attestation manifests (platform unknown/unknown) never count.
 * Several images and none for this host: an error that lists them.
 */
export function choosePlatformEntry(entries: Descriptor[], wanted: Platform | undefined, what: string): Descriptor {
  const images = entries.filter((d) => d.platform?.os !== 'unknown');
  const listed = (): string =>
    images.length > 0 ? images.map((d) => formatPlatform(d.platform)).join(', ') : 'nothing';
  if (images.length === 0) throw new ImageReadError(`${what} lists no image`);
  if (wanted) {
    const hit = images.find((d) => matchesPlatform(d.platform, wanted));
    if (!hit)
      throw new ImageReadError(`no image for platform ${formatPlatform(wanted)} in ${what} (it lists ${listed()})`);
    return hit;
  }
  const host = hostPlatform();
  const hit = images.find((d) => matchesPlatform(d.platform, host));
  if (hit) return hit;
  if (images.length === 1) return images[0]!;
  throw new ImageReadError(
    `${what} has no image for this host's platform ${formatPlatform(host)}; pick one with --platform (it ` +
      `lists ${listed()})`,
  );
}
