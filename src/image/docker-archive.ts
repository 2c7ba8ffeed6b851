import { layerMediaType } from '../layers/compression.js';
import { ImageReadError } from '../util/errors.js';
import { maskUserInfo } from '../util/user-info.js';
import { assembleLayers, whenVerified, type LayerRef } from './assemble.js';
import { parseImageConfig, parseJson, sha256, verifyDigest } from './config.js';
import type { MemberStore } from './members.js';
import type { ImageIndex } from './types.js';
import { quoteInput } from '../util/escape.js';

export interface ReadOptions {
  verify: boolean;
  concurrency: number;
  onLayer?: (position: number, total: number) => void;
  /** Given the image once its layers are read, while their digests may still be being checked (see `whenVerified`). */
  whileVerifying?: (image: ImageIndex) => void;
}

/**
 * The digest a member's name carries, if any: `blobs/sha256/<hex>` (Docker ≥ 25 and OCI),
 * `<hex>.tar` (podman), `<hex>.tar.gz` and `sha256:<hex>` (kaniko). Legacy `<id>/layer.tar` names
 * carry a layer ID, not a digest: those layers are verified through the config's diff_ids alone.
 */
export function digestInName(name: string): string | null {
  const blob = /^blobs\/(sha256)\/([0-9a-f]{64})$/.exec(name);
  if (blob) return `${blob[1]}:${blob[2]}`;
  const base = name.slice(name.lastIndexOf('/') + 1);
  const m = /^(?:sha256:)?([0-9a-f]{64})(?:\.tar(?:\.gz|\.zst)?|\.tgz|\.json)?$/.exec(base);
  return m ? `sha256:${m[1]}` : null;
}

/** docker-archive (`docker save`, `podman save`, Docker ≥ 25) and kaniko tarballs: manifest.json. */
export async function readDockerArchive(store: MemberStore, options: ReadOptions): Promise<ImageIndex> {
  const manifestList = parseJson(await store.bytes('manifest.json'), 'manifest.json') as unknown;
  if (!Array.isArray(manifestList) || manifestList.length === 0)
    throw new ImageReadError('manifest.json lists no image');
  const first: unknown = manifestList[0];
  if (first === null || typeof first !== 'object' || Array.isArray(first))
    throw new ImageReadError('manifest.json: its first image is not an object');
  const manifest = first as { Config?: unknown; Layers?: unknown; RepoTags?: unknown };
  if (typeof manifest.Config !== 'string' || !Array.isArray(manifest.Layers)) {
    throw new ImageReadError('manifest.json has no Config or Layers');
  }
  const configName = store.canonical(manifest.Config);
  const configBytes = await store.bytes(configName);
  const configDigest = digestInName(configName);
  if (options.verify && configDigest) verifyDigest(configBytes, configDigest, `config ${quoteInput(manifest.Config)}`);
  const config = parseImageConfig(parseJson(configBytes, `config ${quoteInput(manifest.Config)}`));

  const refs: LayerRef[] = manifest.Layers.map((layer: unknown) => {
    if (typeof layer !== 'string') throw new ImageReadError('manifest.json has a layer that is not a path');
    const member = store.canonical(layer);
    return { member, expectedDigest: digestInName(member), mediaType: null };
  });
  const { layers, verification } = await assembleLayers(refs, config, {
    verify: options.verify,
    concurrency: options.concurrency,
    readLayer: async (ref, i) => {
      const index = await store.layer(ref.member);
      options.onLayer?.(i + 1, refs.length);
      return index;
    },
    inferMediaType: (index) => layerMediaType(index.compression, 'docker'),
  });
  const tags = Array.isArray(manifest.RepoTags)
    ? manifest.RepoTags.filter((t): t is string => typeof t === 'string')
    : [];
  const image: ImageIndex = {
    source: 'docker-archive',
    reference: tags[0] === undefined ? null : maskUserInfo(tags[0]),
    manifestDigest: null,
    configDigest: configDigest ?? sha256(configBytes),
    config,
    layers,
    verified: options.verify,
  };
  return whenVerified(image, verification, options.whileVerifying);
}
