import type { ImageAnalysis } from '../../analysis/analyze.js';
import { RISK_CATEGORIES, type RiskFinding } from '../../analysis/risks/index.js';
import type { ChangeStatus, PathVersion, Stack } from '../../tree/index.js';
import type { EntryType } from '../../layers/types.js';
import { escapeControls } from '../../util/escape.js';
import { formatBytes, plural } from '../../util/format.js';
import type { JumpTarget } from './jump-target.js';

/** One row of a list overlay: a heading, or an entry that Enter jumps from. */
export type ListRow =
  | { kind: 'heading'; text: string }
  | { kind: 'entry'; text: string; detail: string; severity?: 'high' | 'medium' | 'low'; target: JumpTarget };

/** Where a risky file is best seen: the top of the stack, or (hidden) the layer that shipped it. */
export function riskTarget(risk: RiskFinding, layerCount: number): JumpTarget {
  return risk.hidden
    ? { path: risk.path, layer: risk.layer, mode: 'changes' }
    : { path: risk.path, layer: layerCount - 1, mode: 'aggregated' };
}

/** `r`: findings grouped by category, with the number in each. */
export function riskRows(analysis: ImageAnalysis, layerCount: number): ListRow[] {
  const rows: ListRow[] = [];
  for (const category of RISK_CATEGORIES) {
    const found = analysis.risks.filter((r) => r.category === category);
    if (found.length === 0) continue;
    rows.push({ kind: 'heading', text: `${category} (${found.length})` });
    for (const risk of found) {
      rows.push({
        kind: 'entry',
        text: risk.path + (risk.hidden ? ' (hidden)' : ''),
        detail: `L${risk.layer} · ${risk.reason}`,
        severity: risk.severity,
        target: riskTarget(risk, layerCount),
      });
    }
  }
  return rows;
}

/** `w`: the explanations (when the analysis has them), then every hidden file, largest first. */
export function wasteRows(analysis: ImageAnalysis): ListRow[] {
  const rows: ListRow[] = [];
  const explanations = analysis.explanations;
  if (explanations.length > 0) {
    rows.push({ kind: 'heading', text: `why (${explanations.length})` });
    for (const e of explanations) {
      const path = e.paths[0];
      if (!path) continue;
      rows.push({
        kind: 'entry',
        text: `${formatBytes(e.bytes).padStart(8)}  ${e.message}`,
        detail: e.fix,
        target: { path, layer: e.layer, mode: 'changes' },
      });
    }
  }
  const hidden = analysis.exact.hidden;
  if (hidden.length > 0) {
    rows.push({ kind: 'heading', text: `hidden files (${hidden.length}, ${formatBytes(analysis.exact.hiddenBytes)})` });
    for (const piece of hidden) {
      rows.push({
        kind: 'entry',
        text: `${formatBytes(piece.size).padStart(8)}  ${piece.path}`,
        detail: `shipped by layer ${piece.layer}, ${piece.reason} by layer ${piece.hiddenBy}`,
        target: { path: piece.path, layer: piece.layer, mode: 'changes' },
      });
    }
  }
  return rows;
}

/**
 * `P`: packages, largest first, with the layer that last installed or upgraded them. Enter sets the
 * `pkg:NAME` filter on the final filesystem; `firstFile` gives where the cursor lands (a package
 * without files in the final image lands nowhere, so its row is not an entry).
 */
export function packageRows(analysis: ImageAnalysis, layerCount: number, firstFile: Map<string, string>): ListRow[] {
  const items = analysis.packages.items;
  if (items.length === 0) return [];
  const rows: ListRow[] = [
    { kind: 'heading', text: `${analysis.packages.managers.join(', ')} (${items.length} packages)` },
  ];
  for (const item of items) {
    const text = `${formatBytes(item.bytes).padStart(8)}  ${escapeControls(`${item.name} ${item.version}`)}`;
    const detail = `L${item.layer} · ${plural(item.files, 'file')}`;
    const path = firstFile.get(item.name);
    if (path === undefined) {
      rows.push({ kind: 'heading', text: `${text}  (${detail})` });
      continue;
    }
    const target = { path, layer: layerCount - 1, mode: 'aggregated' as const, filter: `pkg:${item.name}` };
    rows.push({ kind: 'entry', text, detail, target });
  }
  return rows;
}

export interface HistoryRow {
  layer: number;
  status: ChangeStatus | 'implied';
  type?: EntryType;
  size?: number;
  mode?: number;
  uid?: number;
  gid?: number;
  linkTarget?: string;
}

/** `i`: every layer that added, modified or removed the path, with what it left there. */
export function historyRows(stack: Stack, path: string): HistoryRow[] {
  const versions: readonly PathVersion[] = stack.versionsOf(path);
  let previous: PathVersion['state'] = null;
  const rows: HistoryRow[] = [];
  for (const v of versions) {
    const shown = v.state ?? previous;
    rows.push({
      layer: v.layer,
      status: v.status ?? 'implied',
      type: shown?.type,
      size: shown?.size,
      mode: shown?.mode,
      uid: shown?.uid,
      gid: shown?.gid,
      linkTarget: shown?.linkTarget,
    });
    previous = v.state;
  }
  return rows;
}
