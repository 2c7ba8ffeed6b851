import { arch as hostArch } from 'node:process';
import { layerMediaType } from '../layers/compression.js';
import { ImageReadError, StrataError } from '../util/errors.js';
import { assembleLayers, whenVerified, type LayerRef } from './assemble.js';
import { parseImageConfig, parseJson, verifyDigest } from './config.js';
import type { ReadOptions } from './docker-archive.js';
import type { MemberStore } from './members.js';
import type { ImageIndex, SourceKind } from './types.js';
import { quoteInput } from '../util/escape.js';
import { maskUserInfo } from '../util/user-info.js';

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

export interface OciReadOptions extends ReadOptions {
  platform?: Platform;
  source: SourceKind;
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

/** "linux/arm64/v8" → a platform; a usage error when it does not parse. */
export function parsePlatform(text: string): Platform {
  const [os, architecture, variant, extra] = text.split('/');
  if (!os || !architecture || extra !== undefined)
    throw new StrataError(`invalid platform "${text}": expected os/arch[/variant]`);
  return variant ? { os, architecture, variant } : { os, architecture };
}

export function formatPlatform(p: Platform | undefined): string {
  if (!p) return 'unknown';
  return [p.os, p.architecture, p.variant].filter(Boolean).join('/');
}

/** Node's names for CPUs → the OCI ones. */
export function hostPlatform(): Platform {
  const architecture =
    (
      { x64: 'amd64', ia32: '386', arm64: 'arm64', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x' } as Record<
        string,
        string
      >
    )[hostArch] ?? hostArch;
  return { os: 'linux', architecture };
}

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

/** Every image manifest reachable from index.json, following nested indexes. */
async function collectManifests(store: MemberStore, verify: boolean): Promise<Candidate[]> {
  const root = parseJson(await store.bytes('index.json'), 'index.json');
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

function matches(p: Platform | undefined, want: Platform): boolean {
  return (
    !!p && p.os === want.os && p.architecture === want.architecture && (!want.variant || p.variant === want.variant)
  );
}

/**
 * `--platform` when given; otherwise the host's platform when listed, otherwise the first real
 * image (attestation manifests carry the platform unknown/unknown and are passed over).
 */
export function choosePlatform(candidates: Candidate[], wanted: Platform | undefined): Candidate {
  if (wanted) {
    const hit = candidates.find((c) => matches(c.descriptor.platform, wanted));
    if (!hit) {
      const listed = candidates.map((c) => formatPlatform(c.descriptor.platform)).join(', ');
      throw new ImageReadError(`no image for platform ${formatPlatform(wanted)} (the index lists ${listed})`);
    }
    return hit;
  }
  const images = candidates.filter((c) => c.descriptor.platform?.os !== 'unknown');
  const pool = images.length > 0 ? images : candidates;
  return pool.find((c) => matches(c.descriptor.platform, hostPlatform())) ?? pool[0]!;
}

/** OCI image layout, in a tar (oci-archive) or a directory. */
export async function readOciLayout(store: MemberStore, options: OciReadOptions): Promise<ImageIndex> {
  const chosen = choosePlatform(await collectManifests(store, options.verify), options.platform);
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
  const refs: LayerRef[] = layerDescriptors.map((d) => ({
    member: blobName(d.digest),
    expectedDigest: d.digest,
    mediaType: d.mediaType ?? null,
  }));
  for (const ref of refs) {
    if (!store.has(ref.member)) throw new ImageReadError(`layer blob ${ref.expectedDigest} is missing from the layout`);
  }
  const { layers, verification } = await assembleLayers(refs, config, {
    verify: options.verify,
    concurrency: options.concurrency,
    readLayer: async (ref, i) => {
      const index = await store.layer(ref.member);
      options.onLayer?.(i + 1, refs.length);
      return index;
    },
    inferMediaType: (index) => layerMediaType(index.compression, 'oci'),
  });
  const image: ImageIndex = {
    source: options.source,
    reference: chosen.refName === null ? null : maskUserInfo(chosen.refName),
    manifestDigest: chosen.descriptor.digest,
    configDigest: configDescriptor.digest,
    config,
    layers,
    verified: options.verify,
  };
  return whenVerified(image, verification, options.whileVerifying);
}
