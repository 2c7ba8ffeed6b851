import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildImage, dockerLegacyArchive } from '../../scripts/fixtures/layouts.js';
import { file, tarBytes } from '../../scripts/fixtures/tar.js';
import { runOnDist } from '../helpers/dist-child.js';

/**
 * The explorer shows an image's terminal escapes as visible `\xNN`: a file name, the image's name,
 * its user, a layer's command and a label, with the runtime prepared as the launcher prepares it
 * (the `visible-text` Ink patch, src/runtime/ink/dom.ts). Run on the build in a child process:
 * vitest's module runner bypasses the resolution hook that applies Ink patches.
 */
const scratch = mkdtempSync(join(tmpdir(), 'strata-tui-escape-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const CHILD = `
const [dist, archive, without] = process.argv.slice(1);
const { prepareRuntime } = await import(dist + '/src/runtime/prepare.js');
prepareRuntime({ interactive: true, without: without ? [without] : [] });
const React = (await import('react')).default;
const { Text } = await import('ink');
const { render } = await import('ink-testing-library');
const { openImage } = await import(dist + '/src/image/open.js');
const { analyzeImage } = await import(dist + '/src/analysis/analyze.js');
const { Explorer } = await import(dist + '/src/tui/explorer.js');
const { makeTheme } = await import(dist + '/src/tui/theme.js');
async function until(check, what) {
  for (const start = Date.now(); !check(); await new Promise((resolve) => setTimeout(resolve, 5)))
    if (Date.now() - start > 120000) throw new Error('no frame came: ' + what);
}
const image = await openImage(archive);
const analysis = analyzeImage(image);
const props = { image, analysis, columns: 160, rows: 30, theme: makeTheme({}), onQuit() {} };
const app = render(React.createElement(Explorer, { ...props, now: new Date('2026-11-27T00:00:00Z') }));
Object.defineProperty(app.stdout, 'rows', { value: 30 });
app.stdout.emit('resize');
await until(() => (app.lastFrame() ?? '').includes('pwned'), 'the first frame');
const explorer = app.lastFrame();
app.unmount();
// A label as any component would show it (the image pane is to show provenance labels).
const source = image.config.labels['org.opencontainers.image.source'];
const label = render(React.createElement(Text, null, 'source ' + source));
await until(() => (label.lastFrame() ?? '').includes('pwned'), 'the label');
const labelFrame = label.lastFrame();
label.unmount();
process.stdout.write(JSON.stringify({ explorer, label: labelFrame }));
`;

const TITLE = '\x1b]0;pwned\x07';
const CLEAR = '\x1b[2J';

async function archive(): Promise<string> {
  const img = buildImage({
    repoTag: `evil${CLEAR}:latest`,
    architecture: 'amd64',
    os: 'linux',
    created: '2024-06-01T12:00:00Z',
    runConfig: { User: `app${TITLE}`, Labels: { 'org.opencontainers.image.source': `https://x/${TITLE}${CLEAR}` } },
    history: [{ createdBy: `/bin/sh -c echo ${TITLE}` }],
    layers: [await tarBytes([file(`evil${TITLE}${CLEAR}\x9b31m`, 'x')])],
  });
  const path = join(scratch, 'evil.tar');
  writeFileSync(path, await dockerLegacyArchive(img));
  return path;
}

/** What is left of a frame once Ink's own colours are taken out: no escape, bell or C1 may remain. */
function rawControls(frame: string): string[] {
  return [...frame.replace(/\x1b\[[0-9;]*m/g, '').matchAll(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g)].map((m) =>
    m[0].charCodeAt(0).toString(16),
  );
}

describe('the explorer shows terminal escapes from an image as visible text', () => {
  it('in a file name, the image name, its user, a command and a label', async () => {
    const { explorer, label } = await runOnDist<{ explorer: string; label: string }>(CHILD, await archive());
    expect(rawControls(explorer)).toEqual([]);
    expect(rawControls(label)).toEqual([]);
    expect(explorer).toContain('evil\\x1b]0;pwned\\x07\\x1b[2J\\x9b31m');
    expect(explorer).toContain('echo \\x1b]0;pwned\\x07');
    expect(explorer).toContain('evil\\x1b[2J:latest');
    expect(label).toContain('https://x/\\x1b]0;pwned\\x07\\x1b[2J');
  });
});
