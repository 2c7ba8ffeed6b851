import { stackLayers } from '../../src/tree/index.js';
import { buildTreeIndex } from '../../src/tui/model/tree-index.js';
import { ViewCache } from '../../src/tui/model/view-cache.js';
import { reduce, settle, type Action, type ReduceContext } from '../../src/tui/store/reducer.js';
import type { RiskyNodes } from '../../src/tui/store/jumps.js';
import type { JumpTarget } from '../../src/tui/model/jump-target.js';
import { initialState, type TuiState } from '../../src/tui/store/state.js';
import { dir, file, layers, opaque, symlink, whiteout } from './layers.js';

/**
 * A small image for explorer tests:
 *  0: /etc/{passwd,motd}, /usr/bin/{bash,sh→bash}, /var/lib/apt/lists/Packages
 *  1: /etc/motd rewritten, /opt/app/{run.sh,config/a.ini,config/b.ini}
 *  2: /var/lib/apt/lists removed, /opt/app/config opaque with a new b.ini
 */
export function sampleStack() {
  const image = layers(
    [
      dir('/etc'),
      file('/etc/passwd', 'root:x:0:0'),
      file('/etc/motd', 'hello'),
      dir('/usr'),
      dir('/usr/bin'),
      file('/usr/bin/bash', 'ELF bash binary'),
      symlink('/usr/bin/sh', 'bash'),
      dir('/var'),
      dir('/var/lib'),
      dir('/var/lib/apt'),
      dir('/var/lib/apt/lists'),
      file('/var/lib/apt/lists/Packages', 'x'.repeat(1000)),
    ],
    [
      file('/etc/motd', 'welcome to strata'),
      dir('/opt'),
      dir('/opt/app'),
      file('/opt/app/run.sh', '#!/bin/sh'),
      dir('/opt/app/config'),
      file('/opt/app/config/a.ini', 'a=1'),
      file('/opt/app/config/b.ini', 'b=1'),
    ],
    [whiteout('/var/lib/apt/lists'), opaque('/opt/app/config'), file('/opt/app/config/b.ini', 'b=2')],
  );
  return stackLayers(image);
}

export interface DriverOptions {
  treeRows?: number;
  /** Risky paths and the status-bar line for each. */
  risky?: Record<string, string>;
  /** Targets of the open list overlay's rows. */
  listTargets?: Array<JumpTarget | null>;
}

/** Drives the store the way the Explorer does: reduce, then settle against the new rows. */
export function makeDriver(stack = sampleStack(), options: DriverOptions = {}) {
  const treeRows = options.treeRows ?? 10;
  const tree = buildTreeIndex(stack);
  const cache = new ViewCache(tree, stack);
  const describe = new Map(Object.entries(options.risky ?? {}).map(([path, line]) => [tree.idOf.get(path)!, line]));
  const risky: RiskyNodes = { nodes: [...describe.keys()].sort((a, b) => tree.rank[a]! - tree.rank[b]!), describe };
  const context = (s: TuiState): ReduceContext => ({
    tree,
    rows: cache.rowsFor(s),
    treeHeight: treeRows,
    view: cache.viewFor(s),
    risky,
    overlayTargets: s.overlay?.kind === 'list' ? (options.listTargets ?? []) : [],
  });
  const first = initialState(stack.layers.length, 120, 40);
  let state = settle(first, tree, cache.rowsFor(first), treeRows);
  const driver = {
    tree,
    cache,
    context,
    get state(): TuiState {
      return state;
    },
    set state(next: TuiState) {
      state = next;
    },
    dispatch(...actions: Action[]) {
      for (const action of actions) {
        const next = reduce(state, action, context(state));
        if (next !== state) {
          const ctx = context(next);
          state = settle(next, tree, ctx.rows, treeRows, ctx.overlayTargets);
        }
      }
      return driver;
    },
    /** Paths of the rows shown, with their status marker. */
    rows(): string[] {
      const view = cache.viewFor(state);
      const rows = cache.rowsFor(state);
      return Array.from(rows.node, (id) => `${'AMR·'[view.status[id]! - 1] ?? ' '} ${tree.paths[id]}`);
    },
    cursorPath(): string {
      return tree.paths[state.cursor]!;
    },
  };
  return driver;
}
