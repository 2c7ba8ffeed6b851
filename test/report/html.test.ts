import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeImage } from '../../src/analysis/analyze.js';
import { openImage } from '../../src/image/open.js';
import { renderHtmlReport } from '../../src/report/html/index.js';
import { layoutTreemap } from '../../src/report/html/treemap.js';
import { chromiumPath, openInChromium } from '../helpers/chromium.js';
import { runCli } from '../helpers/cli.js';
import { file, imageOf, layers } from '../helpers/layers.js';
import { fixtures, hasShared, inCi, repoRoot, shared } from '../helpers/paths.js';

const NOW = new Date('2026-12-01T00:00:00Z');

describe('the treemap', () => {
  for (const [name, path] of [
    ['demo', fixtures('demo', 'demo.tar')],
    ['dpkg', fixtures('packages', 'dpkg.tar')],
    ['cases/hardlink-original-removed', fixtures('cases', 'hardlink-original-removed.tar')],
  ] as const) {
    it(`${name}: its cells add up to every byte shipped, hidden ones included (waste.totalBytes)`, async () => {
      const analysis = analyzeImage(await openImage(path));
      const map = layoutTreemap(analysis);
      expect(map.cells.reduce((sum, c) => sum + c.bytes, 0)).toBe(analysis.exact.totalBytes);
      expect(map.totalBytes).toBe(analysis.exact.totalBytes);
      const hidden = map.cells.filter((c) => c.hidden).reduce((sum, c) => sum + c.bytes, 0);
      expect(hidden).toBe(analysis.exact.hiddenBytes);
    });
  }

  it('groups files too small to see into one cell per directory, and keeps the count', () => {
    const many = Array.from({ length: 500 }, (_, i) => file(`/usr/share/doc/f${i}`, 'x'.repeat(10)));
    const analysis = analyzeImage(imageOf(layers([file('/big', 'y'.repeat(100_000)), ...many])));
    const map = layoutTreemap(analysis, { maxCells: 100 });
    const group = map.cells.find((c) => c.files > 1);
    expect(group).toMatchObject({ files: 500, bytes: 5000, path: '/usr/share/doc' });
    expect(map.cells).toHaveLength(2);
  });

  it('stays flat whatever the depth of the paths', () => {
    const deep = `/${Array.from({ length: 5000 }, (_, i) => `d${i}`).join('/')}/file`;
    const analysis = analyzeImage(imageOf(layers([file(deep, 'z'.repeat(100))])));
    const map = layoutTreemap(analysis);
    expect(map.cells).toHaveLength(1);
    expect(map.dirs.length).toBeLessThanOrEqual(13);
  });
});

describe('the page', () => {
  it('escapes text from the image: names, labels and commands stay text', () => {
    const image = imageOf(layers([file('/app/<script>alert(1)</script>.js', 'x'.repeat(50))]), {
      commands: ['/bin/sh -c echo "</script><img src=x onerror=alert(2)>"'],
      config: { labels: { 'evil<b>': '\u001b]0;title\u0007<script>alert(3)</script>' } },
    });
    const html = renderHtmlReport(image, analyzeImage(image), { now: NOW });
    expect(html).not.toMatch(/<script>alert/);
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('\u001b');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;.js');
    expect(html).toContain('\\x1b]0;title\\x07&lt;script&gt;alert(3)');
    expect(html).toContain('evil&lt;b&gt;');
  });

  it('shows a label that is base64 of text decoded', () => {
    const encoded = Buffer.from('FROM debian:12\nRUN apt-get update\n').toString('base64');
    const image = imageOf(layers([file('/a', 'a')]), { config: { labels: { dockerfile: encoded } } });
    const html = renderHtmlReport(image, analyzeImage(image), { now: NOW });
    expect(html).toContain('decoded: FROM debian:12\nRUN apt-get update');
  });

  it('--format html writes one file with -o, and to stdout without it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-html-'));
    const out = join(dir, 'report.html');
    const written = await runCli('report', '--format', 'html', '-o', out, '--no-cache', fixtures('demo', 'demo.tar'));
    expect(written.code).toBe(0);
    expect(written.stdout).toBe('');
    const printed = await runCli('report', '--format', 'html', '--no-cache', fixtures('demo', 'demo.tar'));
    expect(printed.stdout.startsWith('<!doctype html>')).toBe(true);
    const bad = await runCli(
      'report',
      '--format',
      'html',
      '-o',
      join(dir, 'no/such/dir/r.html'),
      fixtures('demo', 'demo.tar'),
    );
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toContain('cannot write');
  });
});

const browserReason = chromiumPath ? null : 'chromium is not installed (apt-get install chromium)';
if (browserReason && inCi) throw new Error(`CI=true but ${browserReason}`);

describe.skipIf(browserReason !== null || !hasShared)('the page in a real browser (wasteful)', () => {
  it('renders with no console error and no request, a cell per layer, and the seed file with its size', async () => {
    const image = await openImage(shared('images/wasteful.oci-archive.tar'));
    const analysis = analyzeImage(image);
    const html = renderHtmlReport(image, analysis, { now: NOW });
    expect(Buffer.byteLength(html)).toBeLessThan(300_000);
    const outDir = join(repoRoot, 'test-output');
    mkdirSync(outDir, { recursive: true });
    const page = join(outDir, 'wasteful.html');
    writeFileSync(page, html);
    const run = await openInChromium(page, join(outDir, 'wasteful-report.png'));
    expect(run.log).not.toMatch(/Uncaught|SyntaxError|TypeError|ReferenceError/);
    // The page names no address to fetch (the SVG namespace is a name, not a request)…
    const references = [...html.matchAll(/(?:src|href|action)\s*=\s*["']?([^"'\s>]+)|url\(([^)]*)\)/gi)]
      .map((m) => m[1] ?? m[2] ?? '')
      .filter((ref) => !ref.startsWith('#'));
    expect(references).toEqual([]);
    // …and asked a network for nothing (chromium's own update and time checks are its, not the page's).
    expect(run.requests.filter((r) => !/\b(google|googleapis|gvt1|gstatic)\.com\b/.test(r))).toEqual([]);
    expect(run.dom).toContain('data-ready="true"');
    const layersDrawn = new Set(
      [...run.dom.matchAll(/<rect class="cell[^"]*" [^>]*data-layer="(\d+)"/g)].map((m) => m[1]),
    );
    const shipping = image.layers.map((_, i) => i).filter((i) => (analysis.exact.shippedBytes[i] ?? 0) > 0);
    expect([...layersDrawn].map(Number).sort((a, b) => a - b)).toEqual(shipping);
    const seed = analysis.exact.hidden.find((p) => p.path === '/tmp/seed-data.sql')!;
    expect(run.dom).toMatch(new RegExp(`data-path="/tmp/seed-data.sql" data-size="${seed.size}"`));
  });
});
