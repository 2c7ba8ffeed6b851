import type { ImageAnalysis } from '../analysis/analyze.js';
import { explanationTotals, type ExplanationTotals } from '../analysis/explain/index.js';
import type { ImageIndex } from '../image/types.js';
import { formatAge, runsAsRoot } from '../util/format.js';

/** The headline facts every report format starts with. */
export interface Overview {
  name: string;
  source: string;
  platform: string;
  configDigest: string;
  created: string | null;
  age: string;
  user: string;
  runsAsRoot: boolean;
  layerCount: number;
  /** Bytes of regular-file data over every layer. */
  totalBytes: number;
  hiddenBytes: number;
  hiddenFiles: number;
  exactEfficiency: number;
  diveEfficiency: number;
  diveWastedBytes: number;
  savings: ExplanationTotals;
  risks: { total: number; high: number; medium: number; low: number };
  audit: { total: number; high: number; medium: number; low: number; info: number };
}

export function overviewOf(image: ImageIndex, analysis: ImageAnalysis, now?: Date): Overview {
  const c = image.config;
  const count = <T extends string>(items: Array<{ severity: T }>, severity: T): number =>
    items.filter((i) => i.severity === severity).length;
  return {
    name: image.reference ?? '(unnamed)',
    source: image.source,
    platform: [c.os, c.architecture, c.variant].filter(Boolean).join('/'),
    configDigest: image.configDigest,
    created: c.created,
    age: formatAge(c.created, now),
    user: c.user,
    runsAsRoot: runsAsRoot(c.user),
    layerCount: image.layers.length,
    totalBytes: analysis.exact.totalBytes,
    hiddenBytes: analysis.exact.hiddenBytes,
    hiddenFiles: analysis.exact.hidden.length,
    exactEfficiency: analysis.exact.efficiency,
    diveEfficiency: analysis.dive.efficiency,
    diveWastedBytes: analysis.dive.wastedBytes,
    savings: explanationTotals(analysis.explanations),
    risks: {
      total: analysis.risks.length,
      high: count(analysis.risks, 'high'),
      medium: count(analysis.risks, 'medium'),
      low: count(analysis.risks, 'low'),
    },
    audit: {
      total: analysis.audit.length,
      high: count(analysis.audit, 'high'),
      medium: count(analysis.audit, 'medium'),
      low: count(analysis.audit, 'low'),
      info: count(analysis.audit, 'info'),
    },
  };
}

/** "5 high, 20 medium, 14 low" (zero counts left out). */
export function severityCounts(counts: Record<string, number>, order: readonly string[]): string {
  return order
    .filter((s) => (counts[s] ?? 0) > 0)
    .map((s) => `${counts[s]} ${s}`)
    .join(', ');
}

/** Share of `part` in `whole` as "42.7 %", "0 %" when the whole is empty. */
export function percentOf(part: number, whole: number): string {
  return whole === 0 ? '0 %' : `${((part / whole) * 100).toFixed(1)} %`;
}
