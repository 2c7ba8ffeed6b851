import { ImageReadError } from '../../util/errors.js';
import { quoteInput } from '../../util/escape.js';
import { maskUserInfo } from '../../util/user-info.js';
import { parseImageConfig, parseJson, verifyDigest } from '../config.js';
import { formatPlatform, hostPlatform, matchesPlatform } from '../platform.js';
import type { ResolvedImage, SourceLayer } from '../source.js';
import type { Platform, SourceKind } from '../types.js';
import type { MemberStore } from './members.js';

export interface OciResolveOptions {
  verify: boolean;
  platform: Platform | undefined;
  /** What the image is reported as coming from: an OCI archive, a layout directory, Docker ≥ 25's archive. */
  kind: SourceKind;
  /** `oci:DIR:tag`: only the images index.json names so. */
  tag: string | null;
}

interface Descriptor {
  mediaType?: string;
  digest: string;
  size?: number;
  platform?: Platform;
  annotations?: Record<string, string>;
}

const INDEX_TYPES = new Set([
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
]);
const REF_NAME = 'org.opencontainers.image.ref.name';

function blobName(digest: unknown): string {
  if (typeof digest !== 'string') throw new ImageReadError('a descriptor has no digest');
  // Only well-formed digests become file names: a digest is never allowed to walk the layout.
  const m = /^(sha256|sha512):([0-9a-f]{64}|[0-9a-f]{128})$/.exec(digest);
  if (!m) throw new ImageReadError(`unsupported or malformed digest "${quoteInput(digest)}"`);
  return `blobs/${m[1]}/${m[2]}`;
}

async function readBlob(store: MemberStore, descriptor: Descriptor, verify: boolean, what: string): Promise<Buffer> {
  const name = blobName(descriptor.digest);
  if (!store.has(name)) throw new ImageReadError(`${what} ${descriptor.digest} is missing from the layout`);
  const bytes = await store.bytes(name);
  if (verify) verifyDigest(bytes, descriptor.digest, `${what} ${descriptor.digest}`);
  return bytes;
}

/**
 * A descriptor as the image wrote it, checked: not an object, or without a digest, is refused in one
 * line; fields of the wrong type are dropped (a ref.name that is not a string names nothing).
 */
function descriptorFrom(raw: unknown, where: string): Descriptor {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw new ImageReadError(`${where} lists a descriptor that is not an object`);
  const d = raw as Record<string, unknown>;
  if (typeof d.digest !== 'string') throw new ImageReadError('a descriptor has no digest');
  const isObject = (v: unknown): v is Record<string, unknown> =>
    v !== null && typeof v === 'object' && !Array.isArray(v);
  const annotations = isObject(d.annotations)
    ? Object.fromEntries(Object.entries(d.annotations).filter((e): e is [string, string] => typeof e[1] === 'string'))
    : undefined;
  return {
    digest: d.digest,
    ...(typeof d.mediaType === 'string' ? { mediaType: d.mediaType } : {}),
    ...(typeof d.size === 'number' ? { size: d.size } : {}),
    ...(isObject(d.platform) ? { platform: d.platform as unknown as Platform } : {}),
    ...(annotations ? { annotations } : {}),
  };
}

interface Candidate {
  descriptor: Descriptor;
  refName: string | null;
}

/** Every image manifest reachable from index.json (those of `tag` only, when given), following nested indexes. */
async function collectManifests(store: MemberStore, verify: boolean, tag: string | null): Promise<Candidate[]> {
  let root = parseJson(await store.bytes('index.json'), 'index.json');
  if (tag !== null) root = tagged(root, tag);
  const found: Candidate[] = [];
  const walk = async (index: Record<string, unknown>, refName: string | null, depth: number): Promise<void> => {
    if (depth > 8) throw new ImageReadError('index.json nests image indexes too deeply');
    if (!Array.isArray(index.manifests)) throw new ImageReadError('an image index has no manifests list');
    for (const entry of index.manifests as unknown[]) {
      const raw = descriptorFrom(entry, 'an image index');
      const name = raw.annotations?.[REF_NAME] ?? refName;
      if (raw.mediaType && INDEX_TYPES.has(raw.mediaType)) {
        const nested = parseJson(await readBlob(store, raw, verify, 'image index'), `image index ${raw.digest}`);
        await walk(nested, name, depth + 1);
      } else {
        found.push({ descriptor: raw, refName: name });
      }
    }
  };
  await walk(root, null, 0);
  if (found.length === 0) throw new ImageReadError('index.json lists no image manifest');
  return found;
}

/**
 * `--platform` when given; otherwise the host's platform when listed, otherwise the first real
 * image (attestation manifests carry the platform unknown/unknown and are passed over).
 */
export function choosePlatform(candidates: Candidate[], wanted: Platform | undefined): Candidate {
  if (wanted) {
    const hit = candidates.find((c) => matchesPlatform(c.descriptor.platform, wanted));
    if (!hit) {
      const listed = candidates.map((c) => formatPlatform(c.descriptor.platform)).join(', ');
      throw new ImageReadError(`no image for platform ${formatPlatform(wanted)} (the index lists ${listed})`);
    }
    return hit;
  }
  const images = candidates.filter((c) => c.descriptor.platform?.os !== 'unknown');
  const pool = images.length > 0 ? images : candidates;
  return pool.find((c) => matchesPlatform(c.descriptor.platform, hostPlatform())) ?? pool[0]!;
}

/** OCI image layout, in a tar (oci-archive) or a directory. */
export async function resolveOciLayout(store: MemberStore, options: OciResolveOptions): Promise<ResolvedImage> {
  const chosen = choosePlatform(await collectManifests(store, options.verify, options.tag), options.platform);
  const manifest = parseJson(
    await readBlob(store, chosen.descriptor, options.verify, 'manifest'),
    `manifest ${chosen.descriptor.digest}`,
  );
  if (!manifest.config || !Array.isArray(manifest.layers))
    throw new ImageReadError(`manifest ${chosen.descriptor.digest} has no config or layers`);
  const configDescriptor = descriptorFrom(manifest.config, `manifest ${chosen.descriptor.digest}`);
  const configBytes = await readBlob(store, configDescriptor, options.verify, 'config');
  const config = parseImageConfig(parseJson(configBytes, `config ${configDescriptor.digest}`));

  const layerDescriptors = (manifest.layers as unknown[]).map((d) =>
    descriptorFrom(d, `manifest ${chosen.descriptor.digest}`),
  );
  const layers: SourceLayer[] = layerDescriptors.map((d, position) => {
    const member = blobName(d.digest);
    return {
      position,
      member,
      expectedDigest: d.digest,
      mediaType: d.mediaType ?? null,
      size: typeof d.size === 'number' ? d.size : null,
      label: `layer ${quoteInput(member)}`,
    };
  });
  for (const layer of layers) {
    if (!store.has(layer.member))
      throw new ImageReadError(`layer blob ${layer.expectedDigest} is missing from the layout`);
  }
  return {
    kind: options.kind,
    reference: chosen.refName === null ? null : maskUserInfo(chosen.refName),
    manifestDigest: chosen.descriptor.digest,
    configDigest: configDescriptor.digest,
    config,
    layers,
    flavour: 'oci',
  };
}

const CONTAINERD_NAME = 'io.containerd.image.name';

/** Whether an index.json entry carries the tag: `latest`, or a full `localhost/tiny:latest`. */
function carriesTag(annotations: Record<string, unknown> | undefined, tag: string): boolean {
  for (const key of [REF_NAME, CONTAINERD_NAME]) {
    const value = annotations?.[key];
    if (typeof value !== 'string') continue;
    if (value === tag) return true;
    const colon = value.lastIndexOf(':');
    if (colon > value.lastIndexOf('/') && value.slice(colon + 1) === tag) return true;
  }
  return false;
}

/** index.json narrowed to the entries of one tag (`oci:DIR:tag`). */
function tagged(index: Record<string, unknown>, tag: string): Record<string, unknown> {
  const manifests = (Array.isArray(index.manifests) ? index.manifests : []) as Array<{
    annotations?: Record<string, unknown>;
  }>;
  const kept = manifests.filter((m) => carriesTag(m.annotations, tag));
  if (kept.length === 0) {
    const names = manifests.map((m) => m.annotations?.[REF_NAME]).filter((n): n is string => typeof n === 'string');
    throw new ImageReadError(
      `no image tagged "${tag}" in the layout (` +
        `${names.length > 0 ? `it has ${names.join(', ')}` : 'its images carry no ref names'})`,
    );
  }
  return { ...index, manifests: kept };
}
