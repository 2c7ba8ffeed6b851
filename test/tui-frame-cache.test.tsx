import { render } from 'ink-testing-library';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeImage, type ImageAnalysis } from '../src/analysis/analyze.js';
import { openImage } from '../src/image/open.js';
import type { ImageIndex } from '../src/image/types.js';
import { Explorer } from '../src/tui/explorer.js';
import { installInkFrameCache } from '../src/tui/ink-frame-cache.js';
import { makeTheme } from '../src/tui/theme.js';
import { eventually } from './helpers/eventually.js';
import { fixtures } from './helpers/paths.js';

// Ink's private Output class, reached the way the frame cache reaches it.
type Output = {
  write(x: number, y: number, text: string, options: { transformers: [] }): void;
  get(): { output: string };
};
const { default: OutputClass } = (await import(new URL('./output.js', import.meta.resolve('ink')).href)) as {
  default: new (options: { width: number; height: number }) => Output;
};

/** Frames drawn from lines with styles, wide characters, emoji and a line too long for the grid. */
function drawFrames(): string[] {
  const lines = [
    '\x1b[1m\x1b[36mLayers\x1b[39m\x1b[22m 9',
    '├── usr/ \x1b[31m! sshd\x1b[39m',
    '漢字 and 🙂 and e\u0301',
    '\x1b[7mselected row\x1b[27m',
    'x'.repeat(50),
  ];
  const frames: string[] = [];
  for (let frame = 0; frame < 3; frame++) {
    const output = new OutputClass({ width: 40, height: 6 });
    lines.forEach((line, y) => output.write(frame, y, line, { transformers: [] }));
    frames.push(output.get().output);
  }
  return frames;
}

let image: ImageIndex;
let analysis: ImageAnalysis;
beforeAll(async () => {
  image = await openImage(fixtures('demo/demo.tar'));
  analysis = analyzeImage(image);
});

/** The explorer's frame after each of a series of moves. */
async function explorerFrames(): Promise<string[]> {
  const app = render(
    <Explorer
      image={image}
      analysis={analysis}
      columns={100}
      rows={30}
      theme={makeTheme({ NO_COLOR: '1' })}
      onQuit={() => {}}
      now={new Date('2026-11-27T00:00:00Z')}
    />,
  );
  Object.defineProperty(app.stdout, 'rows', { value: 30 });
  app.stdout.emit('resize');
  const frame = () => app.lastFrame() ?? '';
  await eventually(() => expect(frame().split('\n')).toHaveLength(29));
  await new Promise((resolve) => setTimeout(resolve, 30));
  const frames = [frame()];
  for (const key of ['\t', 'j', 'j', 'j', ']', ']', 'v', '[', 'k', 'f', 's', 'h', '\x1b', 'w', '\x1b']) {
    app.stdin.write(key);
    await new Promise((resolve) => setTimeout(resolve, 30));
    frames.push(frame());
  }
  app.unmount();
  return frames;
}

describe('the frame cache for Ink', () => {
  it('installs on this Ink, and frames are the same string with and without it', async () => {
    const plainOutput = drawFrames();
    const plainExplorer = await explorerFrames();
    expect(new Set(plainExplorer).size).toBeGreaterThan(8); // the moves did change the screen

    expect(await installInkFrameCache()).toBe(true);
    expect(await installInkFrameCache()).toBe(true); // idempotent
    expect(drawFrames()).toEqual(plainOutput);
    expect(drawFrames()).toEqual(plainOutput); // now served from the cache
    expect(await explorerFrames()).toEqual(plainExplorer);
  });
});
