import { describe, expect, it } from 'vitest';
import { parseKeys } from '../../src/tui/input/parse-keys.js';
import { applyKeys, commandsForKey } from '../../src/tui/store/keys.js';
import { makeDriver } from '../helpers/tui.js';

describe('explorer store', () => {
  it('starts on layer 0 in the layer pane, cursor on the first row', () => {
    const d = makeDriver();
    expect(d.state.pane).toBe('layers');
    expect(d.state.layer).toBe(0);
    expect(d.cursorPath()).toBe('/etc');
  });

  it('tab switches panes; moves act on the focused pane', () => {
    const d = makeDriver();
    d.dispatch({ type: 'move', by: 1 });
    expect(d.state.layer).toBe(1);
    d.dispatch({ type: 'switch-pane' }, { type: 'move', by: 1 });
    expect(d.state.pane).toBe('tree');
    expect(d.state.layer).toBe(1);
    expect(d.cursorPath()).toBe('/etc/motd');
  });

  it('clamps layer selection and cursor moves at the ends', () => {
    const d = makeDriver();
    d.dispatch({ type: 'move', by: -5 });
    expect(d.state.layer).toBe(0);
    d.dispatch({ type: 'move-to', where: 'last' });
    expect(d.state.layer).toBe(2);
    d.dispatch({ type: 'switch-pane' }, { type: 'move-to', where: 'last' });
    const last = d.rows().at(-1)!;
    expect(last.endsWith(d.cursorPath())).toBe(true);
    d.dispatch({ type: 'move', by: 100 });
    expect(last.endsWith(d.cursorPath())).toBe(true);
  });

  it('pages by the tree height and scrolls to keep the cursor on screen', () => {
    const d = makeDriver(undefined, { treeRows: 4 });
    d.dispatch({ type: 'switch-pane' }, { type: 'page', direction: 1 }, { type: 'page', direction: 1 });
    expect(d.state.scroll).toBeGreaterThan(0);
    const row = d.cache.rowsFor(d.state).rowOf[d.state.cursor]!;
    expect(row).toBeGreaterThanOrEqual(d.state.scroll);
    expect(row).toBeLessThan(d.state.scroll + 4);
  });

  it('step-layer changes layer from the tree pane, keeping the cursor on its path when still shown', () => {
    const d = makeDriver();
    d.dispatch({ type: 'toggle-mode' }, { type: 'switch-pane' }, { type: 'move', by: 2 }); // aggregated, on /etc/passwd
    expect(d.cursorPath()).toBe('/etc/passwd');
    d.dispatch({ type: 'step-layer', by: 1 });
    expect(d.state.layer).toBe(1);
    expect(d.cursorPath()).toBe('/etc/passwd');
  });

  it('falls back to the nearest shown ancestor when the cursor path disappears', () => {
    const d = makeDriver();
    d.dispatch({ type: 'switch-pane' }, { type: 'move', by: 2 }); // layer 0 changes: /etc/passwd
    expect(d.cursorPath()).toBe('/etc/passwd');
    d.dispatch({ type: 'step-layer', by: 1 }); // layer 1 touches /etc/motd only
    expect(d.cursorPath()).toBe('/etc');
  });

  it('left goes to the parent, right steps into an open directory or opens a folded one', () => {
    const d = makeDriver();
    d.dispatch({ type: 'switch-pane' }, { type: 'move', by: 2 });
    d.dispatch({ type: 'parent' });
    expect(d.cursorPath()).toBe('/etc');
    d.dispatch({ type: 'expand' });
    expect(d.cursorPath()).toBe('/etc/motd');
    d.dispatch({ type: 'parent' }, { type: 'toggle-collapse' });
    expect(d.rows()).not.toContain('A /etc/motd');
    d.dispatch({ type: 'expand' });
    expect(d.rows()).toContain('A /etc/motd');
    expect(d.cursorPath()).toBe('/etc');
  });

  it('space folds only directories; x folds everything and moves the cursor to a top-level row', () => {
    const d = makeDriver();
    d.dispatch({ type: 'switch-pane' }, { type: 'move', by: 2 }, { type: 'toggle-collapse' });
    expect(d.state.collapsed.size).toBe(0); // a file
    d.dispatch({ type: 'toggle-collapse-all' });
    expect(d.rows()).toEqual(['A /etc', 'A /usr', 'A /var']);
    expect(d.cursorPath()).toBe('/etc');
    d.dispatch({ type: 'toggle-collapse-all' });
    expect(d.rows().length).toBeGreaterThan(3);
  });

  it('switches between the changes view and the aggregated view', () => {
    const d = makeDriver();
    d.dispatch({ type: 'move', by: 1 });
    expect(d.rows()).toContain('M /etc/motd');
    expect(d.rows()).not.toContain('A /etc/passwd');
    d.dispatch({ type: 'toggle-mode' });
    expect(d.state.mode).toBe('aggregated');
    expect(d.rows()).toContain('A /etc/passwd');
    expect(d.rows()).toContain('M /etc/motd');
  });

  it('toggles each status, and "only changes" hides unmodified entries', () => {
    const d = makeDriver();
    d.dispatch({ type: 'toggle-status', status: 'added' });
    expect(d.rows()).toEqual([]);
    d.dispatch({ type: 'toggle-status', status: 'added' }, { type: 'only-changes' });
    expect(d.state.show).toEqual({ added: true, modified: true, removed: true, unmodified: false });
    d.dispatch({ type: 'only-changes' });
    expect(d.state.show.unmodified).toBe(true);
  });

  it('sorts by size and toggles attributes', () => {
    const d = makeDriver();
    d.dispatch({ type: 'toggle-sort' });
    expect(d.state.sort).toBe('size');
    expect(d.rows()[0]).toBe('A /var');
    const before = d.state.attributes;
    d.dispatch({ type: 'toggle-attributes' });
    expect(d.state.attributes).toBe(!before);
  });

  it('filters as the user types, reports a bad regex without losing the rows, and clears on escape', () => {
    const d = makeDriver();
    d.dispatch({ type: 'filter-open' }, { type: 'filter-edit', text: 'pass' });
    expect(d.rows()).toEqual(['A /etc', 'A /etc/passwd']);
    d.dispatch({ type: 'filter-edit', text: '/(/' });
    expect(d.state.filter.error).toMatch(/invalid regex/);
    expect(d.rows()).toEqual(['A /etc', 'A /etc/passwd']);
    d.dispatch({ type: 'filter-edit', text: '/^\\/usr\\/bin\\/s/' }, { type: 'filter-close', keep: true });
    expect(d.state.filter).toEqual({ editing: false, text: '/^\\/usr\\/bin\\/s/', error: null });
    expect(d.rows()).toEqual(['A /usr', 'A /usr/bin', 'A /usr/bin/sh']);
    d.dispatch({ type: 'filter-open' }, { type: 'filter-close', keep: false });
    expect(d.state.filter.text).toBe('');
    d.dispatch(
      { type: 'filter-open' },
      { type: 'filter-type', text: 'mo' },
      { type: 'filter-type', text: 'tdx' },
      { type: 'filter-backspace' },
    );
    expect(d.state.filter.text).toBe('motd');
    expect(d.rows()).toEqual(['A /etc', 'A /etc/motd']);
  });

  it('opens and closes the help overlay, and records resizes', () => {
    const d = makeDriver();
    d.dispatch({ type: 'toggle-help' });
    expect(d.state.overlay).toEqual({ kind: 'help' });
    d.dispatch({ type: 'close-overlay' }, { type: 'resize', columns: 80, rows: 24 });
    expect(d.state.overlay).toBeNull();
    expect([d.state.columns, d.state.rows]).toEqual([80, 24]);
  });
});

describe('keys applied in bursts', () => {
  it('interprets each key in the state the previous one left: "/pass" opens the filter and types into it', () => {
    const d = makeDriver();
    const context = d.context;
    const after = applyKeys(d.state, parseKeys('/pass\r'), context);
    expect(after.filter).toEqual({ editing: false, text: 'pass', error: null });
    expect(after.sort).toBe('name'); // "s" was typed, not taken as "sort"
  });

  it('records quit instead of performing it, and stops at it', () => {
    const d = makeDriver();
    const context = d.context;
    const after = applyKeys(d.state, parseKeys('jqj'), context);
    expect(after.quitting).toBe(true);
    expect(after.layer).toBe(1);
  });

  it('closes the help overlay on any key, and ctrl+c quits from anywhere', () => {
    const d = makeDriver();
    const context = d.context;
    const help = applyKeys(d.state, parseKeys('?'), context);
    expect(help.overlay).toEqual({ kind: 'help' });
    expect(applyKeys(help, parseKeys('x'), context).overlay).toBeNull();
    expect(commandsForKey(help, { kind: 'key', name: 'ctrl+c' })).toEqual([{ type: 'quit' }]);
    const filtering = applyKeys(d.state, parseKeys('/'), context);
    expect(commandsForKey(filtering, { kind: 'key', name: 'ctrl+c' })).toEqual([{ type: 'quit' }]);
  });
});

describe('jumps', () => {
  const risky = {
    '/usr/bin/bash': 'shell (low) /usr/bin/bash: a shell',
    '/etc/passwd': 'leftover (low) /etc/passwd: test finding',
    '/opt/app/run.sh': 'interpreter (medium) /opt/app/run.sh: test finding',
  };

  it('n and N walk risky files in tree order, wrapping, with the reason as the message', () => {
    const d = makeDriver(undefined, { risky });
    d.dispatch({ type: 'toggle-mode' }, { type: 'select-layer', layer: 2 }, { type: 'switch-pane' });
    d.dispatch({ type: 'next-risk', direction: 1 });
    expect(d.cursorPath()).toBe('/etc/passwd');
    expect(d.state.message).toBe(risky['/etc/passwd']);
    d.dispatch({ type: 'next-risk', direction: 1 });
    expect(d.cursorPath()).toBe('/opt/app/run.sh');
    d.dispatch({ type: 'next-risk', direction: 1 }, { type: 'next-risk', direction: 1 });
    expect(d.cursorPath()).toBe('/etc/passwd'); // wrapped
    d.dispatch({ type: 'next-risk', direction: -1 });
    expect(d.cursorPath()).toBe('/usr/bin/bash');
  });

  it('n opens collapsed directories on its way', () => {
    const d = makeDriver(undefined, { risky });
    d.dispatch(
      { type: 'toggle-mode' },
      { type: 'select-layer', layer: 2 },
      { type: 'switch-pane' },
      { type: 'toggle-collapse-all' },
    );
    expect(d.rows()).not.toContain('A /usr/bin/bash');
    d.dispatch({ type: 'move-to', where: 'last' }, { type: 'next-risk', direction: -1 });
    expect(d.cursorPath()).toBe('/usr/bin/bash');
    expect(d.rows()).toContain('A /usr/bin/bash');
  });

  it('n uses the final filesystem when the current view shows no risky file', () => {
    const d = makeDriver(undefined, { risky });
    d.dispatch({ type: 'select-layer', layer: 2 }); // layer 2's changes: none of them risky
    d.dispatch({ type: 'next-risk', direction: 1 });
    expect(d.state).toMatchObject({ mode: 'aggregated', layer: 2, pane: 'tree' });
    expect(d.cursorPath()).toBe('/opt/app/run.sh'); // the next one after the cursor (on /opt)
  });

  it('a jump selects the layer and view, clears a filter that hides the file, and closes overlays', () => {
    const d = makeDriver();
    d.dispatch(
      { type: 'filter-open' },
      { type: 'filter-edit', text: 'motd' },
      { type: 'filter-close', keep: true },
      { type: 'toggle-status', status: 'added' },
    );
    d.dispatch(
      { type: 'open-find' },
      { type: 'jump', target: { path: '/opt/app/config/b.ini', layer: 2, mode: 'changes' } },
    );
    expect(d.state).toMatchObject({
      layer: 2,
      mode: 'changes',
      overlay: null,
      pane: 'tree',
      message: 'filter cleared to show the file',
    });
    expect(d.state.filter.text).toBe('');
    expect(d.cursorPath()).toBe('/opt/app/config/b.ini');
  });

  it('lists: the cursor skips headings, Enter jumps to the entry', () => {
    const listTargets = [
      null,
      { path: '/etc/motd', layer: 1, mode: 'changes' as const },
      null,
      { path: '/usr/bin/sh', layer: 0, mode: 'changes' as const },
    ];
    const d = makeDriver(undefined, { listTargets });
    d.dispatch({ type: 'open-list', list: 'waste' });
    expect(d.state.overlay).toEqual({ kind: 'list', list: 'waste', cursor: 1 });
    d.dispatch({ type: 'overlay-move', by: 1 });
    expect(d.state.overlay).toEqual({ kind: 'list', list: 'waste', cursor: 3 });
    d.dispatch({ type: 'overlay-move', by: 5 }, { type: 'overlay-move', by: -1 });
    expect(d.state.overlay).toEqual({ kind: 'list', list: 'waste', cursor: 1 });
    d.dispatch({ type: 'overlay-choose' });
    expect(d.state).toMatchObject({ layer: 1, overlay: null });
    expect(d.cursorPath()).toBe('/etc/motd');
  });

  it('i opens the history of the selected path', () => {
    const d = makeDriver();
    d.dispatch({ type: 'switch-pane' }, { type: 'move', by: 1 }, { type: 'open-history' });
    expect(d.state.overlay).toEqual({ kind: 'history', path: '/etc/motd' });
  });

  it('find: typing and backspace edit the query, and reset the cursor', () => {
    const d = makeDriver();
    d.dispatch(
      { type: 'open-find' },
      { type: 'find-type', text: 'mo' },
      { type: 'find-type', text: 'tz' },
      { type: 'find-backspace' },
    );
    expect(d.state.overlay).toEqual({ kind: 'find', query: 'mot', cursor: 0 });
  });
});

describe('mouse', () => {
  it('a click selects a layer or a tree row and focuses its pane; the wheel moves the pane under the pointer', () => {
    const d = makeDriver();
    const hit = (x: number, y: number) =>
      x < 50 ? { pane: 'layers' as const, row: y - 3 } : { pane: 'tree' as const, row: y - 3 };
    d.state = applyKeys(d.state, parseKeys('\x1b[<0;70;6M'), d.context, hit);
    expect(d.state.pane).toBe('tree');
    expect(d.cursorPath()).toBe(d.tree.paths[d.cache.rowsFor(d.state).node[2]!]);
    d.state = applyKeys(d.state, parseKeys('\x1b[<0;10;6M'), d.context, hit);
    expect(d.state).toMatchObject({ pane: 'layers', layer: 2 });
    d.state = applyKeys(d.state, parseKeys('\x1b[<64;10;6M'), d.context, hit);
    expect(d.state.layer).toBe(1);
    expect(commandsForKey(d.state, { kind: 'mouse', action: 'release', button: 0, x: 1, y: 5 }, hit)).toEqual([]);
  });
});
