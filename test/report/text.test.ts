import { Writable } from 'node:stream';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { analyzeImage, type ImageAnalysis } from '../../src/analysis/analyze.js';
import { main } from '../../src/cli/main.js';
import { openImage } from '../../src/image/open.js';
import type { ImageIndex } from '../../src/image/types.js';
import { wantsColor } from '../../src/report/style.js';
import { renderTextReport } from '../../src/report/text.js';
import { fixtures } from '../helpers/paths.js';

const DEMO = fixtures('demo', 'demo.tar');
const NOW = new Date('2024-06-15T00:00:00Z');
const ANSI = /\x1b\[/;

class Terminal extends Writable {
  text = '';
  constructor(readonly isTTY: boolean) {
    super();
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

describe('the text report', () => {
  let image: ImageIndex;
  let analysis: ImageAnalysis;
  let text: string;
  beforeAll(async () => {
    image = await openImage(DEMO);
    analysis = analyzeImage(image, { now: NOW });
    text = renderTextReport(image, analysis, { color: false, now: NOW });
  });

  it('has its sections in order: summary, layers, waste, explanations, packages, risks, audit', () => {
    const headings = text.split('\n').filter((line) => /^[A-Z]/.test(line));
    expect(headings).toEqual([
      'Summary',
      'Layers (9)',
      'Waste',
      'Explanations (5)',
      `Packages (${analysis.packages.items.length})`,
      `Risks (${analysis.risks.length})`,
      `Audit (${analysis.audit.length})`,
    ]);
    expect(text.startsWith('strata report: strata/demo:latest\n')).toBe(true);
  });

  it('summarizes size, waste, savings, risks and audit in SI units', () => {
    expect(text).toMatch(/^ {2}layers +9, 842 kB of files$/m);
    expect(text).toMatch(/^ {2}hidden +629 kB in 12 files \(74\.7 %\): exact efficiency 25\.3 %$/m);
    expect(text).toMatch(/^ {2}could save +fixing all 5 explanations saves 629 kB$/m);
    expect(text).toMatch(/^ {2}created +2024-06-01T\S+ \(\d+ days old\)$/m);
    expect(text).not.toMatch(/KiB|MiB/);
  });

  it('lists every layer with its size, hidden bytes and command', () => {
    expect(text).toMatch(/^ {3}1 +316 kB +316 kB {2}RUN apt-get update$/m);
    expect(text).toMatch(/^ {3}5 +0 B +- {2}RUN rm -rf \/var\/lib\/apt\/lists\/\* \/tmp\/seed\.sql$/m);
  });

  it('explains the waste, largest first, with a fix each', () => {
    const section = text.slice(text.indexOf('Explanations (5)'), text.indexOf('Risks ('));
    expect(section).toMatch(
      new RegExp(
        String.raw`1\. 316 kB {2}update-separate {2}layer 1 → 5\n {5}${'`'}apt-get update${'`'} in layer 1 ` +
          'shipped 316 kB of /var/lib/apt/lists, which layer 5 deleted',
      ),
    );
    expect(section).toMatch(/2\. 307 kB {2}deleted-later {2}layer 4 → 5\n {5}Layer 4 COPY'd \/tmp\/seed\.sql/);
    expect(section.match(/^ {5}fix: /gm)).toHaveLength(5);
  });

  it('lists risks and audit findings', () => {
    expect(text).toMatch(/^ {2}high {4}secret\.private-key +\/root\/\.ssh\/id_rsa {2}layer 3: /m);
    expect(text).toMatch(/^ {2}medium {2}runs as root/m);
  });

  it('has no colour unless asked, and colour when asked', () => {
    expect(text).not.toMatch(ANSI);
    expect(renderTextReport(image, analysis, { color: true, now: NOW })).toMatch(ANSI);
  });
});

describe('colour', () => {
  it('only on a terminal, and never when NO_COLOR is set to something', () => {
    expect(wantsColor(new Terminal(true), {})).toBe(true);
    expect(wantsColor(new Terminal(true), { NO_COLOR: '' })).toBe(true);
    expect(wantsColor(new Terminal(true), { NO_COLOR: '1' })).toBe(false);
    expect(wantsColor(new Terminal(false), {})).toBe(false);
  });

  describe('strata report on a terminal', () => {
    const saved = process.env.NO_COLOR;
    afterEach(() => {
      if (saved === undefined) delete process.env.NO_COLOR;
      else process.env.NO_COLOR = saved;
    });
    const run = async () => {
      const stdout = new Terminal(true);
      const stderr = new Terminal(false);
      const code = await main(['report', DEMO], { stdout, stderr: stderr as unknown as NodeJS.WriteStream });
      return { code, stdout: stdout.text };
    };

    it('is coloured', async () => {
      delete process.env.NO_COLOR;
      const r = await run();
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(ANSI);
    });

    it('is plain with NO_COLOR', async () => {
      process.env.NO_COLOR = '1';
      const r = await run();
      expect(r.code).toBe(0);
      expect(r.stdout).not.toMatch(ANSI);
      expect(r.stdout).toMatch(/^Explanations \(5\)$/m);
    });
  });
});
