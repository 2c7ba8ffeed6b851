/**
 * In-memory images for the risk rules and the audit: tar entries with first bytes and captured content
 * as the layer indexer records them, stacked into an ImageIndex + Stack.
 */
import { shouldCapture } from '../../src/layers/capture.js';
import { CAPTURE_MAX_BYTES, HEAD_BYTES, type TarEntry } from '../../src/layers/types.js';
import type { ImageConfig, ImageIndex } from '../../src/image/types.js';
import { stackLayers } from '../../src/tree/index.js';
import type { Stack } from '../../src/tree/types.js';
import { findRisks } from '../../src/analysis/risks/index.js';
import type { FindRisksOptions, RiskFinding } from '../../src/analysis/risks/index.js';
import { file, imageOf, layer } from './layers.js';

export { dir, file, hardlink, opaque, symlink, whiteout } from './layers.js';

interface Meta {
  mode?: number;
  uid?: number;
  gid?: number;
}

/** A regular file with the given bytes, its head and (for capture-listed paths) its content. */
export function bytesFile(path: string, bytes: Uint8Array, meta: Meta = {}): TarEntry {
  const entry = file(path, Buffer.from(bytes).toString('latin1'), meta);
  entry.size = bytes.length;
  if (bytes.length > 0) entry.head = Buffer.from(bytes.subarray(0, HEAD_BYTES)).toString('latin1');
  if (shouldCapture(path) && bytes.length <= CAPTURE_MAX_BYTES) entry.content = bytes.slice();
  return entry;
}

/** A text file, indexed like the layer reader does (head, captured content). */
export function textFile(path: string, text: string, meta: Meta = {}): TarEntry {
  return bytesFile(path, new TextEncoder().encode(text), meta);
}

const ELF_HEADER = [0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x00, 0x3e, 0x00];

/** A compiled program: ELF magic; `tag` makes distinct programs distinct content. */
export function elf(path: string, meta: Meta = { mode: 0o755 }, tag = path): TarEntry {
  const bytes = Uint8Array.from([...ELF_HEADER, ...new TextEncoder().encode(`program ${tag}`)]);
  return bytesFile(path, bytes, { mode: 0o755, ...meta });
}

/** A script: a `#!` shebang. */
export function script(path: string, interpreter = '/bin/sh', meta: Meta = {}): TarEntry {
  return textFile(path, `#!${interpreter}\necho ${path}\n`, { mode: 0o755, ...meta });
}

export interface FixtureImage {
  image: ImageIndex;
  stack: Stack;
}

/** An image of the given layers; `commands[i]` is layer i's `created_by`. */
export function fixtureImage(
  layers: TarEntry[][],
  config: Partial<ImageConfig> = {},
  commands: string[] = [],
): FixtureImage {
  const layerList = layers.map(layer);
  const createdBy = layerList.map((_, i) => commands[i] ?? `/bin/sh -c #(nop) COPY layer-${i} /`);
  const image = imageOf(layerList, {
    commands: createdBy,
    image: { source: 'oci-dir', configDigest: 'sha256:' + '0'.repeat(64) },
    config: { history: createdBy.map((c) => ({ created: null, createdBy: c, emptyLayer: false })), ...config },
  });
  return { image, stack: stackLayers(image.layers) };
}

/** The risks of an image made of these layers. */
export function risksOf(layers: TarEntry[][], options: FindRisksOptions = {}, commands: string[] = []): RiskFinding[] {
  const { image, stack } = fixtureImage(layers, {}, commands);
  return findRisks(image, stack, options);
}

/** Findings of one rule id (or of a rule-id prefix ending with "."). */
export function byRule(findings: readonly RiskFinding[], rule: string): RiskFinding[] {
  return findings.filter((f) => (rule.endsWith('.') ? f.rule.startsWith(rule) : f.rule === rule));
}

export function paths(findings: readonly RiskFinding[]): string[] {
  return findings.map((f) => f.path);
}
