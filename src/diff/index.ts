/**
 * `strata diff A B`: what changed from image A to image B. Layers (the shared prefix, then each
 * image's own), files (by content, type, target and metadata), bytes per top directory, risks,
 * configuration and audit, waste. Core only: reporters are in ./report/, the command in
 * src/cli/commands/diff.ts.
 */
import type { ImageAnalysis } from '../analysis/analyze.js';
import { explanationTotals } from '../analysis/explain/index.js';
import type { ImageIndex } from '../image/types.js';
import { auditDiff } from './audit.js';
import { directoryDeltas } from './directories.js';
import { compareFilesystems } from './files.js';
import { layerDiff, sharedPrefix } from './layers.js';
import { packageDiff } from './packages.js';
import { riskDiff } from './risks.js';
import type { ChangeCounts, DiffImage, FileDiff, ImageDiff, WasteFigures } from './types.js';

/** An image and its analysis: what `readAndAnalyze` gives. */
export interface DiffSide {
  image: ImageIndex;
  analysis: ImageAnalysis;
}

/**
 * Compares two read and analysed images. Asynchronous only because a file of A and one of B may
 * need their contents hashed to be compared (see ./content.ts).
 */
export async function diffImages(a: DiffSide, b: DiffSide): Promise<ImageDiff> {
  const shared = sharedPrefix(a.image, b.image);
  const files = await compareFilesystems(
    { image: a.image, stack: a.analysis.stack },
    { image: b.image, stack: b.analysis.stack },
    shared,
  );
  const directories = directoryDeltas(a.analysis.stack.final, b.analysis.stack.final, files);
  const imageA = diffImage(a);
  const imageB = diffImage(b);
  const counts = countChanges(files);
  return {
    a: imageA,
    b: imageB,
    layers: layerDiff(a, b, shared),
    summary: {
      ...counts.files,
      sizeDelta: imageB.size - imageA.size,
      filesystemDelta: imageB.filesystemSize - imageA.filesystemSize,
      wasteDelta: b.analysis.exact.hiddenBytes - a.analysis.exact.hiddenBytes,
      directories: counts.directories,
    },
    files,
    changes: new Map(files.map((file) => [file.path, file])),
    directories,
    risks: riskDiff(a.analysis.risks, b.analysis.risks),
    audit: auditDiff(
      { config: a.image.config, audit: a.analysis.audit },
      { config: b.image.config, audit: b.analysis.audit },
    ),
    waste: { a: wasteFigures(a.analysis), b: wasteFigures(b.analysis) },
    packages: packageDiff(a.analysis.packages, b.analysis.packages),
  };
}

function diffImage({ image, analysis }: DiffSide): DiffImage {
  const c = image.config;
  let filesystemSize = 0;
  for (const state of analysis.stack.final.values()) if (state.type === 'file') filesystemSize += state.size;
  return {
    reference: image.reference,
    digest: image.manifestDigest ?? image.configDigest,
    manifestDigest: image.manifestDigest,
    configDigest: image.configDigest,
    source: image.source,
    platform: [c.os, c.architecture, c.variant].filter(Boolean).join('/'),
    created: c.created,
    layerCount: image.layers.length,
    size: analysis.exact.totalBytes,
    compressedSize: image.layers.reduce((sum, layer) => sum + layer.compressedSize, 0),
    filesystemSize,
    verified: image.verified,
  };
}

function wasteFigures(analysis: ImageAnalysis): WasteFigures {
  return {
    hiddenBytes: analysis.exact.hiddenBytes,
    hiddenFiles: analysis.exact.hidden.length,
    efficiency: analysis.exact.efficiency,
    diveWastedBytes: analysis.dive.wastedBytes,
    diveEfficiency: analysis.dive.efficiency,
    savingsBytes: explanationTotals(analysis.explanations).totalBytes,
  };
}

function countChanges(files: readonly FileDiff[]): { files: ChangeCounts; directories: ChangeCounts } {
  const counts = {
    files: { added: 0, removed: 0, modified: 0, metadata: 0 },
    directories: { added: 0, removed: 0, modified: 0, metadata: 0 },
  };
  for (const file of files) counts[file.directory ? 'directories' : 'files'][file.change]++;
  return counts;
}

export type * from './types.js';
