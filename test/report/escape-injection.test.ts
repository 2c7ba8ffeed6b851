import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildImage, dockerLegacyArchive } from '../../scripts/fixtures/layouts.js';
import { file, sha256, tarBytes, whiteout } from '../../scripts/fixtures/tar.js';
import { analyzeImage } from '../../src/analysis/analyze.js';
import { evaluateCi, loadCiConfig } from '../../src/ci/index.js';
import { openImage } from '../../src/image/open.js';
import { renderCiText } from '../../src/report/ci.js';
import { renderMarkdownReport } from '../../src/report/markdown.js';
import { renderTextReport } from '../../src/report/text.js';
import { escapeControls } from '../../src/util/escape.js';
import { runCli } from '../helpers/cli.js';

/**
 * An image that puts terminal controls everywhere it can: file names, USER, history, labels, ENV,
 * its tag, platform, creation date, ports and healthcheck. Whatever strata prints of it must show
 * them as visible `\xNN`, never send them to the terminal.
 */
const TITLE = '\x1b]0;pwned\x07'; // sets the terminal's title
const CLEAR = '\x1b[2J'; // clears the screen
const C1 = '\x9b31m'; // the 8-bit CSI: recolours on terminals that honour C1
const EVIL = `${TITLE}${CLEAR}${C1}`;
const NEWLINE_NAME = 'injected\nFAKE LINE';

const scratch = mkdtempSync(join(tmpdir(), 'strata-escape-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let archive = '';

beforeAll(async () => {
  const big = 'x'.repeat(200_000);
  const img = buildImage({
    repoTag: `evil${CLEAR}:latest`,
    architecture: `amd64${CLEAR}`,
    os: 'linux',
    created: '2024-06-01T12:00:00Z',
    runConfig: {
      User: `app${EVIL}`,
      Env: [`API_TOKEN${CLEAR}=supersecretvalue${EVIL}`, `PATH=/usr/bin${EVIL}`],
      Labels: {
        'org.opencontainers.image.source': `https://example.com/${EVIL}`,
        [`label${CLEAR}`]: `value${EVIL}`,
      },
      WorkingDir: `/app${EVIL}`,
      ExposedPorts: { [`80/tcp${CLEAR}`]: {} },
      Healthcheck: { Test: ['CMD', `curl${EVIL}`] },
      Cmd: [`run${EVIL}`],
    },
    history: [
      { createdBy: `/bin/sh -c echo ${EVIL} > /tmp/x && apt-get update${CLEAR}` },
      { createdBy: `/bin/sh -c rm -rf /tmp/big${EVIL} /tmp/${NEWLINE_NAME}` },
    ],
    layers: [
      await tarBytes([
        file(`tmp/big${EVIL}`, big),
        file(`tmp/${NEWLINE_NAME}`, `${big}y`),
        file(`root/.ssh/id_rsa${EVIL}`, '-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n'),
        file(`usr/bin/tool${CLEAR}`, '#!/bin/sh\necho hi\n', 0o4755),
      ]),
      await tarBytes([whiteout(`tmp/big${EVIL}`), whiteout(`tmp/${NEWLINE_NAME}`)]),
    ],
  });
  // A creation date no parser reads, shown as the image gives it.
  const config = JSON.parse(img.configBytes.toString()) as { created: string };
  config.created = `2024-06-01T12:00:00Z${CLEAR}`;
  const configBytes = Buffer.from(JSON.stringify(config));
  archive = join(scratch, 'evil.tar');
  writeFileSync(archive, await dockerLegacyArchive({ ...img, configBytes, configDigest: sha256(configBytes) }));
});

/** Our own colours, the only escape sequences strata itself writes into a report. */
const OUR_SGR = /\x1b\[(?:1|2|22|31|32|33|36|39)m/g;

function expectNoControls(output: string, what: string): void {
  const raw = output.replace(OUR_SGR, '').replace(/\n/g, '');
  const found = [...raw.matchAll(/[\u0000-\u001f\u007f-\u009f]/g)].map((m) => escapeControls(m[0]));
  expect(found, `${what}: raw control characters`).toEqual([]);
  // No line of the output comes from a name: the newline inside it is shown, not obeyed.
  expect(
    output.split('\n').some((line) => line.startsWith('FAKE LINE')),
    `${what}: a name broke a line`,
  ).toBe(false);
}

describe('terminal escapes from an image are shown, never obeyed', () => {
  it('in the text report, with and without colour, and in markdown and the CI gate', async () => {
    const image = await openImage(archive);
    const analysis = analyzeImage(image);
    const now = new Date('2026-01-01T00:00:00Z');
    for (const color of [false, true]) {
      const text = renderTextReport(image, analysis, { color, now });
      expectNoControls(text, `text report (colour ${color})`);
      expect(text).toContain('id_rsa\\x1b]0;pwned\\x07\\x1b[2J\\x9b31m');
      expect(text).toContain('tmp/injected\\x0aFAKE LINE');
      expect(text).toContain('echo \\x1b]0;pwned\\x07');
      expect(text).toContain('app\\x1b]0;pwned\\x07');
    }
    const markdown = renderMarkdownReport(image, analysis, { now });
    expectNoControls(markdown, 'markdown report');
    expect(markdown).toContain('\\x1b]0;pwned\\x07');
    const config = loadCiConfig({ flags: {}, cwd: scratch });
    const result = evaluateCi(config, { image, analysis, now });
    for (const color of [false, true]) expectNoControls(renderCiText(image, result, { color }), 'ci text');
  });

  it('through the CLI: report, markdown, the piped summary, ci, and with NO_COLOR', async () => {
    const before = process.env.NO_COLOR;
    process.env.NO_COLOR = '1';
    try {
      for (const argv of [
        ['report', archive],
        ['report', '--format', 'markdown', archive],
        [archive],
        ['ci', archive],
      ]) {
        const r = await runCli(...argv);
        expect(r.stdout.length, argv.join(' ')).toBeGreaterThan(0);
        expectNoControls(r.stdout, argv.join(' '));
        expectNoControls(r.stderr, `${argv.join(' ')} (stderr)`);
      }
      const summary = (await runCli(archive)).stdout;
      expect(summary).toContain('app\\x1b]0;pwned\\x07');
      expect(summary).toContain('https://example.com/\\x1b]0;pwned\\x07');
    } finally {
      if (before === undefined) delete process.env.NO_COLOR;
      else process.env.NO_COLOR = before;
    }
  });

  it('JSON keeps the exact strings, C0 controls escaped as JSON escapes them', async () => {
    const r = await runCli('--json', archive);
    expect(r.stdout.replace(/\n/g, '')).not.toMatch(/[\u0000-\u001f]/);
    const report = JSON.parse(r.stdout) as { image: { user: string } };
    expect(report.image.user).toBe(`app${EVIL}`);
  });
});
