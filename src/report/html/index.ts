/**
 * `strata report --format html`: one self-contained page that shows the image at a glance: a treemap
 * of its bytes (hidden ones hatched), the layer table, and the story (explanations, risks, audit),
 * as in `strata report`. No external reference of any kind; the script only adds interaction.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ImageAnalysis } from '../../analysis/analyze.js';
import type { ImageIndex } from '../../image/types.js';
import { formatBytes, formatPercent, oneLineCommand } from '../../util/format.js';
import { packageRoot } from '../../util/package-root.js';
import { overviewOf, percentOf } from '../overview.js';
import { escapeHtml as e, jsonForScript } from './escape.js';
import { PAGE_CSS } from './style.js';
import { type TreemapLayout, layoutTreemap } from './treemap.js';

export interface HtmlReportOptions {
  now?: Date;
}

const SEVERITIES = ['high', 'medium', 'low', 'info'] as const;

export function renderHtmlReport(image: ImageIndex, analysis: ImageAnalysis, options: HtmlReportOptions = {}): string {
  const o = overviewOf(image, analysis, options.now);
  const map = layoutTreemap(analysis);
  const packageNames = [...new Set(map.cells.map((c) => c.package).filter(Boolean))].sort();
  const packageIndex = new Map(packageNames.map((name, i) => [name, i]));
  const parts: string[] = [];
  parts.push(
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // Nothing may leave the page: no fetch, no image, no font, from anywhere.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; ` +
      `script-src 'unsafe-inline'; img-src data:">`,
    `<title>strata report: ${e(o.name)}</title>`,
    `<style>${PAGE_CSS}${colourRules(image.layers.length, packageNames.length)}</style>`,
    '</head>',
    '<body data-colour="layer">',
    `<h1>strata report: ${e(o.name)}</h1>`,
    `<p>${summaryLine(o)}</p>`,
  );
  parts.push(facts(image, analysis, o));
  parts.push('<h2>Where the bytes are</h2>', treemapSection(image, map, packageIndex));
  parts.push('<h2>Layers</h2>', layerTable(image, analysis));
  parts.push(explanations(analysis), risks(analysis), audit(image, analysis));
  parts.push(
    '<div id="tip" hidden></div>',
    `<script type="application/json" id="treemap-boxes">${jsonForScript(map.dirs)}</script>`,
    `<script>${pageScript()}</script>`,
    '</body>',
    '</html>',
  );
  return `${parts.join('\n')}\n`;
}

function summaryLine(o: ReturnType<typeof overviewOf>): string {
  return (
    `<strong>${formatBytes(o.totalBytes)}</strong> shipped in ${o.layerCount} layers · ` +
    `<strong>${formatBytes(o.hiddenBytes)}</strong> hidden (${percentOf(o.hiddenBytes, o.totalBytes)}) · ` +
    `efficiency ${formatPercent(o.exactEfficiency)} exact, ${formatPercent(o.diveEfficiency)} dive-compatible`
  );
}

function facts(image: ImageIndex, analysis: ImageAnalysis, o: ReturnType<typeof overviewOf>): string {
  const rows: Array<[string, string]> = [
    ['image', `${e(o.name)} <span class="dim">(${e(o.source)}, ${e(o.platform)})</span>`],
    ['config', `<code>${e(o.configDigest)}</code>`],
    ['verified', image.verified ? 'every blob digest and diff_id checked ✓' : 'no (--no-verify)'],
    ['created', o.created ? `${e(o.created)} (${e(o.age)})` : 'unknown'],
    ['user', o.runsAsRoot ? `${e(o.user || '(none)')}: runs as root` : e(o.user)],
  ];
  if (analysis.packages.managers.length > 0) {
    const owned = analysis.packages.items.reduce((sum, item) => sum + item.bytes, 0);
    rows.push([
      'packages',
      `${analysis.packages.items.length} (${e(analysis.packages.managers.join(', '))}), ${formatBytes(owned)}; ` +
        `${formatBytes(analysis.packages.unownedBytes)} in files no package owns`,
    ]);
  }
  return `<dl class="facts">${rows.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('')}</dl>`;
}

/** Layer colours spread round the hue circle; package colours by index, so the page needs no script. */
function colourRules(layers: number, packages: number): string {
  const rules: string[] = [];
  for (let i = 0; i < layers; i++) {
    const hue = Math.round((210 + i * 137.508) % 360);
    rules.push(`.l${i}{fill:hsl(${hue} 55% 55%);background:hsl(${hue} 55% 55%)}`);
  }
  for (let i = 0; i < packages; i++) {
    const hue = Math.round((i * 97.3) % 360);
    rules.push(`body[data-colour=package] rect.p${i}{fill:hsl(${hue} 45% 50%)}`);
  }
  rules.push('body[data-colour=package] rect.pn{fill:#8c959f}');
  rules.push('svg.treemap[data-focus] rect.cell{opacity:.25}');
  for (let i = 0; i < layers; i++) rules.push(`svg.treemap[data-focus="${i}"] rect.cell.l${i}{opacity:1}`);
  return rules.join('\n');
}

function treemapSection(image: ImageIndex, map: TreemapLayout, packageIndex: Map<string, number>): string {
  const cells = map.cells.map((c) => {
    const classes = [`cell l${c.layer}`, c.hidden ? 'h' : '', c.package ? `p${packageIndex.get(c.package)}` : 'pn'];
    const label = c.files > 1 ? `${c.files} files under ${c.path}` : c.path;
    return (
      `<rect class="${classes.filter(Boolean).join(' ')}" x="${c.x}" y="${c.y}" width="${c.width}" ` +
      `height="${c.height}" data-layer="${c.layer}" data-path="${e(c.path)}" data-size="${c.bytes}" ` +
      `data-files="${c.files}" data-status="${c.hidden ? 'hidden' : 'visible'}" data-dir="${c.dir}"` +
      `${c.package ? ` data-package="${e(c.package)}"` : ''}><title>${e(label)}, ${formatBytes(c.bytes)}</title></rect>`
    );
  });
  const frames = map.dirs
    .filter((d) => d.parent < 0)
    .map(
      (d) =>
        `<rect class="frame" x="${d.x}" y="${d.y}" width="${d.width}" height="${d.height}"/>` +
        (d.width > 60 ? `<text x="${d.x + 3}" y="${d.y + 11}">layer ${d.layer}</text>` : ''),
    );
  const legend = image.layers
    .map(
      (layer, i) =>
        `<li><span class="swatch l${i}"></span>layer ${i}: ` +
        `<code>${e(truncated(oneLineCommand(layer.command), 90))}</code></li>`,
    )
    .join('');
  return [
    '<div class="controls">',
    '<label>colour by <select id="colour-by"><option value="layer">layer</option>',
    '<option value="package">package</option></select></label>',
    '<nav id="crumbs" aria-label="zoom"></nav>',
    '<span class="dim">hatched: bytes a later layer hid, still shipped · click to zoom</span>',
    '</div>',
    `<svg class="treemap" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${map.width} ${map.height}" ` +
      `role="img" aria-label="treemap of the image's bytes">`,
    '<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">',
    '<rect width="6" height="6" fill="var(--waste)" fill-opacity="0.35"/>',
    '<line x1="0" y1="0" x2="0" y2="6" stroke="var(--waste)" stroke-width="2.5"/></pattern></defs>',
    ...cells,
    ...frames,
    '</svg>',
    `<ul class="dim" style="columns: 2; padding-left: 18px">${legend}</ul>`,
  ].join('\n');
}

function truncated(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}

function layerTable(image: ImageIndex, analysis: ImageAnalysis): string {
  const rows = image.layers.map((layer, i) => {
    const counts = analysis.stack.layers[i]?.counts ?? { added: 0, modified: 0, removed: 0, unmodified: 0 };
    const hidden = analysis.exact.hiddenLaterBytes[i] ?? 0;
    return (
      `<tr data-layer="${i}"><td class="num"><span class="swatch l${i}"></span>${i}</td>` +
      `<td class="cmd mono">${e(oneLineCommand(layer.command) || '(no history)')}</td>` +
      `<td class="num">${formatBytes(analysis.exact.shippedBytes[i] ?? 0)}</td>` +
      `<td class="num">${hidden === 0 ? '–' : formatBytes(hidden)}</td>` +
      `<td class="num">${counts.added} / ${counts.modified} / ${counts.removed}</td></tr>`
    );
  });
  return (
    '<table><thead><tr><th class="num">#</th><th>command</th><th class="num">size</th>' +
    '<th class="num">hidden later</th><th class="num">added / modified / removed</th></tr></thead>' +
    `<tbody>${rows.join('\n')}</tbody></table>`
  );
}

function explanations(analysis: ImageAnalysis): string {
  const list = analysis.explanations;
  if (list.length === 0) return '<h2>Why is it big?</h2><p>Nothing to explain.</p>';
  const rows = list.map(
    (x, i) =>
      `<tr><td class="num">${i + 1}</td><td class="num">${formatBytes(x.bytes)}</td><td>${e(x.kind)}</td>` +
      `<td class="num">${x.hiddenBy === null ? x.layer : `${x.layer} → ${x.hiddenBy}`}</td>` +
      `<td>${e(x.message)}<div class="fix">fix: ${e(x.fix)}</div></td></tr>`,
  );
  return (
    `<h2>Why is it big? ${list.length} explanations, largest first</h2>` +
    '<table><thead><tr><th class="num">#</th><th class="num">saves</th><th>kind</th><th class="num">layer</th>' +
    `<th>what happened</th></tr></thead><tbody>${rows.join('\n')}</tbody></table>`
  );
}

function risks(analysis: ImageAnalysis): string {
  const order = (s: string) => SEVERITIES.indexOf(s as (typeof SEVERITIES)[number]);
  const list = [...analysis.risks].sort((a, b) => order(a.severity) - order(b.severity));
  if (list.length === 0) return '<h2>Risks</h2><p>None found.</p>';
  const rows = list.map(
    (r) =>
      `<tr><td><span class="sev ${r.severity}">${r.severity}</span></td><td><code>${e(r.rule)}</code></td>` +
      `<td><code>${e(r.path)}</code>${r.hidden ? ' (hidden)' : ''}` +
      `${r.package ? ` <span class="dim">from ${e(r.package)}</span>` : ''}</td>` +
      `<td class="num">${r.layer}</td><td>${e(r.reason)}</td></tr>`,
  );
  return (
    `<h2>Risks: ${list.length}, most severe first</h2>` +
    '<table><thead><tr><th>severity</th><th>rule</th><th>path</th><th class="num">layer</th><th>why</th></tr></thead>' +
    `<tbody>${rows.join('\n')}</tbody></table>`
  );
}

function audit(image: ImageIndex, analysis: ImageAnalysis): string {
  const findings = analysis.audit.map(
    (a) => `<tr><td><span class="sev ${a.severity}">${a.severity}</span></td><td>${e(a.message)}</td></tr>`,
  );
  const labels = Object.entries(image.config.labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const labelRows = labels.map(([key, value]) => {
    const decoded = decodedBase64(value);
    return (
      `<tr><td><code>${e(key)}</code></td><td class="cmd mono">${e(value)}` +
      `${decoded === null ? '' : `<div class="dim">decoded: ${e(decoded)}</div>`}</td></tr>`
    );
  });
  return [
    '<h2>Audit and provenance</h2>',
    findings.length === 0
      ? '<p>Nothing to report.</p>'
      : `<table><thead><tr><th>severity</th><th>finding</th></tr></thead><tbody>${findings.join('\n')}</tbody></table>`,
    labels.length === 0
      ? '<p class="dim">No labels.</p>'
      : `<table><thead><tr><th>label</th><th>value</th></tr></thead><tbody>${labelRows.join('\n')}</tbody></table>`,
  ].join('\n');
}

/** A label that is base64 of readable text (a file put in a label) is shown decoded too. */
function decodedBase64(value: string): string | null {
  if (value.length < 16 || value.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return null;
  const text = Buffer.from(value, 'base64').toString('utf8');
  return /^[\t\n\r\x20-\x7e\u00a0-\uffff]*$/.test(text) && !text.includes('\ufffd') ? text : null;
}

let script: string | null = null;

/** The page script, compiled from page-script.ts by `npm run build` (it needs the DOM's types). */
function pageScript(): string {
  script ??= readFileSync(join(packageRoot, 'dist', 'src', 'report', 'html', 'page-script.js'), 'utf8').replace(
    /<\/script/gi,
    '<\\/script',
  );
  return script;
}
