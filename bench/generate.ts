/**
 * Builds a synthetic image into the cache directory, or reuses the one already there when its
 * sidecar `<name>.meta.json` records the same generator version and spec hash and the archive
 * still has the recorded size.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { digestLayer, writeDockerArchive, type LayerDigest } from './archive.js';
import { ContentPool } from './content.js';
import { mix32 } from './prng.js';
import { planImage, type ImagePlan, type ImageSpec, type LayerStats } from './plan.js';

/** Bump when the bytes written for the same spec change. */
export const GENERATOR_VERSION = 1;

/** The layers' stats summed over the image, and how many layers there are. */
export type ImageTotals = LayerStats & { layers: number };

interface Meta {
  generator: number;
  specHash: string;
  name: string;
  size: number;
  sha256: string;
  configDigest: string;
  diffIds: string[];
  totals: ImageTotals;
  generatedSeconds: number;
}

export interface SyntheticImage {
  name: string;
  path: string;
  size: number;
  totals: ImageTotals;
  /** False when the cached archive was reused. */
  generated: boolean;
  seconds: number;
}

/**
 * The image rebuilt with one layer changed (for `strata diff`): every `every`-th regular file of
 * `layer`, and each of its files of at least 1 MiB, get other bytes of the same size. The layers
 * below and above are byte for byte the same, as a rebuild whose cache held for them would make them.
 */
export interface ImageVariant {
  /** Appended to the image's name: `realistic1g-changed`. */
  suffix: string;
  layer: number;
  every: number;
}

function specHash(spec: ImageSpec, variant?: ImageVariant): string {
  return createHash('sha256')
    .update(`${GENERATOR_VERSION}\n${JSON.stringify(spec)}${variant ? `\n${JSON.stringify(variant)}` : ''}`)
    .digest('hex');
}

function applyVariant(plan: ImagePlan, variant: ImageVariant): void {
  const layer = plan.layers[variant.layer];
  if (layer === undefined) throw new Error(`${plan.name} has no layer ${variant.layer}`);
  let files = 0;
  for (const entry of layer.entries) {
    if (entry.kind !== 'file') continue;
    if (files++ % variant.every === 0 || entry.size >= 1024 * 1024) entry.seed = mix32(entry.seed, 0x5eed);
  }
}

function totalsOf(layers: LayerStats[]): ImageTotals {
  const totals = { layers: layers.length } as ImageTotals;
  for (const stats of layers) {
    for (const [key, value] of Object.entries(stats) as Array<[keyof LayerStats, number]>)
      totals[key] = (totals[key] ?? 0) + value;
  }
  return totals;
}

async function readMeta(path: string): Promise<Meta | null> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as Meta;
  } catch {
    return null;
  }
}

export async function ensureImage(
  spec: ImageSpec,
  cacheDir: string,
  options: { force?: boolean; log?: (line: string) => void; variant?: ImageVariant } = {},
): Promise<SyntheticImage> {
  const log = options.log ?? (() => {});
  const name = options.variant ? `${spec.name}-${options.variant.suffix}` : spec.name;
  const path = join(cacheDir, `${name}.docker-archive.tar`);
  const metaPath = join(cacheDir, `${name}.meta.json`);
  const hash = specHash(spec, options.variant);

  if (!options.force) {
    const meta = await readMeta(metaPath);
    const size = await stat(path).then(
      (s) => s.size,
      () => -1,
    );
    // (A sidecar whose totals lack `bytes` predates their present shape: regenerate.)
    if (
      meta &&
      meta.generator === GENERATOR_VERSION &&
      meta.specHash === hash &&
      meta.size === size &&
      typeof meta.totals?.bytes === 'number'
    ) {
      return { name, path, size, totals: meta.totals, generated: false, seconds: 0 };
    }
  }

  await mkdir(cacheDir, { recursive: true });
  const started = performance.now();
  log(`generating ${name} into ${path} …`);
  const plan = planImage(spec);
  if (options.variant) applyVariant(plan, options.variant);
  const pool = new ContentPool(spec.seed);
  const digests: LayerDigest[] = [];
  for (const layer of plan.layers) digests.push(await digestLayer(layer, pool));
  const written = await writeDockerArchive(plan, digests, pool, path);
  const seconds = (performance.now() - started) / 1000;
  const totals = totalsOf(plan.layers.map((l) => l.stats));
  const meta: Meta = {
    generator: GENERATOR_VERSION,
    specHash: hash,
    name,
    size: written.size,
    sha256: written.sha256,
    configDigest: written.configDigest,
    diffIds: digests.map((d) => d.diffId),
    totals,
    generatedSeconds: Math.round(seconds * 10) / 10,
  };
  await writeFile(metaPath, `${JSON.stringify(meta, null, 2)}\n`);
  log(
    `generated ${name}: ${(written.size / 1e6).toFixed(1)} MB, ${totals.layers} layers, ${totals.files} files ` +
      `(${totals.overwrites} overwrites, ${totals.whiteouts} whiteouts of which ${totals.dirWhiteouts} ` +
      `directories, ${totals.opaques} opaque) ` +
      `in ${seconds.toFixed(1)} s`,
  );
  return { name, path, size: written.size, totals, generated: true, seconds };
}
