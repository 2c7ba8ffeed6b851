/**
 * `strata diff A B`: the readable report, for a terminal or a CI log. Every piece of image text goes
 * through `terminalSafe`; colour only when asked for.
 */
import { makeStyle, reportText, severity, type Style } from '../../report/style.js';
import { formatBytes, formatPercent, formatTimestamp, oneLineCommand, truncate } from '../../util/format.js';
import type { DiffGateResult } from '../gate.js';
import type { DiffLayer, ImageDiff, SettingChange } from '../types.js';
import {
  countsText,
  describeDifferences,
  imageName,
  largestChanges,
  layerOf,
  layerRange,
  metadataChanges,
  plural,
  shortDigest,
  signedBytes,
  sizeChange,
} from './describe.js';
import { escapeControls as safe } from '../../util/escape.js';

export interface DiffTextOptions {
  color: boolean;
  /** Columns to fit commands into (default 100). */
  width?: number;
  /** Files listed at most per list (default 30); `--json` lists every one. */
  maxFiles?: number;
  gate?: DiffGateResult;
}

export function renderDiffText(diff: ImageDiff, options: DiffTextOptions): string {
  const style = makeStyle(options.color);
  const width = options.width ?? 100;
  const maxFiles = options.maxFiles ?? 30;
  const out: string[] = [];
  const heading = (text: string): void => {
    out.push('', style.bold(text));
  };
  const more = (shown: number, total: number, what: string): void => {
    if (total > shown) out.push(style.dim(`  … and ${total - shown} more ${what} (--json lists every one)`));
  };

  out.push(style.bold(`strata diff: ${safe(imageName(diff.a))} → ${safe(imageName(diff.b))}`));
  for (const [side, image] of [
    ['A', diff.a],
    ['B', diff.b],
  ] as const) {
    out.push(
      `  ${side}  ${safe(imageName(image))}  ${style.dim(shortDigest(image.digest))}  ` +
        `${image.source}, ${safe(image.platform)}, ${plural(image.layerCount, 'layer')}, ${formatBytes(image.size)}` +
        (image.verified ? '' : ' (not verified)'),
    );
  }

  const { layers } = diff;
  heading(`Layers: ${layers.shared.length} shared, ${layers.a.length} only in A, ${layers.b.length} only in B`);
  if (layers.shared.length > 0) {
    const bytes = layers.shared.reduce((sum, layer) => sum + layer.size, 0);
    out.push(`  shared ${layerRange(layers.shared)}  ${formatBytes(bytes)}, the same diff_ids`);
  }
  const layerLine = (side: string, layer: DiffLayer): string => {
    const prefix = `  ${side} ${String(layer.index).padStart(3)}  ${formatBytes(layer.size).padStart(8)}  `;
    const command = oneLineCommand(layer.command) || '(no history)';
    return prefix + safe(truncate(command, Math.max(20, width - prefix.length)));
  };
  for (const layer of layers.a) out.push(layerLine('A', layer));
  for (const layer of layers.b) out.push(layerLine('B', layer));

  const { summary } = diff;
  heading(`Files: ${countsText(summary, true)}`);
  const dirs = summary.directories;
  const dirCount = dirs.added + dirs.removed + dirs.modified + dirs.metadata;
  if (dirCount > 0) out.push(style.dim(`  and directories: ${countsText(dirs, true)}`));
  out.push(
    `  size ${style.bold(signedBytes(summary.sizeDelta))}: ${formatBytes(diff.a.size)} → ${formatBytes(diff.b.size)} ` +
      `(files ${signedBytes(summary.filesystemDelta)}, waste ${signedBytes(summary.wasteDelta)})`,
  );

  if (diff.directories.length > 0) {
    out.push('', '  by top directory, largest change first:');
    const shown = diff.directories.slice(0, maxFiles);
    const deltaWidth = Math.max(...shown.map((d) => signedBytes(d.delta).length));
    const pathWidth = Math.min(40, Math.max(...shown.map((d) => safe(d.path).length)));
    for (const d of shown) {
      const counts = countsText(d, false);
      const sizes = `${formatBytes(d.sizeA)} → ${formatBytes(d.sizeB)}`;
      out.push(
        `    ${signedBytes(d.delta).padStart(deltaWidth)}  ${safe(d.path).padEnd(pathWidth)}  ${sizes}` +
          (counts ? style.dim(`  ${counts}`) : ''),
      );
    }
    more(shown.length, diff.directories.length, 'directories');
  }

  const changes = largestChanges(diff.files);
  if (changes.length > 0) {
    out.push('', '  files, largest change first:');
    const shown = changes.slice(0, maxFiles);
    const deltaWidth = Math.max(...shown.map((f) => signedBytes(sizeChange(f)).length));
    for (const file of shown) {
      const colour = file.change === 'added' ? style.green : file.change === 'removed' ? style.red : style.yellow;
      const what = describeDifferences(file);
      out.push(
        `    ${signedBytes(sizeChange(file)).padStart(deltaWidth)}  ${colour(file.change.padEnd(8))}  ` +
          safe(file.path) +
          style.dim(`  ${what ? `${safe(what)}, ` : ''}${layerOf(file)}`),
      );
    }
    more(shown.length, changes.length, 'changes');
  }

  const metadata = metadataChanges(diff.files);
  if (metadata.length > 0) {
    out.push('', '  metadata only (mode, owner):');
    const shown = metadata.slice(0, maxFiles);
    for (const file of shown)
      out.push(`    ${safe(file.path)}${file.directory ? '/' : ''}  ${style.dim(describeDifferences(file))}`);
    more(shown.length, metadata.length, 'metadata changes');
  }

  heading(`Risks: ${diff.risks.new.length} new in B, ${diff.risks.gone.length} gone from B`);
  if (diff.risks.new.length + diff.risks.gone.length === 0) out.push('  no change');
  const riskLine = (mark: string, r: ImageDiff['risks']['new'][number]): string =>
    `  ${mark} ${severity(style, r.severity)}  ${safe(r.rule)}  ${safe(r.path)}${r.hidden ? ' (hidden)' : ''}  ` +
    style.dim(safe(`layer ${r.layer}: ${r.reason}`));
  for (const r of diff.risks.new) out.push(riskLine(style.red('+'), r));
  for (const r of diff.risks.gone) out.push(riskLine(style.green('-'), r));

  heading('Configuration and audit');
  renderAudit(diff, style, out);

  heading('Waste');
  const { a: wasteA, b: wasteB } = diff.waste;
  out.push(
    `  hidden   ${formatBytes(wasteA.hiddenBytes)} in ${plural(wasteA.hiddenFiles, 'file')} ` +
      `(efficiency ${formatPercent(wasteA.efficiency)}) → ` +
      `${formatBytes(wasteB.hiddenBytes)} in ${plural(wasteB.hiddenFiles, 'file')} ` +
      `(${formatPercent(wasteB.efficiency)})`,
  );
  out.push(
    `  dive     wasted ${formatBytes(wasteA.diveWastedBytes)} (efficiency ${formatPercent(wasteA.diveEfficiency)})` +
      ` → ${formatBytes(wasteB.diveWastedBytes)} (${formatPercent(wasteB.diveEfficiency)})`,
  );
  out.push(
    `  savings  ${formatBytes(wasteA.savingsBytes)} → ${formatBytes(wasteB.savingsBytes)} to save by the explanations`,
  );

  if (diff.packages !== null) {
    heading(
      `Packages: ${diff.packages.added} added, ${diff.packages.removed} removed, ${diff.packages.changed} changed`,
    );
    for (const p of diff.packages.changes.slice(0, maxFiles)) {
      const versions =
        p.versionA !== null && p.versionB !== null ? `${p.versionA} → ${p.versionB}` : (p.versionB ?? p.versionA);
      out.push(`  ${p.change.padEnd(10)}  ${safe(`${p.manager} ${p.name}  ${versions}`)}`);
    }
    more(Math.min(maxFiles, diff.packages.changes.length), diff.packages.changes.length, 'packages');
  }

  if (options.gate) {
    const verdict = (passed: boolean): string => (passed ? style.green('PASS') : style.red(style.bold('FAIL')));
    heading(`Gate: ${verdict(options.gate.passed)}`);
    for (const check of options.gate.checks)
      out.push(`  ${verdict(check.passed)}  ${check.rule}  ${safe(check.message)}`);
  }
  return reportText(out);
}

function renderAudit(diff: ImageDiff, style: Style, out: string[]): void {
  const { audit } = diff;
  const user = (name: string, root: boolean): string => `${name ? safe(name) : '(none)'}${root ? ' (root)' : ''}`;
  out.push(
    audit.user.a === audit.user.b
      ? `  user     ${user(audit.user.b, audit.user.rootB)}, unchanged`
      : `  user     ${user(audit.user.a, audit.user.rootA)} → ${user(audit.user.b, audit.user.rootB)}`,
  );
  const days = audit.ageDeltaDays;
  out.push(
    audit.created.a === audit.created.b
      ? `  created  ${safe(formatTimestamp(audit.created.b))}, unchanged`
      : `  created  ${safe(formatTimestamp(audit.created.a))} → ${safe(formatTimestamp(audit.created.b))}` +
          (days === null
            ? ''
            : days === 0
              ? ' (the same day)'
              : ` (B is ${plural(Math.abs(days), 'day')} ${days > 0 ? 'newer' : 'older'})`),
  );
  const settings = (title: string, changes: readonly SettingChange[]): void => {
    if (changes.length === 0) {
      out.push(`  ${title.padEnd(7)}  unchanged`);
      return;
    }
    changes.forEach((c, i) => {
      const mark =
        c.change === 'added' ? style.green('+') : c.change === 'removed' ? style.red('-') : style.yellow('~');
      const value = c.change === 'added' ? c.b : c.change === 'removed' ? c.a : `${c.a} → ${c.b}`;
      const masked = c.masked ? style.dim(' (masked)') : '';
      out.push(`  ${(i === 0 ? title : '').padEnd(7)}  ${mark} ${safe(`${c.name}=${value}`)}${masked}`);
    });
  };
  settings('labels', audit.labels);
  settings('env', audit.env);
  const { findings } = audit;
  if (findings.new.length + findings.gone.length === 0) out.push('  audit    no change');
  [
    ...findings.new.map((f) => [style.red('+'), f] as const),
    ...findings.gone.map((f) => [style.green('-'), f] as const),
  ].forEach(([mark, f], i) => {
    out.push(`  ${(i === 0 ? 'audit' : '').padEnd(7)}  ${mark} ${severity(style, f.severity)}  ${safe(f.message)}`);
  });
}
