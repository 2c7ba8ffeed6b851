/**
 * `strata diff A B --format markdown`: the diff as a pull-request comment. A summary table of A
 * beside B, then one collapsible section per subject; long lists are capped so the comment stays
 * well under GitHub's 65,536 characters.
 */
import { code as codeSpan, escapeMarkdown, inline } from '../../report/markdown.js';
import { formatBytes, formatPercent, formatTimestamp, oneLineCommand, truncate } from '../../util/format.js';
import type { DiffGateResult } from '../gate.js';
import type { DiffLayer, ImageDiff, SettingChange } from '../types.js';
import {
  countsText,
  describeDifferences,
  imageName,
  largestChanges,
  layerOf,
  metadataChanges,
  shortDigest,
  signedBytes,
  sizeChange,
} from './describe.js';
import { escapeControls as terminalSafe } from '../../util/escape.js';
import { reportText } from '../../report/style.js';

export interface DiffMarkdownOptions {
  /** Rows at most per table (default 50); the rest is counted. */
  maxRows?: number;
  gate?: DiffGateResult;
}

const SEVERITY_ICON: Record<string, string> = { high: '🔴', medium: '🟠', low: '🟡', info: '⚪' };

/** Image text as a code span, its control characters shown as escapes. */
const code = (text: string): string => codeSpan(terminalSafe(text));
const text = (value: string): string => escapeMarkdown(terminalSafe(value));

export function renderDiffMarkdown(diff: ImageDiff, options: DiffMarkdownOptions = {}): string {
  const maxRows = options.maxRows ?? 50;
  const out: string[] = [];
  const { a, b, summary } = diff;

  out.push(`### strata diff: ${code(imageName(a))} → ${code(imageName(b))}`, '');
  if (options.gate) {
    const failed = options.gate.checks.filter((check) => !check.passed);
    out.push(
      options.gate.passed
        ? '**Gate: PASS**'
        : `**Gate: FAIL**: ${failed.map((check) => `${check.rule}: ${text(check.message)}`).join('; ')}`,
      '',
    );
  }
  out.push('| | A | B | Change |', '| --- | --- | --- | --- |');
  const row = (key: string, valueA: string, valueB: string, change = ''): void => {
    out.push(`| ${key} | ${valueA} | ${valueB} | ${change} |`);
  };
  row('Image', code(imageName(a)), code(imageName(b)));
  row('Digest', code(shortDigest(a.digest)), code(shortDigest(b.digest)));
  row('Layers', `${a.layerCount}`, `${b.layerCount}`, `${diff.layers.shared.length} shared`);
  row('Size', formatBytes(a.size), formatBytes(b.size), `**${signedBytes(summary.sizeDelta)}**`);
  row('Files', formatBytes(a.filesystemSize), formatBytes(b.filesystemSize), signedBytes(summary.filesystemDelta));
  row(
    'Hidden (waste)',
    `${formatBytes(diff.waste.a.hiddenBytes)} (${formatPercent(diff.waste.a.efficiency)} efficient)`,
    `${formatBytes(diff.waste.b.hiddenBytes)} (${formatPercent(diff.waste.b.efficiency)} efficient)`,
    signedBytes(summary.wasteDelta),
  );
  row('Risks', '', '', `${diff.risks.new.length} new, ${diff.risks.gone.length} gone`);
  row('User', userText(diff.audit.user.a, diff.audit.user.rootA), userText(diff.audit.user.b, diff.audit.user.rootB));
  row('Created', text(formatTimestamp(a.created)), text(formatTimestamp(b.created)));
  out.push('', `**Files:** ${countsText(summary, true)}.`);

  const section = (title: string, body: string[]): void => {
    out.push('', '<details>', `<summary>${title}</summary>`, '', ...body, '', '</details>');
  };
  const capped = <T>(items: readonly T[], render: (item: T) => string): string[] => {
    const rows = items.slice(0, maxRows).map(render);
    if (items.length > maxRows) rows.push('', `… and ${items.length - maxRows} more (\`--json\` lists every one).`);
    return rows;
  };

  const layerRow = (side: string, layer: DiffLayer): string => {
    const command = truncate(oneLineCommand(layer.command), 120);
    return `| ${side} | ${layer.index} | ${formatBytes(layer.size)} | ${command ? code(command) : '(no history)'} |`;
  };
  section(
    `Layers: ${diff.layers.shared.length} shared, ${diff.layers.a.length} only in A, ${diff.layers.b.length} only in B`,
    [
      '| Image | # | Size | Command |',
      '| --- | ---: | ---: | --- |',
      ...diff.layers.shared.map((layer) => layerRow('both', layer)),
      ...diff.layers.a.map((layer) => layerRow('A', layer)),
      ...diff.layers.b.map((layer) => layerRow('B', layer)),
    ],
  );

  section(
    `Size by top directory: ${signedBytes(summary.filesystemDelta)}`,
    diff.directories.length === 0
      ? ['No change.']
      : [
          '| Change | Directory | A | B | Files |',
          '| ---: | --- | ---: | ---: | --- |',
          ...capped(diff.directories, (d) => {
            const sizes = [formatBytes(d.sizeA), formatBytes(d.sizeB)];
            return cells(signedBytes(d.delta), code(d.path), ...sizes, countsText(d, false));
          }),
        ],
  );

  const changes = largestChanges(diff.files);
  section(
    `Changed files: ${changes.length}, largest change first`,
    changes.length === 0
      ? ['No file added, removed or modified.']
      : [
          '| Size change | Change | Path | What | Layer |',
          '| ---: | --- | --- | --- | --- |',
          ...capped(changes, (file) =>
            cells(
              signedBytes(sizeChange(file)),
              file.change,
              code(file.path),
              text(describeDifferences(file)),
              layerOf(file),
            ),
          ),
        ],
  );

  const metadata = metadataChanges(diff.files);
  if (metadata.length > 0) {
    section(`Metadata only: ${metadata.length}`, [
      '| Path | What |',
      '| --- | --- |',
      ...capped(
        metadata,
        (file) => `| ${code(file.path + (file.directory ? '/' : ''))} | ${describeDifferences(file)} |`,
      ),
    ]);
  }

  const risks = [
    ...diff.risks.new.map((r) => ['new', r] as const),
    ...diff.risks.gone.map((r) => ['gone', r] as const),
  ];
  section(
    `Risks: ${diff.risks.new.length} new, ${diff.risks.gone.length} gone`,
    risks.length === 0
      ? ['No change.']
      : [
          '| | Severity | Rule | Path | Layer | Why |',
          '| --- | --- | --- | --- | ---: | --- |',
          ...capped(risks, ([change, r]) =>
            cells(
              change,
              `${SEVERITY_ICON[r.severity] ?? ''} ${r.severity}`,
              code(r.rule),
              `${code(r.path)}${r.hidden ? ' (hidden)' : ''}`,
              `${change === 'new' ? 'B' : 'A'} ${r.layer}`,
              inline(terminalSafe(r.reason)),
            ),
          ),
        ],
  );

  const { audit } = diff;
  const settingRows = (kind: string, changes: readonly SettingChange[]): string[] =>
    changes.map((c) =>
      cells(
        `${kind} ${code(c.name)}`,
        c.a === null ? '' : code(c.a),
        c.b === null ? '' : code(c.b),
        `${c.change}${c.masked ? ' (masked)' : ''}`,
      ),
    );
  const findingRows = [
    ...audit.findings.new.map(
      (f) => `| audit | | ${SEVERITY_ICON[f.severity] ?? ''} ${inline(terminalSafe(f.message))} | new |`,
    ),
    ...audit.findings.gone.map(
      (f) => `| audit | ${SEVERITY_ICON[f.severity] ?? ''} ${inline(terminalSafe(f.message))} | | gone |`,
    ),
  ];
  const configRows = [...settingRows('label', audit.labels), ...settingRows('ENV', audit.env), ...findingRows];
  section(
    `Configuration and audit: ${configRows.length} changes`,
    configRows.length === 0 && audit.user.a === audit.user.b
      ? ['No change.']
      : ['| Setting | A | B | Change |', '| --- | --- | --- | --- |', ...capped(configRows, (r) => r)],
  );

  if (diff.packages !== null) {
    section(
      `Packages: ${diff.packages.added} added, ${diff.packages.removed} removed, ${diff.packages.changed} changed`,
      [
        '| Manager | Package | A | B | Change |',
        '| --- | --- | --- | --- | --- |',
        ...capped(diff.packages.changes, (p) =>
          cells(
            text(p.manager),
            code(p.name),
            p.versionA === null ? '' : code(p.versionA),
            p.versionB === null ? '' : code(p.versionB),
            p.change,
          ),
        ),
      ],
    );
  }

  if (options.gate) {
    section(`Gate: ${options.gate.passed ? 'PASS' : 'FAIL'}`, [
      '| Rule | Result | Detail |',
      '| --- | --- | --- |',
      ...options.gate.checks.map(
        (check) => `| ${check.rule} | ${check.passed ? 'PASS' : 'FAIL'} | ${text(check.message)} |`,
      ),
    ]);
  }
  return reportText(out);
}

/** A table row. */
function cells(...values: string[]): string {
  return `| ${values.join(' | ')} |`;
}

function userText(user: string, root: boolean): string {
  return `${user ? code(user) : '(none)'}${root ? ' (root)' : ''}`;
}
