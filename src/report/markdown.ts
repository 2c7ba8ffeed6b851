/**
 * `strata report --format markdown`: a report fit for a pull-request comment. A heading and a summary
 * table, then one collapsible `<details>` section each for explanations, layers, waste, risks and audit.
 * Long lists are capped so the comment stays well under GitHub's 65,536 characters.
 */
import type { ImageAnalysis } from '../analysis/analyze.js';
import type { ImageIndex } from '../image/types.js';
import { formatBytes, formatPercent, oneLineCommand, plural, truncate } from '../util/format.js';
import { reportText } from './style.js';
import { overviewOf, percentOf, severityCounts } from './overview.js';
import { layerPackageStories, packageSummary } from './packages.js';

export interface MarkdownReportOptions {
  now?: Date;
  /** Rows at most per table (default 50); the rest is counted. */
  maxRows?: number;
}

const SEVERITY_ICON: Record<string, string> = { high: '🔴', medium: '🟠', low: '🟡', info: '⚪' };

export function renderMarkdownReport(
  image: ImageIndex,
  analysis: ImageAnalysis,
  options: MarkdownReportOptions = {},
): string {
  const maxRows = options.maxRows ?? 50;
  const o = overviewOf(image, analysis, options.now);
  const out: string[] = [];

  out.push(`### strata report: ${code(o.name)}`, '');
  out.push('| | |', '| --- | --- |');
  const row = (key: string, value: string): void => {
    out.push(`| ${key} | ${value} |`);
  };
  row('Image', `${code(o.name)} (${o.source}, ${o.platform})`);
  row('Created', o.created ? `${escapeMarkdown(o.created)} (${o.age})` : 'unknown');
  row('User', o.runsAsRoot ? `${o.user ? code(o.user) : '(none)'}: runs as root` : code(o.user));
  row('Layers', `${o.layerCount}, ${formatBytes(o.totalBytes)} of files`);
  row(
    'Hidden',
    `${formatBytes(o.hiddenBytes)} in ${plural(o.hiddenFiles, 'file')} (${percentOf(o.hiddenBytes, o.totalBytes)})`,
  );
  row('Efficiency', `${formatPercent(o.exactEfficiency)} exact, ${formatPercent(o.diveEfficiency)} dive-compatible`);
  row(
    'Could save',
    o.savings.count === 0
      ? 'nothing to explain'
      : `${formatBytes(o.savings.totalBytes)} by fixing ${o.savings.count} explanation` +
          `${o.savings.count === 1 ? '' : 's'}`,
  );
  row(
    'Risks',
    o.risks.total === 0 ? 'none found' : `${o.risks.total}: ${severityCounts(o.risks, ['high', 'medium', 'low'])}`,
  );
  row(
    'Audit',
    o.audit.total === 0
      ? 'nothing to report'
      : `${o.audit.total}: ${severityCounts(o.audit, ['high', 'medium', 'low', 'info'])}`,
  );

  const section = (summary: string, body: string[]): void => {
    out.push('', '<details>', `<summary>${summary}</summary>`, '', ...body, '', '</details>');
  };
  const capped = <T>(items: readonly T[], render: (item: T, index: number) => string): string[] => {
    const rows = items.slice(0, maxRows).map(render);
    if (items.length > maxRows) rows.push('', `… and ${items.length - maxRows} more.`);
    return rows;
  };

  const explanations = analysis.explanations;
  section(
    `Explanations: ${explanations.length}` +
      `${explanations.length ? `, ${formatBytes(o.savings.totalBytes)} to save` : ''}`,
    explanations.length === 0
      ? ['Nothing to explain.']
      : [
          '| # | Saves | Kind | Layer | What happened | Fix |',
          '| ---: | ---: | --- | --- | --- | --- |',
          ...capped(
            explanations,
            (e, i) =>
              `| ${i + 1} | ${formatBytes(e.bytes)} | ${e.kind} | ` +
              `${e.hiddenBy === null ? `${e.layer}` : `${e.layer} → ${e.hiddenBy}`} | ` +
              `${inline(e.message)} | ${inline(e.fix)} |`,
          ),
        ],
  );

  section(`Layers: ${o.layerCount}`, [
    '| # | Size | Hidden later | Command |',
    '| ---: | ---: | ---: | --- |',
    ...image.layers.map((layer, i) => {
      const hidden = analysis.exact.hiddenLaterBytes[i] ?? 0;
      const command = truncate(oneLineCommand(layer.command), 120);
      return (
        `| ${i} | ${formatBytes(analysis.exact.shippedBytes[i] ?? 0)} | ` +
        `${hidden === 0 ? '-' : formatBytes(hidden)} | ${command ? code(command) : '(no history)'} |`
      );
    }),
  ]);

  section(
    `Waste: ${formatBytes(o.hiddenBytes)} hidden in ${plural(o.hiddenFiles, 'file')}`,
    analysis.exact.hidden.length === 0
      ? ['Nothing hidden: every byte a layer ships is reachable in the final filesystem.']
      : [
          `Dive-compatible: efficiency ${formatPercent(o.diveEfficiency)}, ${formatBytes(o.diveWastedBytes)} wasted.`,
          '',
          '| Size | Path | Shipped by | Hidden by |',
          '| ---: | --- | ---: | --- |',
          ...capped(
            analysis.exact.hidden,
            (p) => `| ${formatBytes(p.size)} | ${code(p.path)} | ${p.layer} | ${p.hiddenBy} (${p.reason}) |`,
          ),
        ],
  );

  const packages = packageSummary(analysis);
  if (packages !== null) {
    const unowned = analysis.packages.largestUnowned;
    section(`Packages: ${analysis.packages.items.length}`, [
      inline(packages),
      '',
      ...layerPackageStories(analysis).map((story) => `- layer ${story.layer}: ${inline(story.text)}`),
      '',
      '| Bytes | Package | Version | Layer |',
      '| ---: | --- | --- | ---: |',
      ...capped(
        analysis.packages.items,
        (p) => `| ${formatBytes(p.bytes)} | ${code(p.name)} | ${code(p.version)} | ${p.layer} |`,
      ),
      ...(unowned.length === 0
        ? []
        : [
            '',
            'Largest files no package owns:',
            '',
            ...unowned.map((f) => `- ${formatBytes(f.size)} ${code(f.path)}`),
          ]),
      ...analysis.packages.unreadable.map((note) => `- note: ${inline(note)}`),
    ]);
  }

  section(
    `Risks: ${o.risks.total}`,
    analysis.risks.length === 0
      ? ['None found.']
      : [
          '| Severity | Rule | Path | Layer | Why |',
          '| --- | --- | --- | ---: | --- |',
          ...capped(
            analysis.risks,
            (r) =>
              `| ${SEVERITY_ICON[r.severity] ?? ''} ${r.severity} | ${code(r.rule)} | ${code(r.path)}` +
              `${r.hidden ? ' (hidden)' : ''}${r.package ? ` from ${code(r.package)}` : ''} | ${r.layer} | ` +
              `${inline(r.reason)} |`,
          ),
        ],
  );

  section(
    `Audit: ${o.audit.total}`,
    analysis.audit.length === 0
      ? ['Nothing to report.']
      : [
          '| Severity | Check | Finding |',
          '| --- | --- | --- |',
          ...analysis.audit.map(
            (a) => `| ${SEVERITY_ICON[a.severity] ?? ''} ${a.severity} | ${code(a.check)} | ${inline(a.message)} |`,
          ),
        ],
  );

  return reportText(out);
}

/** A code span that survives any backticks inside, and table cells (`|` escaped). */
export function code(text: string): string {
  const clean = text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
  const longest = Math.max(0, ...[...clean.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = clean.startsWith('`') || clean.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${clean}${pad}${fence}`;
}

/** Plain text with markdown's special characters escaped, for a table cell. */
export function escapeMarkdown(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/([\\`*_[\]<>|#~])/g, '\\$1');
}

/** Text whose `backticked` parts are code: those stay code spans, the rest is escaped. */
export function inline(text: string): string {
  return text
    .split(/(`[^`]+`)/)
    .map((part, i) => (i % 2 === 1 ? code(part.slice(1, -1)) : escapeMarkdown(part)))
    .join('');
}
