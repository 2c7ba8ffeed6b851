import type { ImageAnalysis } from '../analysis/analyze.js';
import type { AuditFinding } from '../analysis/audit/index.js';
import type { Explanation } from '../analysis/explain/index.js';
import type { RiskFinding } from '../analysis/risks/index.js';
import type { ImageIndex, SourceKind } from '../image/types.js';
import type { LayerPackageChanges, PackageItem, PackageManager } from '../packages/index.js';
import type { EntryType } from '../layers/types.js';
import { sortBytewise } from '../tree/path-order.js';
import { StreamedArray } from './json-stream.js';
import type { ChangeStatus, FileChange, HiddenReason } from '../tree/types.js';

/**
 * The machine-readable report, `--json`. Fields are only ever added within a schema version, and each
 * addition extends schema/report-v1.schema.json (docs/json-report.md says how).
 */
export interface JsonReportV1 {
  schemaVersion: 1;
  image: JsonImage;
  layers: JsonLayer[];
  waste: JsonWaste;
  dive: JsonDive;
  /** Files that should not ship (see docs/analysis.md). */
  risks: RiskFinding[];
  /** Checks of the image's configuration and build (see docs/analysis.md). */
  audit: AuditFinding[];
  /** The waste told to a developer, largest saving first (see docs/analysis.md). */
  explanations: Explanation[];
  /** Which OS package shipped which bytes (see docs/packages.md). */
  packages: JsonPackages;
}

export interface JsonPackages {
  managers: PackageManager[];
  items: PackageItem[];
  unownedBytes: number;
  largestUnowned: Array<{ path: string; size: number }>;
  unreadable: string[];
}

export interface JsonImage {
  source: SourceKind;
  reference: string | null;
  manifestDigest: string | null;
  configDigest: string;
  os: string;
  architecture: string;
  created: string | null;
  user: string;
  labels: Record<string, string>;
  env: string[];
  layerCount: number;
}

export interface JsonLayer {
  index: number;
  digest: string;
  diffId: string;
  mediaType: string;
  compressedSize: number;
  /** Tar entries, as counted by the layer index. */
  entries: number;
  /** Bytes of regular-file data the layer ships (same-layer duplicates included). */
  size: number;
  /** The history's `created_by`, "" when the history is missing. */
  command: string;
  created: string | null;
  /** Non-directory changes by status. */
  counts: { added: number; modified: number; removed: number; unmodified: number };
  /** Bytes this layer ships that nothing reaches in the final filesystem. */
  hiddenLaterBytes: number;
  /** Packages this layer installed, removed and upgraded (a version change), by bare name. */
  packages: LayerPackageChanges;
  /** Every path the layer touched, sorted bytewise. */
  files: JsonFile[];
}

export interface JsonFile {
  path: string;
  status: ChangeStatus;
  type: EntryType;
  /** Content size (a hardlink's is its target's); 0 for directories. */
  size: number;
  mode: number;
  uid: number;
  gid: number;
  linkTarget?: string;
}

export interface JsonWaste {
  totalBytes: number;
  visibleBytes: number;
  hiddenBytes: number;
  efficiency: number;
  hidden: JsonHiddenPiece[];
}

export interface JsonHiddenPiece {
  path: string;
  size: number;
  layer: number;
  hiddenBy: number;
  reason: HiddenReason;
}

export interface JsonDive {
  efficiency: number;
  wastedBytes: number;
  userWastedPercent: number | null;
  sizeBytes: number;
  userSizeBytes: number;
  inefficientFiles: { path: string; count: number; sizeBytes: number }[];
}

/** How a report lists a long array of `length` elements: whole, or streamed element by element. */
type ListOf = <U>(length: number, item: (index: number) => U) => U[] | StreamedArray<U>;

/** Builds the v1 report. Every array comes out in a stable order, so equal images give equal JSON. */
export function buildJsonReport(image: ImageIndex, analysis: ImageAnalysis): JsonReportV1 {
  return assemble(image, analysis, (length, item) => Array.from({ length }, (_, index) => item(index))) as JsonReportV1;
}

/**
 * The same report with its long arrays (the layers, their files, the hidden pieces) made only as
 * they are written: for `writeJson`, which prints it as `JSON.stringify(buildJsonReport(…), null, 2)`
 * would, without holding it whole.
 */
export function streamedJsonReport(image: ImageIndex, analysis: ImageAnalysis): unknown {
  return assemble(image, analysis, (length, item) => new StreamedArray(length, item));
}

function assemble(image: ImageIndex, analysis: ImageAnalysis, list: ListOf) {
  const { stack, exact, dive } = analysis;
  const { config } = image;
  return {
    schemaVersion: 1,
    image: {
      source: image.source,
      reference: image.reference,
      manifestDigest: image.manifestDigest,
      configDigest: image.configDigest,
      os: config.os,
      architecture: config.architecture,
      created: config.created,
      user: config.user,
      labels: sortedRecord(config.labels),
      env: [...config.env],
      layerCount: image.layers.length,
    },
    layers: list(image.layers.length, (position) => {
      const layer = image.layers[position]!;
      const changes = stack.layers[position];
      return {
        index: layer.index,
        digest: layer.digest,
        diffId: layer.diffId,
        mediaType: layer.mediaType,
        compressedSize: layer.compressedSize,
        entries: layer.entryCount,
        size: exact.shippedBytes[position] ?? 0,
        command: layer.command,
        created: layer.created,
        counts: changes ? { ...changes.counts } : { added: 0, modified: 0, removed: 0, unmodified: 0 },
        hiddenLaterBytes: exact.hiddenLaterBytes[position] ?? 0,
        packages: analysis.packages.layers[position] ?? { added: [], removed: [], upgraded: [] },
        files: list(changes?.count ?? 0, (index) => toJsonFile(changes!.change(index))),
      };
    }),
    waste: {
      totalBytes: exact.totalBytes,
      visibleBytes: exact.visibleBytes,
      hiddenBytes: exact.hiddenBytes,
      efficiency: exact.efficiency,
      hidden: list(exact.hidden.length, (index) => {
        const { path, size, layer, hiddenBy, reason } = exact.hidden[index]!;
        return { path, size, layer, hiddenBy, reason };
      }),
    },
    dive: {
      efficiency: dive.efficiency,
      wastedBytes: dive.wastedBytes,
      userWastedPercent: dive.userWastedPercent,
      sizeBytes: dive.sizeBytes,
      userSizeBytes: dive.userSizeBytes,
      inefficientFiles: dive.inefficientFiles.map(({ path, count, sizeBytes }) => ({ path, count, sizeBytes })),
    },
    risks: analysis.risks,
    audit: analysis.audit,
    explanations: analysis.explanations,
    packages: {
      managers: analysis.packages.managers,
      items: analysis.packages.items,
      unownedBytes: analysis.packages.unownedBytes,
      largestUnowned: analysis.packages.largestUnowned,
      unreadable: analysis.packages.unreadable,
    },
  };
}

function toJsonFile(change: FileChange): JsonFile {
  const file: JsonFile = {
    path: change.path,
    status: change.status,
    type: change.type,
    size: change.type === 'dir' ? 0 : change.size,
    mode: change.mode,
    uid: change.uid,
    gid: change.gid,
  };
  if (change.linkTarget !== undefined) file.linkTarget = change.linkTarget;
  return file;
}

/** Labels keyed in a stable (bytewise) order, whatever order the config listed them in. */
function sortedRecord(record: Record<string, string>): Record<string, string> {
  const sorted: Record<string, string> = {};
  for (const key of sortBytewise(Object.keys(record))) sorted[key] = record[key]!;
  return sorted;
}
