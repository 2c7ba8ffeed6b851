import { describe, expect, it } from 'vitest';
import { runOnDist } from '../helpers/dist-child.js';

/**
 * strata's Ink patches (src/runtime/ink-patches.ts) only answer sooner: the explorer, driven through
 * the same keys by two child processes, one with every patch and one with none, draws the same
 * frames. Each key's frame is waited for (the screen changes), never a fixed time.
 */
const KEYS = ['\t', 'j', 'j', 'j', ']', ']', 'v', '[', 'k', '?', '\x1b', 'w', 'j', '\x1b', 'n'];

const CHILD = `
const [dist, patched, keysJson] = process.argv.slice(1);
const names = ['frame-cache', 'widths', 'line-text'];
const { prepareRuntime } = await import(dist + '/src/runtime/prepare.js');
prepareRuntime({ interactive: true, without: patched === 'yes' ? [] : names });
const React = (await import('react')).default;
const { render } = await import('ink-testing-library');
const { openImage } = await import(dist + '/src/image/open.js');
const { analyzeImage } = await import(dist + '/src/analysis/analyze.js');
const { Explorer } = await import(dist + '/src/tui/explorer.js');
const { makeTheme } = await import(dist + '/src/tui/theme.js');

/** Resolves once check() holds; a key that never draws is a failure, reported by what it waited for. */
async function until(check, what) {
  for (const start = Date.now(); !check(); await new Promise((resolve) => setTimeout(resolve, 5)))
    if (Date.now() - start > 120000) throw new Error('no frame came: ' + what);
}

const image = await openImage(dist + '/../fixtures/demo/demo.tar');
const analysis = analyzeImage(image);
const props = { image, analysis, columns: 100, rows: 30, theme: makeTheme({}), onQuit() {} };
const app = render(React.createElement(Explorer, { ...props, now: new Date('2026-11-27T00:00:00Z') }));
Object.defineProperty(app.stdout, 'rows', { value: 30 });
app.stdout.emit('resize');
await until(() => (app.lastFrame() ?? '').split('\\n').length === 29, 'the first frame');
const frames = [app.lastFrame()];
for (const key of JSON.parse(keysJson)) {
  const before = app.lastFrame();
  app.stdin.write(key);
  await until(() => app.lastFrame() !== before, 'after key ' + JSON.stringify(key));
  frames.push(app.lastFrame());
}
app.unmount();
// Which patches Ink went through (each module says whether Ink has called it).
const used = {};
for (const [name, module] of [['frame-cache', 'output'], ['widths', 'widest-line'], ['line-text', 'ansi-tokenize']])
  used[name] = (await import(dist + '/src/runtime/ink/' + module + '.js')).used();

// Ink's Output directly, patched and not: styles, wide characters, emoji, a line too long for the grid.
const { default: PlainOutput } = await import('strata-ink-original:./output.js');
const { default: PatchedOutput } = await import(dist + '/src/runtime/ink/output.js');
const lines = [
  '\\x1b[1m\\x1b[36mLayers\\x1b[39m\\x1b[22m 9',
  '├── usr/ \\x1b[31m! sshd\\x1b[39m',
  '漢字 and 🙂 and e\\u0301',
  '\\x1b[7mselected row\\x1b[27m',
  'x'.repeat(50),
];
const draw = (Output) => [0, 1, 2].map((x) => {
  const output = new Output({ width: 40, height: 6 });
  lines.forEach((line, y) => output.write(x, y, line, { transformers: [] }));
  return output.get().output;
});
const outputs = [draw(PlainOutput), draw(PatchedOutput), draw(PatchedOutput)];

// The remembered widths, asked twice (the second from memory), against the original's.
const { default: widestLine } = await import('strata-ink-original:widest-line');
const { default: remembered } = await import(dist + '/src/runtime/ink/widest-line.js');
const samples = [
  'plain ascii',
  '├── usr/ → bin',
  '漢字 and 🙂 and e\\u0301',
  'two\\nlines, the second longer',
  '\\x1b[1mbold\\x1b[22m',
  '',
];
const widths = [...samples, ...samples].map((text) => remembered(text) === widestLine(text));
process.stdout.write(JSON.stringify({ frames, used, outputs, widths }));
`;

interface ChildResult {
  frames: string[];
  used: Record<string, boolean>;
  outputs: string[][];
  widths: boolean[];
}

describe("strata's patches to Ink", () => {
  it('draw every frame as Ink draws it without them', async () => {
    const [plain, patched] = await Promise.all([
      runOnDist<ChildResult>(CHILD, 'no', JSON.stringify(KEYS)),
      runOnDist<ChildResult>(CHILD, 'yes', JSON.stringify(KEYS)),
    ]);
    const all = { 'frame-cache': true, widths: true, 'line-text': true };
    expect(patched.used).toEqual(all);
    expect(plain.used).toEqual({ 'frame-cache': false, widths: false, 'line-text': false });
    expect(plain.frames).toHaveLength(KEYS.length + 1);
    expect(patched.frames).toEqual(plain.frames);
    const [plainOutput, patchedOutput, fromMemory] = patched.outputs;
    expect(plainOutput![0]).toContain('漢字');
    expect(patchedOutput).toEqual(plainOutput);
    expect(fromMemory).toEqual(plainOutput);
    expect(patched.widths).toEqual(Array(12).fill(true));
  });
});
