import { render } from 'ink-testing-library';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { analyzeImage, type ImageAnalysis } from '../../src/analysis/analyze.js';
import { openImage } from '../../src/image/open.js';
import type { ImageIndex } from '../../src/image/types.js';
import { Explorer, type Timer } from '../../src/tui/explorer.js';
import { makeTheme } from '../../src/tui/theme.js';
import { eventually } from '../helpers/eventually.js';
import { fixtures } from '../helpers/paths.js';

let image: ImageIndex;
let analysis: ImageAnalysis;
beforeAll(async () => {
  image = await openImage(fixtures('demo/demo.tar'));
  analysis = analyzeImage(image);
});

/** Lets Ink's input parser flush a lone Escape before the next key (it waits one turn of the event loop). */
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

/** A clock the test advances by hand: `fire` runs every task still waiting, whatever its delay. */
class ManualClock {
  private readonly waiting = new Set<() => void>();
  readonly timer: Timer = (_ms, task) => {
    this.waiting.add(task);
    return () => this.waiting.delete(task);
  };
  get pending(): number {
    return this.waiting.size;
  }
  fire(): void {
    const tasks = [...this.waiting];
    this.waiting.clear();
    for (const task of tasks) task();
  }
}

const plain = makeTheme({ NO_COLOR: '1' });
let cleanup: (() => void) | null = null;
afterEach(() => cleanup?.());

async function mount(columns: number, rows: number, onQuit = () => {}, timer?: Timer) {
  const app = render(
    <Explorer
      image={image}
      analysis={analysis}
      columns={columns}
      rows={rows}
      theme={plain}
      onQuit={onQuit}
      now={new Date('2026-11-27T00:00:00Z')}
      timer={timer}
    />,
  );
  cleanup = app.unmount;
  // ink-testing-library's stdout is 100 columns and has no rows: give it the size under test.
  Object.defineProperty(app.stdout, 'columns', { value: columns });
  Object.defineProperty(app.stdout, 'rows', { value: rows });
  app.stdout.emit('resize');
  const frame = () => app.lastFrame() ?? '';
  const press = async (...keys: string[]) => {
    for (const key of keys) {
      app.stdin.write(key);
      await nextTurn();
    }
  };
  // The first frame, and Ink reading the keyboard (keys written before that are lost).
  await eventually(() => expect(frame().split('\n')).toHaveLength(rows - 1));
  await eventually(() => expect(app.stdin.listenerCount('readable')).toBeGreaterThan(0));
  return { frame, press };
}

describe.each([
  [80, 24],
  [120, 40],
])('the explorer at %ix%i', (columns, rows) => {
  it('fits the terminal: rows − 1 lines, none wider than the screen', async () => {
    const { frame } = await mount(columns, rows);
    const lines = frame().split('\n');
    expect(lines).toHaveLength(rows - 1);
    for (const line of lines) expect([...line].length).toBeLessThanOrEqual(columns);
  });

  it('shows the layers, the layer details, the image facts and the tree', async () => {
    const { frame } = await mount(columns, rows);
    const text = frame();
    expect(text).toMatch(/Layers 9/);
    expect(text).toMatch(/RUN apt-get update/);
    expect(text).toMatch(/Layer 0/);
    expect(text).toMatch(/runs as root/);
    expect(text).toMatch(/efficiency \d+ %/);
    expect(text).toMatch(/A .*├── bin → usr\/bin/);
    expect(text).toMatch(/\? help · q quit/);
  });
});

describe('explorer keys', () => {
  it("moves through layers and shows the selected layer's changes", async () => {
    const { frame, press } = await mount(120, 40);
    await press('j');
    await eventually(() => expect(frame()).toMatch(/Layer 1/));
    await eventually(() => expect(frame()).toMatch(/changes of layer 1/));
    // Long names are cut in the middle, keeping both ends.
    await eventually(() => expect(frame()).toMatch(/A .*├── debian\.m…Packages/));
    await press('j', 'j', 'j', 'j'); // layer 5: the cleanup
    await eventually(() => expect(frame()).toMatch(/R .*seed\.sql/));
  });

  it('tab focuses the tree; arrows move the cursor; v switches to the aggregated view', async () => {
    const { frame, press } = await mount(120, 40);
    await press('\t');
    await eventually(() => expect(frame()).toMatch(/● Files/));
    await press('v');
    await eventually(() => expect(frame()).toMatch(/layers 0\.\.0 stacked/));
    await press(']', ']');
    await eventually(() => expect(frame()).toMatch(/layers 0\.\.2 stacked/));
    await eventually(() => expect(frame()).toMatch(/python3\.11/));
  });

  it('filters paths with / and shows an invalid regex as an error', async () => {
    const { frame, press } = await mount(120, 40);
    await press('/', 'passwd');
    await eventually(() => expect(frame()).toMatch(/\/passwd▏/));
    await eventually(() => expect(frame()).toMatch(/passwd/));
    await eventually(() => expect(frame()).not.toMatch(/os-release/));
    await press('\x7f'.repeat(6), '/(/');
    await eventually(() => expect(frame()).toMatch(/invalid regex/));
    await press('\x1b');
    await eventually(() => expect(frame()).toMatch(/os-release/));
  });

  it('? shows the help overlay from the bindings table', async () => {
    const { frame, press } = await mount(120, 40);
    await press('?');
    await eventually(() => expect(frame()).toMatch(/strata keys/));
    await eventually(() =>
      expect(frame()).toMatch(/switch between this layer's changes and everything up to this layer/),
    );
    await press('?');
    await eventually(() => expect(frame()).not.toMatch(/strata keys/));
  });

  it('q asks to quit', async () => {
    let quit = 0;
    const { press } = await mount(80, 24, () => quit++);
    await press('q');
    await eventually(() => expect(quit).toBe(1));
  });
});

describe('explorer moves for demos', () => {
  it('f finds a path and Enter jumps to the layer where it last changed', async () => {
    const { frame, press } = await mount(120, 40);
    await press('f', 'seed');
    await eventually(() => expect(frame()).toMatch(/▶ \/tmp\/seed\.sql +L4 A · L5 R/));
    await press('\r');
    await eventually(() => {
      expect(frame()).toMatch(/changes of layer 5/);
      expect(frame()).toMatch(/R .*seed\.sql/);
    });
  });

  it('find shows substring matches at once, and fuzzy ones (abbreviations) only once typing pauses', async () => {
    const clock = new ManualClock();
    const { frame, press } = await mount(120, 40, () => {}, clock.timer);
    await press('f', 'sdsql');
    // "sdsql" is in no path: nothing yet, and the box says more is coming once typing pauses.
    await eventually(() => expect(frame()).toMatch(/sdsql▏ +0 matches · fuzzy matches when you pause/));
    expect(frame()).not.toMatch(/seed\.sql/);
    await eventually(() => expect(clock.pending).toBe(1));
    clock.fire(); // the pause
    await eventually(() => expect(frame()).toMatch(/▶ \/tmp\/seed\.sql/));
    expect(frame()).not.toMatch(/fuzzy matches when you pause/);
  });

  it('n shows the next risky file and its reason; risky files are marked with !', async () => {
    const { frame, press } = await mount(120, 40);
    await press('n');
    await eventually(() => expect(frame()).toMatch(/\((high|medium|low)\) \/\S+: /));
    expect(frame()).toMatch(/A!/);
  });

  it('r lists risks by category, w lists the waste, i shows a history', async () => {
    const { frame, press } = await mount(120, 40);
    await press('r');
    await eventually(() => {
      expect(frame()).toMatch(/risky files \(\d+\)/);
      expect(frame()).toMatch(/secret \(\d+\)/);
      expect(frame()).toMatch(/\/root\/\.ssh\/id_rsa/);
    });
    await press('\x1b', 'w');
    await eventually(() => expect(frame()).toMatch(/waste: .* shipped but hidden/));
    // Explanations first, largest first: the separate apt-get update leads.
    expect(frame()).toMatch(/▶ +316 kB +`apt-get update` in layer 1/);
    expect(frame()).toMatch(/\/tmp\/seed\.sql +shipped by layer 4, removed by layer 5/);
    await press('\r');
    await eventually(() => expect(frame()).toMatch(/changes of layer 1/));
    await press('f', 'seed', '\r', 'i');
    await eventually(() => expect(frame()).toMatch(/history of \/tmp\/seed\.sql/));
    expect(frame()).toMatch(/4 +added/);
    expect(frame()).toMatch(/5 +removed/);
  });
});
