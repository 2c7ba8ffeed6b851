import { describe, expect, it } from 'vitest';
import { BINDINGS, bindingFor } from '../../src/tui/input/bindings.js';
import { parseKeys, textToKeys } from '../../src/tui/input/parse-keys.js';
import { statusBarText } from '../../src/tui/components/status-bar.js';

describe('parseKeys', () => {
  it('names arrows, paging, home/end in both encodings', () => {
    expect(
      parseKeys('\x1b[A\x1b[B\x1bOC\x1b[D\x1b[5~\x1b[6~\x1b[H\x1b[4~').map((e) => e.kind === 'key' && e.name),
    ).toEqual(['up', 'down', 'right', 'left', 'pageup', 'pagedown', 'home', 'end']);
  });
  it('names control keys, tab, enter, backspace and a lone escape', () => {
    expect(parseKeys('\t\r\x7f\x03\x06\x1b').map((e) => e.kind === 'key' && e.name)).toEqual([
      'tab',
      'enter',
      'backspace',
      'ctrl+c',
      'ctrl+f',
      'escape',
    ]);
  });
  it('keeps typed text together', () => {
    expect(parseKeys('seed-data')).toEqual([{ kind: 'text', text: 'seed-data' }]);
    expect(textToKeys('j k')).toEqual(['j', 'space', 'k']);
  });
  it('decodes SGR mouse reports so they never become text', () => {
    expect(parseKeys('\x1b[<0;10;5M\x1b[<0;10;5m\x1b[<64;3;4M\x1b[<65;3;4M')).toEqual([
      { kind: 'mouse', action: 'press', button: 0, x: 9, y: 4 },
      { kind: 'mouse', action: 'release', button: 0, x: 9, y: 4 },
      { kind: 'mouse', action: 'wheel-up', button: 0, x: 2, y: 3 },
      { kind: 'mouse', action: 'wheel-down', button: 1, x: 2, y: 3 },
    ]);
  });
});

describe('key bindings', () => {
  it('bind every key at most once per pane', () => {
    for (const pane of ['layers', 'tree'] as const) {
      const seen = new Set<string>();
      for (const b of BINDINGS.filter((b) => !b.panes || b.panes.includes(pane))) {
        for (const key of b.keys) {
          expect(seen.has(key), `${key} bound twice in ${pane}`).toBe(false);
          seen.add(key);
        }
      }
    }
  });
  it('apply per pane', () => {
    expect(bindingFor('space', 'tree')?.command.type).toBe('toggle-collapse');
    expect(bindingFor('space', 'layers')).toBeUndefined();
    expect(bindingFor('q', 'layers')?.command.type).toBe('quit');
  });
  it('fit the status bar to the width, cutting between keys', () => {
    const text = statusBarText('tree', 40);
    expect([...text].length).toBeLessThanOrEqual(40);
    expect(text.startsWith('? help · q quit')).toBe(true);
    expect(text.endsWith('·')).toBe(false);
  });
});
