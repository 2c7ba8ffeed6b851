/**
 * `strata diff A B --json`: the machine-readable diff, schema version 1, described by
 * schema/diff-v1.schema.json. Fields are only ever added within a schema version.
 */
import type { DiffGateResult } from '../gate.js';
import type { ImageDiff } from '../types.js';

export type DiffJsonV1 = { schemaVersion: 1; sharedLayers: number; gate: DiffGateResult | null } & Omit<
  ImageDiff,
  'changes'
>;

/** The JSON document; `files` comes last, since it is the long part that tools stream through. */
export function buildDiffJson(diff: ImageDiff, gate: DiffGateResult | null = null): DiffJsonV1 {
  return {
    schemaVersion: 1,
    a: diff.a,
    b: diff.b,
    sharedLayers: diff.layers.shared.length,
    summary: diff.summary,
    layers: diff.layers,
    directories: diff.directories,
    risks: diff.risks,
    audit: diff.audit,
    waste: diff.waste,
    packages: diff.packages,
    gate,
    files: diff.files,
  };
}
