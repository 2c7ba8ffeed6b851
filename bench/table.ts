/** Plain-text and Markdown tables for the benchmark results. */

export interface Column {
  title: string;
  align: 'left' | 'right';
}

export function renderTable(columns: readonly Column[], rows: readonly string[][], markdown: boolean): string {
  if (markdown) {
    const esc = (s: string): string => s.replaceAll('|', '\\|');
    const head = `| ${columns.map((c) => esc(c.title)).join(' | ')} |`;
    const rule = `| ${columns.map((c) => (c.align === 'right' ? '---:' : '---')).join(' | ')} |`;
    return [head, rule, ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`)].join('\n') + '\n';
  }
  const widths = columns.map((c, i) => Math.max(c.title.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, i) => (columns[i]?.align === 'right' ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(columns.map((c) => c.title)), rule, ...rows.map(line)].join('\n') + '\n';
}

export function formatSeconds(ms: number | null): string {
  if (ms === null) return 'n/a';
  const s = ms / 1000;
  return s < 1 ? `${s.toFixed(3)} s` : s < 100 ? `${s.toFixed(2)} s` : `${s.toFixed(0)} s`;
}

/** Decimal units, like the sizes the CLI prints. */
export function formatBytes(bytes: number | null): string {
  if (bytes === null) return 'n/a';
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(2)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  if (bytes >= 1e3) return `${(bytes / 1e3).toFixed(1)} kB`;
  return `${bytes} B`;
}

/** Peak RSS as reported in KiB, shown in MB (10^6 bytes). */
export function formatRss(kib: number | null): string {
  return kib === null ? 'n/a' : `${((kib * 1024) / 1e6).toFixed(0)} MB`;
}

export function formatRatio(ratio: number | null): string {
  return ratio === null || !Number.isFinite(ratio) ? 'n/a' : `${ratio.toFixed(2)}×`;
}

export function formatCount(n: number | null): string {
  return n === null ? 'n/a' : n.toLocaleString('en-US');
}
