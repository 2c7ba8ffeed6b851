import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeImage, type ImageAnalysis } from '../../src/analysis/analyze.js';
import { openImage } from '../../src/image/open.js';
import type { ImageIndex } from '../../src/image/types.js';
import { code, inline, renderMarkdownReport } from '../../src/report/markdown.js';
import { fixtures } from '../helpers/paths.js';
import { type ParsedReport, parse, tables } from '../helpers/markdown-report.js';

describe('the markdown report (for a PR comment)', () => {
  let image: ImageIndex;
  let analysis: ImageAnalysis;
  let report: ParsedReport;
  let markdown: string;
  beforeAll(async () => {
    image = await openImage(fixtures('demo', 'demo.tar'));
    analysis = analyzeImage(image);
    markdown = renderMarkdownReport(image, analysis, { now: new Date('2024-06-15T00:00:00Z') });
    report = parse(markdown);
  });

  it('starts with a heading and a summary table', () => {
    expect(report.heading).toBe('### strata report: `strata/demo:latest`');
    expect(report.summary.map(([key]) => key)).toEqual([
      'Image',
      'Created',
      'User',
      'Layers',
      'Hidden',
      'Efficiency',
      'Could save',
      'Risks',
      'Audit',
    ]);
    expect(Object.fromEntries(report.summary)).toMatchObject({
      Layers: '9, 842 kB of files',
      Hidden: '629 kB in 12 files (74.7 %)',
      'Could save': '629 kB by fixing 5 explanations',
      User: '(none): runs as root',
    });
  });

  it('then collapsible sections: explanations, layers, waste, packages, risks, audit', () => {
    expect(report.sections.map((s) => s.summary)).toEqual([
      'Explanations: 5, 629 kB to save',
      'Layers: 9',
      'Waste: 629 kB hidden in 12 files',
      `Packages: ${analysis.packages.items.length}`,
      `Risks: ${analysis.risks.length}`,
      `Audit: ${analysis.audit.length}`,
    ]);
    expect(markdown.match(/<details>/g)).toHaveLength(6);
    expect(markdown.match(/<\/details>/g)).toHaveLength(6);
  });

  it('has well-formed tables', () => {
    const [explanations, layers, waste, packages, risks, audit] = report.sections.map((s) => tables(s.body));
    expect(packages![0]!.length - 2).toBe(analysis.packages.items.length);
    expect(explanations![0]![0]).toEqual(['#', 'Saves', 'Kind', 'Layer', 'What happened', 'Fix']);
    expect(explanations![0]!.length - 2).toBe(5);
    expect(explanations![0]![2]!.slice(0, 4)).toEqual(['1', '316 kB', 'update-separate', '1 → 5']);
    expect(layers![0]!.length - 2).toBe(9);
    expect(layers![0]![3]).toEqual(['1', '316 kB', '316 kB', '`RUN apt-get update`']);
    expect(waste![0]!.length - 2).toBe(12);
    expect(risks![0]!.length - 2).toBe(analysis.risks.length);
    expect(audit![0]!.length - 2).toBe(analysis.audit.length);
  });

  it('keeps commands as code and escapes markdown in plain text', () => {
    const explanations = report.sections[0]!.body.join('\n');
    expect(explanations).toContain('`apt-get update` in layer 1 shipped');
    expect(explanations).toContain('/etc/ssh/sshd\\_config');
    expect(inline('`a|b` and x_y | z')).toBe('`a\\|b` and x\\_y \\| z');
    expect(code('has `ticks`')).toBe('`` has `ticks` ``');
  });

  it('caps long tables', () => {
    const capped = parse(renderMarkdownReport(image, analysis, { maxRows: 2 }));
    const waste = capped.sections[2]!;
    expect(tables(waste.body)[0]!.length - 2).toBe(2);
    expect(waste.body.at(-1)).toBe('… and 10 more.');
  });
});
