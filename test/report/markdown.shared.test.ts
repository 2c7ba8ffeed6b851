import { describe, expect, it } from 'vitest';
import { analyzeImage } from '../../src/analysis/analyze.js';
import { openImage } from '../../src/image/open.js';
import { renderMarkdownReport } from '../../src/report/markdown.js';
import { hasShared, shared } from '../helpers/paths.js';
import { parse, tables } from '../helpers/markdown-report.js';

describe.skipIf(!hasShared)('the markdown report of the wasteful image', () => {
  it('parses, names the explanations, and fits a GitHub comment', async () => {
    const image = await openImage(shared('images', 'wasteful.oci-archive.tar'));
    const markdown = renderMarkdownReport(image, analyzeImage(image));
    expect(markdown.length).toBeLessThan(65_536);
    const report = parse(markdown);
    const explanations = report.sections[0]!.body.join('\n');
    for (const path of ['/var/lib/apt/lists', '/tmp/seed-data.sql', '/etc/ssh/sshd\\_config', '/opt/app/config'])
      expect(explanations).toContain(path);
    for (const section of report.sections) tables(section.body);
  });
});
