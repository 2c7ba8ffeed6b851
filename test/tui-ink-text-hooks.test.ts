import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './helpers/paths.js';

// The resolution hook works on Node's own loader, which vitest's module runner bypasses: the
// explorer is rendered by child processes running the build (`npm test` builds it first).
const dist = `${repoRoot}dist`;

const CHILD = `
const [dist, withCache] = process.argv.slice(1);
if (withCache === 'yes') (await import(dist + '/src/tui/ink-text-hooks.js')).registerInkTextHooks();
const React = (await import('react')).default;
const { render } = await import('ink-testing-library');
const { openImage } = await import(dist + '/src/image/open.js');
const { analyzeImage } = await import(dist + '/src/analysis/analyze.js');
const { Explorer } = await import(dist + '/src/tui/explorer.js');
const { makeTheme } = await import(dist + '/src/tui/theme.js');
const image = await openImage(dist + '/../fixtures/demo/demo.tar');
const analysis = analyzeImage(image);
const props = { image, analysis, columns: 100, rows: 30, theme: makeTheme({}), onQuit() {} };
const app = render(React.createElement(Explorer, { ...props, now: new Date('2026-11-27T00:00:00Z') }));
Object.defineProperty(app.stdout, 'rows', { value: 30 });
app.stdout.emit('resize');
const pause = () => new Promise((resolve) => setTimeout(resolve, 40));
await pause();
await pause();
const frames = [app.lastFrame()];
const keys = [
  '\\t', 'j', 'j', 'j', 'j', ']', ']', 'v', '[', 'k',
  'l', 'f', 's', 'e', 'e', 'd', '\\x1b', 'w', '\\x1b', 'r',
];
for (const key of keys) {
  app.stdin.write(key);
  await pause();
  frames.push(app.lastFrame());
}
app.unmount();
// The wrapper's answers, asked twice (the second from memory), against the plain module's.
const cache = globalThis[Symbol.for('strata.inkWidthCache')];
const { default: widestLine } = await import('widest-line');
const samples = [
  'plain ascii',
  '├── usr/ → bin',
  '漢字 and 🙂 and e\\u0301',
  'two\\nlines, the second longer',
  '\\x1b[1mbold\\x1b[22m',
  '',
];
const widths = cache ? [...samples, ...samples].map((text) => cache.widestLine(text) === widestLine(text)) : null;
const styledChars = globalThis[Symbol.for('strata.inkStyledChars')];
const remembered = cache ? cache.remembered() : null;
process.stdout.write(JSON.stringify({ frames, remembered, widths, styledChars: styledChars !== undefined }));
`;

interface ChildResult {
  frames: string[];
  remembered: number | null;
  widths: boolean[] | null;
  styledChars: boolean;
}

async function framesOf(withCache: boolean): Promise<ChildResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production' };
  delete env.CI; // Ink draws only the last frame under CI
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--input-type=module', '-e', CHILD, dist, withCache ? 'yes' : 'no'],
    { cwd: repoRoot, env, maxBuffer: 64 * 1024 * 1024 },
  );
  return JSON.parse(stdout) as ChildResult;
}

describe("strata's hooks into Ink's text work", () => {
  it('are used by Ink when registered first, and every frame is the same with and without them', async () => {
    expect(
      existsSync(`${dist}/src/tui/ink-text-hooks.js`),
      'the build is missing: npm test builds it (npm run build)',
    ).toBe(true);
    const [plain, cached] = await Promise.all([framesOf(false), framesOf(true)]);
    expect(plain.remembered).toBeNull();
    expect(plain.styledChars).toBe(false);
    expect(cached.styledChars).toBe(true);
    expect(cached.remembered).toBeGreaterThan(20);
    expect(cached.widths).toEqual(Array(12).fill(true));
    expect(new Set(plain.frames).size).toBeGreaterThan(12); // the moves changed the screen
    expect(cached.frames).toEqual(plain.frames);
  });
});
