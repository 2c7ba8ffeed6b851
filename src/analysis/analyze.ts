import type { ImageIndex } from '../image/types.js';
import { stackLayers } from '../tree/stack.js';
import type { Stack } from '../tree/types.js';
import { analyzePackages, type PackageReport } from '../packages/index.js';
import { auditImage, type AuditFinding } from './audit/index.js';
import { explainWaste, type Explanation } from './explain/index.js';
import { findRisks, type RiskFinding } from './risks/index.js';
import { computeDiveEfficiency, type DiveEfficiency } from './waste/dive.js';
import { computeExactWaste, type ExactWaste } from './waste/exact.js';

export interface AnalysisOptions {
  /** Also report risky files that a later layer hid (they are still in the image). */
  allLayers?: boolean;
  /** The clock for the image-age check; tests pin it. */
  now?: Date;
}

/** Everything the reports and the TUI need to know about an image's layers. */
export interface ImageAnalysis {
  stack: Stack;
  exact: ExactWaste;
  dive: DiveEfficiency;
  risks: RiskFinding[];
  audit: AuditFinding[];
  /** The hidden bytes (and caches left) told to a developer, largest saving first. */
  explanations: Explanation[];
  /** Which OS package shipped which bytes, from the package databases in the image. */
  packages: PackageReport;
}

export function analyzeImage(image: ImageIndex, options: AnalysisOptions = {}): ImageAnalysis {
  const stack = stackLayers(image.layers);
  const exact = computeExactWaste(stack);
  const analysis: ImageAnalysis = {
    stack,
    exact,
    dive: computeDiveEfficiency(image.layers),
    risks: findRisks(image, stack, { allLayers: options.allLayers ?? false }),
    audit: auditImage(image, stack, { now: options.now }),
    explanations: explainWaste(image, stack, exact),
    packages: analyzePackages(stack),
  };
  namePackages(analysis);
  return analysis;
}

/** Risk findings name the package that shipped their file ("/usr/bin/gcc-12 from gcc-12"). */
export function namePackages(analysis: ImageAnalysis): void {
  for (const risk of analysis.risks) {
    const owner = analysis.packages.ownerOf(risk.path);
    if (owner !== undefined) risk.package = owner.name;
  }
}
