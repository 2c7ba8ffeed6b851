import type { ImageAnalysis } from '../analysis/analyze.js';
import { RISK_CATEGORIES } from '../analysis/risks/index.js';
import type { ImageIndex } from '../image/types.js';
import { formatBytes, oneLineCommand, plural, truncate } from '../util/format.js';
import { reportText } from './style.js';

export interface SummaryOptions {
  color: boolean;
  /** Width to fit commands into; the text report is for terminals and logs alike. */
  width?: number;
  now?: Date;
}

const PROVENANCE_LABELS = [
  'org.opencontainers.image.source',
  'org.opencontainers.image.revision',
  'org.opencontainers.image.created',
  'org.opencontainers.image.authors',
];

/** `strata IMAGE`: layers with index, size, entries and command, then the image's facts. */
export function renderSummary(image: ImageIndex, analysis: ImageAnalysis, options: SummaryOptions): string {
  const width = options.width ?? 100;
  const lines: string[] = [];
  // What each layer ships: the analysis has counted it already.
  const sizes = image.layers.map((_, i) => analysis.exact.shippedBytes[i] ?? 0);
  const sizeWidth = Math.max(4, ...sizes.map((s) => formatBytes(s).length));
  const entryWidth = Math.max(7, ...image.layers.map((l) => String(l.entryCount).length));
  lines.push(`${'#'.padStart(3)}  ${'size'.padStart(sizeWidth)}  ${'entries'.padStart(entryWidth)}  command`);
  image.layers.forEach((layer, i) => {
    const prefix =
      `${String(i).padStart(3)}  ${formatBytes(sizes[i]!).padStart(sizeWidth)}  ` +
      `${String(layer.entryCount).padStart(entryWidth)}  `;
    lines.push(prefix + truncate(oneLineCommand(layer.command) || '(no history)', Math.max(20, width - prefix.length)));
  });
  lines.push('');
  const c = image.config;
  const total = sizes.reduce((a, b) => a + b, 0);
  const facts: Array<[string, string]> = [
    ['image', image.reference ?? '(unnamed)'],
    ['source', image.source],
    ['platform', [c.os, c.architecture, c.variant].filter(Boolean).join('/')],
    ['config', image.configDigest],
  ];
  if (image.manifestDigest) facts.push(['manifest', image.manifestDigest]);
  facts.push(
    ['layers', `${image.layers.length}, ${formatBytes(total)} of files`],
    ['verified', image.verified ? 'every blob digest and diff_id checked' : 'no (--no-verify)'],
    ['created', c.created ? `${c.created}${age(c.created, options.now)}` : 'unknown'],
    [
      'user',
      c.user === '' || c.user === '0' || c.user === 'root' || c.user.startsWith('0:') || c.user.startsWith('root:')
        ? `${c.user || '(none)'}: runs as root`
        : c.user,
    ],
  );
  if (c.entrypoint) facts.push(['entrypoint', JSON.stringify(c.entrypoint)]);
  if (c.cmd) facts.push(['cmd', JSON.stringify(c.cmd)]);
  if (c.workingDir) facts.push(['workdir', c.workingDir]);
  if (c.exposedPorts.length) facts.push(['ports', c.exposedPorts.join(', ')]);
  facts.push(['healthcheck', c.healthcheck ? c.healthcheck.join(' ') : 'none']);
  for (const label of PROVENANCE_LABELS)
    facts.push([label.replace('org.opencontainers.image', 'label'), c.labels[label] ?? '(missing)']);
  facts.push([
    'waste',
    `${formatBytes(analysis.exact.hiddenBytes)} hidden by later layers, efficiency ` +
      `${(analysis.exact.efficiency * 100).toFixed(1)} % (dive-compatible ` +
      `${(analysis.dive.efficiency * 100).toFixed(1)} %)`,
  ]);
  const keyWidth = Math.max(...facts.map(([k]) => k.length));
  for (const [k, v] of facts) lines.push(`${k.padEnd(keyWidth)}  ${v}`);
  lines.push('', ...riskLines(analysis), '', ...auditLines(analysis));
  return reportText(lines);
}

function age(created: string, now = new Date()): string {
  const t = Date.parse(created);
  if (!Number.isFinite(t)) return '';
  const days = Math.floor((now.getTime() - t) / 86_400_000);
  return days < 0 ? ' (in the future)' : days === 0 ? ' (today)' : ` (${days} day${days === 1 ? '' : 's'} ago)`;
}

/** One line per risk category that has findings: count, severity, and the first paths. */
function riskLines(analysis: ImageAnalysis): string[] {
  if (analysis.risks.length === 0) return ['risks: none found'];
  const lines = [`risks: ${plural(analysis.risks.length, 'finding')}`];
  for (const category of RISK_CATEGORIES) {
    const found = analysis.risks.filter((r) => r.category === category);
    if (found.length === 0) continue;
    const paths = found
      .slice(0, 3)
      .map((r) => r.path + (r.hidden ? ' (hidden)' : ''))
      .join(', ');
    lines.push(
      `  ${category.padEnd(16)}${String(found.length).padStart(4)}  ${found[0]!.severity.padEnd(6)}  ` +
        `${paths}${found.length > 3 ? ', …' : ''}`,
    );
  }
  return lines;
}

function auditLines(analysis: ImageAnalysis): string[] {
  if (analysis.audit.length === 0) return ['audit: nothing to report'];
  return ['audit:', ...analysis.audit.map((a) => `  ${a.severity.padEnd(6)}  ${a.message}`)];
}
