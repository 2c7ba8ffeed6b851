/**
 * `strata report`: the readable report, for a terminal or a CI log. Summary, layers, waste,
 * explanations, risks and audit, in that order; colour only when asked for (see `wantsColor`).
 */
import type { ImageAnalysis } from '../analysis/analyze.js';
import type { ImageIndex } from '../image/types.js';
import { formatBytes, formatPercent, oneLineCommand, plural, truncate } from '../util/format.js';
import { overviewOf, percentOf, severityCounts } from './overview.js';
import { layerPackageStories, packageSummary } from './packages.js';
import { makeStyle, reportText, severity } from './style.js';

export interface TextReportOptions {
  color: boolean;
  /** Columns to fit layer commands into (default 100). */
  width?: number;
  now?: Date;
  /** How many of the largest hidden files to list (default 10). */
  hiddenFiles?: number;
}

export function renderTextReport(image: ImageIndex, analysis: ImageAnalysis, options: TextReportOptions): string {
  const style = makeStyle(options.color);
  const width = options.width ?? 100;
  const o = overviewOf(image, analysis, options.now);
  const out: string[] = [];
  const heading = (text: string): void => {
    out.push('', style.bold(text));
  };

  out.push(style.bold(`strata report: ${o.name}`));

  heading('Summary');
  const facts: Array<[string, string]> = [
    ['image', `${o.name} (${o.source}, ${o.platform})`],
    ['config', o.configDigest],
    ['verified', image.verified ? 'every blob digest and diff_id checked' : 'no (--no-verify)'],
    ['created', o.created ? `${o.created} (${o.age})` : 'unknown'],
    ['user', o.runsAsRoot ? `${o.user || '(none)'}: runs as root` : o.user],
    ['layers', `${o.layerCount}, ${formatBytes(o.totalBytes)} of files`],
    [
      'hidden',
      `${formatBytes(o.hiddenBytes)} in ${plural(o.hiddenFiles, 'file')} ` +
        `(${percentOf(o.hiddenBytes, o.totalBytes)}): exact efficiency ${formatPercent(o.exactEfficiency)}`,
    ],
    ['dive', `efficiency ${formatPercent(o.diveEfficiency)}, wasted ${formatBytes(o.diveWastedBytes)}`],
    ['could save', o.savings.count === 0 ? 'nothing to explain' : savingText(o.savings)],
    [
      'risks',
      o.risks.total === 0
        ? 'none found'
        : `${plural(o.risks.total, 'finding')}: ${severityCounts(o.risks, ['high', 'medium', 'low'])}`,
    ],
    [
      'audit',
      o.audit.total === 0
        ? 'nothing to report'
        : `${plural(o.audit.total, 'finding')}: ${severityCounts(o.audit, ['high', 'medium', 'low', 'info'])}`,
    ],
  ];
  const keyWidth = Math.max(...facts.map(([k]) => k.length));
  for (const [k, v] of facts) out.push(`  ${k.padEnd(keyWidth)}  ${v}`);

  heading(`Layers (${o.layerCount})`);
  const sizes = image.layers.map((_, i) => formatBytes(analysis.exact.shippedBytes[i] ?? 0));
  const hidden = image.layers.map((_, i) => {
    const bytes = analysis.exact.hiddenLaterBytes[i] ?? 0;
    return bytes === 0 ? '-' : formatBytes(bytes);
  });
  const sizeWidth = Math.max(4, ...sizes.map((s) => s.length));
  const hiddenWidth = Math.max(6, ...hidden.map((s) => s.length));
  const indexWidth = Math.max(2, String(o.layerCount - 1).length);
  out.push(
    style.dim(
      `  ${'#'.padStart(indexWidth)}  ${'size'.padStart(sizeWidth)}  ${'hidden'.padStart(hiddenWidth)}  command`,
    ),
  );
  image.layers.forEach((layer, i) => {
    const prefix =
      `  ${String(i).padStart(indexWidth)}  ${sizes[i]!.padStart(sizeWidth)}  ` +
      `${hidden[i]!.padStart(hiddenWidth)}  `;
    out.push(prefix + truncate(oneLineCommand(layer.command) || '(no history)', Math.max(20, width - prefix.length)));
  });

  heading('Waste');
  if (o.hiddenBytes === 0) {
    out.push('  nothing hidden: every byte a layer ships is reachable in the final filesystem');
  } else {
    out.push(
      `  ${formatBytes(o.hiddenBytes)} of ${formatBytes(o.totalBytes)} is hidden: shipped by a layer, ` +
        'reachable from no path of the final filesystem.',
    );
    const top = analysis.exact.hidden.slice(0, options.hiddenFiles ?? 10);
    const topWidth = Math.max(...top.map((p) => formatBytes(p.size).length));
    for (const piece of top) {
      out.push(
        `  ${formatBytes(piece.size).padStart(topWidth)}  ${piece.path}  ` +
          `${style.dim(`layer ${piece.layer}, ${piece.reason} by layer ${piece.hiddenBy}`)}`,
      );
    }
    const rest = analysis.exact.hidden.length - top.length;
    if (rest > 0) {
      const restBytes = analysis.exact.hidden.slice(top.length).reduce((sum, p) => sum + p.size, 0);
      out.push(style.dim(`  … and ${rest} more hidden files (${formatBytes(restBytes)})`));
    }
  }

  heading(`Explanations (${analysis.explanations.length})`);
  if (analysis.explanations.length === 0) out.push('  nothing to explain');
  else {
    out.push(`  ${savingText(o.savings)}, largest first:`);
    const numberWidth = String(analysis.explanations.length).length;
    analysis.explanations.forEach((e, i) => {
      const where = e.hiddenBy === null ? `layer ${e.layer}, still visible` : `layer ${e.layer} → ${e.hiddenBy}`;
      out.push('');
      out.push(
        `  ${String(i + 1).padStart(numberWidth)}. ${style.bold(formatBytes(e.bytes))}  ` +
          `${style.cyan(e.kind)}  ${style.dim(where)}`,
      );
      const indent = ' '.repeat(numberWidth + 4);
      out.push(`${indent}${e.message}`);
      out.push(`${indent}${style.green('fix:')} ${e.fix}`);
    });
  }

  const packages = packageSummary(analysis);
  if (packages !== null) {
    heading(`Packages (${analysis.packages.items.length})`);
    out.push(`  ${packages}`);
    for (const story of layerPackageStories(analysis)) out.push(`  layer ${story.layer}: ${story.text}`);
    const top = analysis.packages.items.slice(0, options.hiddenFiles ?? 10);
    if (top.length > 0) out.push('', '  largest packages:');
    const topWidth = Math.max(0, ...top.map((p) => formatBytes(p.bytes).length));
    for (const p of top) {
      out.push(
        `  ${formatBytes(p.bytes).padStart(topWidth)}  ${p.name} ${style.dim(`${p.version}, layer ${p.layer}`)}`,
      );
    }
    const unowned = analysis.packages.largestUnowned;
    if (unowned.length > 0) out.push('', '  largest files no package owns:');
    const unownedWidth = Math.max(0, ...unowned.map((f) => formatBytes(f.size).length));
    for (const f of unowned) out.push(`  ${formatBytes(f.size).padStart(unownedWidth)}  ${f.path}`);
    for (const note of analysis.packages.unreadable) out.push(`  ${style.dim(`note: ${note}`)}`);
  }

  heading(`Risks (${o.risks.total})`);
  if (analysis.risks.length === 0) out.push('  none found');
  else {
    const ruleWidth = Math.max(...analysis.risks.map((r) => r.rule.length));
    for (const r of analysis.risks) {
      out.push(
        `  ${severity(style, r.severity)}  ${r.rule.padEnd(ruleWidth)}  ${r.path}` +
          `${r.hidden ? ' (hidden)' : ''}${r.package ? ` from ${r.package}` : ''}  ` +
          `${style.dim(`layer ${r.layer}: ${r.reason}`)}`,
      );
    }
  }

  heading(`Audit (${o.audit.total})`);
  if (analysis.audit.length === 0) out.push('  nothing to report');
  else for (const a of analysis.audit) out.push(`  ${severity(style, a.severity)}  ${a.message}`);

  return reportText(out);
}

function savingText(savings: { hiddenBytes: number; cacheBytes: number; totalBytes: number; count: number }): string {
  const parts = [`${formatBytes(savings.hiddenBytes)} hidden`];
  if (savings.cacheBytes > 0) parts.push(`${formatBytes(savings.cacheBytes)} of caches left in the final filesystem`);
  return (
    `fixing ${savings.count === 1 ? 'the' : 'all'} ${plural(savings.count, 'explanation')} ` +
    `saves ${formatBytes(savings.totalBytes)}${savings.cacheBytes > 0 ? ` (${parts.join(' + ')})` : ''}`
  );
}
