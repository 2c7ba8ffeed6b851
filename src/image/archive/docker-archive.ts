import { ImageReadError } from '../../util/errors.js';
import { quoteInput } from '../../util/escape.js';
import { maskUserInfo } from '../../util/user-info.js';
import { parseImageConfig, parseJson, sha256, verifyDigest } from '../config.js';
import type { ResolvedImage, SourceLayer } from '../source.js';
import type { MemberStore } from './members.js';

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
export async function resolveDockerArchive(store: MemberStore, verify: boolean): Promise<ResolvedImage> {
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
  if (verify && configDigest) verifyDigest(configBytes, configDigest, `config ${quoteInput(manifest.Config)}`);
  const config = parseImageConfig(parseJson(configBytes, `config ${quoteInput(manifest.Config)}`));

  const layers: SourceLayer[] = manifest.Layers.map((layer: unknown, position) => {
    if (typeof layer !== 'string') throw new ImageReadError('manifest.json has a layer that is not a path');
    const member = store.canonical(layer);
    return {
      position,
      member,
      expectedDigest: digestInName(member),
      mediaType: null,
      size: null,
      label: `layer ${quoteInput(member)}`,
    };
  });
  const tags = Array.isArray(manifest.RepoTags)
    ? manifest.RepoTags.filter((t): t is string => typeof t === 'string')
    : [];
  return {
    kind: 'docker-archive',
    reference: tags[0] === undefined ? null : maskUserInfo(tags[0]),
    manifestDigest: null,
    configDigest: configDigest ?? sha256(configBytes),
    config,
    layers,
    flavour: 'docker',
  };
}
