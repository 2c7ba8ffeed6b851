import { createHash } from 'node:crypto';
import { ImageReadError, VerificationError } from '../util/errors.js';
import type { HistoryEntry, ImageConfig } from './types.js';
import { quoteInput } from '../util/escape.js';

type Json = Record<string, unknown>;

export function sha256(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** Parses a JSON document of the archive, naming it in the error when it is not JSON. */
export function parseJson(bytes: Buffer, what: string): Json {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw new ImageReadError(`${what} is not valid JSON (${(err as Error).message})`);
  }
  if (value === null || typeof value !== 'object') throw new ImageReadError(`${what} is not a JSON object`);
  return value as Json;
}

export function verifyDigest(bytes: Uint8Array, expected: string, what: string): void {
  const actual = sha256(bytes);
  if (expected.toLowerCase() !== actual)
    throw new VerificationError(`${what}: digest mismatch (expected ${quoteInput(expected)}, got ${actual})`);
}

const DIFF_ID = /^(?:sha256:[0-9a-f]{64}|sha512:[0-9a-f]{128})$/i;

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const strOrNull = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const strings = (v: unknown): string[] | null =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : null;
const object = (v: unknown): Json => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});

/** The image config (OCI image config, or Docker's), reduced to the facts strata reports. */
export function parseImageConfig(doc: Json): ImageConfig {
  const config = object(doc.config ?? doc.container_config);
  const rootfs = object(doc.rootfs);
  const diffIds = strings(rootfs.diff_ids);
  if (diffIds === null) throw new ImageReadError('the image config has no rootfs.diff_ids');
  // A diff_id names a layer everywhere (the cache, the reports): anything but a digest is a broken config.
  diffIds.forEach((id, i) => {
    if (!DIFF_ID.test(id))
      throw new ImageReadError(`the image config's diff_id ${i} is malformed: "${quoteInput(id)}"`);
  });
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(object(config.Labels))) if (typeof v === 'string') labels[k] = v;
  const healthcheck = strings(object(config.Healthcheck).Test);
  const history: HistoryEntry[] = Array.isArray(doc.history)
    ? doc.history.map((h) => {
        const entry = object(h);
        const result: HistoryEntry = {
          created: strOrNull(entry.created),
          createdBy: str(entry.created_by),
          emptyLayer: entry.empty_layer === true,
        };
        if (typeof entry.comment === 'string') result.comment = entry.comment;
        return result;
      })
    : [];
  const result: ImageConfig = {
    os: str(doc.os),
    architecture: str(doc.architecture),
    created: strOrNull(doc.created),
    user: str(config.User),
    labels,
    env: strings(config.Env) ?? [],
    cmd: strings(config.Cmd),
    entrypoint: strings(config.Entrypoint),
    workingDir: str(config.WorkingDir),
    exposedPorts: Object.keys(object(config.ExposedPorts)).sort(),
    healthcheck: healthcheck && healthcheck.length > 0 && healthcheck[0] !== 'NONE' ? healthcheck : null,
    history,
    diffIds,
  };
  if (typeof doc.variant === 'string') result.variant = doc.variant;
  return result;
}

/**
 * The history entry of each layer: the non-empty history entries, in order. Images built by some
 * tools have no history, or fewer entries than layers: those layers get no command.
 */
export function historyForLayers(
  config: ImageConfig,
  layerCount: number,
): Array<{ command: string; created: string | null }> {
  const nonEmpty = config.history.filter((h) => !h.emptyLayer);
  return Array.from({ length: layerCount }, (_, i) => {
    const h = nonEmpty[i];
    return { command: h?.createdBy ?? '', created: h?.created ?? null };
  });
}
