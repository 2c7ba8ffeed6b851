/** The page's stylesheet: light and dark from the reader's preference, A4 when printed, no web font. */
export const PAGE_CSS = `
:root { color-scheme: light dark; --bg: #fff; --fg: #1b1f24; --dim: #59636e; --line: #d1d9e0; --card: #f6f8fa;
  --waste: #d1242f; --high: #d1242f; --medium: #bc4c00; --low: #9a6700; --info: #59636e; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #0d1117; --fg: #e6edf3; --dim: #9198a1; --line: #3d444d; --card: #151b23;
    --waste: #f85149; --high: #f85149; --medium: #db6d28; --low: #d29922; --info: #9198a1; }
}
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1280px; padding: 24px; background: var(--bg); color: var(--fg);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; }
h1 { font-size: 22px; margin: 0 0 4px; word-break: break-all; }
h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
.dim { color: var(--dim); }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 12px 0; }
.facts dt { color: var(--dim); }
.facts dd { margin: 0; word-break: break-word; }
table { border-collapse: collapse; width: 100%; margin: 8px 0; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { color: var(--dim); font-weight: 600; }
td.num, th.num { text-align: right; white-space: nowrap; }
td.cmd { word-break: break-word; white-space: pre-wrap; }
tr[data-layer]:hover { background: var(--card); }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 6px; }
.controls { display: flex; gap: 12px; align-items: center; flex-wrap: wrap; margin: 8px 0; }
#crumbs button { font: inherit; background: var(--card); color: var(--fg); border: 1px solid var(--line);
  border-radius: 4px; padding: 1px 8px; margin-right: 4px; cursor: pointer; }
svg.treemap { width: 100%; height: auto; display: block; background: var(--card); border: 1px solid var(--line); }
svg.treemap rect.cell { stroke: var(--bg); stroke-width: 0.5; cursor: zoom-in; }
svg.treemap rect.cell.h { fill: url(#hatch); }
svg.treemap rect.frame { fill: none; stroke: var(--fg); stroke-opacity: 0.35; stroke-width: 1; }
svg.treemap text { font: 11px system-ui, sans-serif; fill: var(--fg); pointer-events: none; }
svg.treemap[data-focus] rect.cell { opacity: 0.25; }
#tip { position: absolute; white-space: pre; background: var(--card); border: 1px solid var(--line); padding: 6px 8px;
  border-radius: 4px; pointer-events: none; font-size: 12px; max-width: 60ch; overflow: hidden; }
.sev { font-weight: 600; text-transform: uppercase; font-size: 11px; }
.sev.high { color: var(--high); } .sev.medium { color: var(--medium); } .sev.low { color: var(--low); }
.sev.info { color: var(--info); }
.fix { color: var(--dim); }
@media print {
  @page { size: A4; margin: 12mm; }
  body { max-width: none; padding: 0; font-size: 10pt; }
  .controls, #tip { display: none; }
  h2 { break-after: avoid; } tr { break-inside: avoid; }
}
`;
