/** The markdown report taken apart, to check its sections and tables. */
import { expect } from 'vitest';

export interface Section {
  summary: string;
  body: string[];
}

export interface ParsedReport {
  heading: string;
  summary: Array<[string, string]>;
  sections: Section[];
}

/** Cells of a table row, split on pipes that are not escaped. */
export function cells(row: string): string[] {
  expect(row.startsWith('|') && row.endsWith('|'), row).toBe(true);
  return row
    .slice(1, -1)
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim());
}

/** A strict reading of the layout: heading, summary table, then only <details> sections. */
export function parse(markdown: string): ParsedReport {
  const lines = markdown.replace(/\n$/, '').split('\n');
  let i = 0;
  const heading = lines[i++]!;
  expect(heading).toMatch(/^### /);
  expect(lines[i++]).toBe('');
  expect(lines[i++]).toBe('| | |');
  expect(lines[i++]).toBe('| --- | --- |');
  const summary: Array<[string, string]> = [];
  while (lines[i]?.startsWith('|')) {
    const row = cells(lines[i++]!);
    expect(row).toHaveLength(2);
    summary.push([row[0]!, row[1]!]);
  }
  const sections: Section[] = [];
  while (i < lines.length) {
    expect(lines[i++]).toBe('');
    expect(lines[i++]).toBe('<details>');
    const summaryLine = lines[i++]!;
    const m = /^<summary>(.+)<\/summary>$/.exec(summaryLine);
    expect(m, summaryLine).not.toBeNull();
    expect(lines[i++]).toBe('');
    const body: string[] = [];
    while (i < lines.length && lines[i] !== '</details>') body.push(lines[i++]!);
    expect(lines[i++]).toBe('</details>');
    expect(body.at(-1)).toBe('');
    sections.push({ summary: m![1]!, body: body.slice(0, -1) });
  }
  return { heading, summary, sections };
}

/** Every table in a section: the same number of cells in every row as in its header. */
export function tables(body: string[]): string[][][] {
  const found: string[][][] = [];
  let current: string[][] | null = null;
  for (const line of body) {
    if (line.startsWith('|')) {
      const row = cells(line);
      if (current === null) found.push((current = []));
      current.push(row);
    } else current = null;
  }
  for (const table of found) {
    expect(table.length).toBeGreaterThanOrEqual(2);
    expect(table[1]!.every((cell) => /^-+:?$|^:?-+:?$/.test(cell))).toBe(true);
    for (const row of table) expect(row).toHaveLength(table[0]!.length);
  }
  return found;
}
