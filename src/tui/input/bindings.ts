import type { Action } from '../store/reducer.js';
import type { Pane } from '../store/state.js';

/** What a key does: a store action, or one of the app-level commands. */
export type Command = Action | { type: 'quit' };

export interface Binding {
  /** Key names as parseKeys names them: 'up', 'ctrl+c', 'space', or a character such as 'q' or 'A'. */
  keys: string[];
  command: Command;
  /** Short name for the status bar; bindings without one appear only in the help overlay. */
  label?: string;
  /** Sentence for the help overlay. */
  help: string;
  /** Panes where the binding applies; all panes when absent. */
  panes?: Pane[];
}

/** The one table of key bindings: the status bar, the help overlay and the key handler all read it. */
export const BINDINGS: readonly Binding[] = [
  // Help and quit first: the status bar is cut from the right on narrow terminals.
  { keys: ['?'], command: { type: 'toggle-help' }, label: 'help', help: 'show or hide this help' },
  { keys: ['q', 'ctrl+c'], command: { type: 'quit' }, label: 'quit', help: 'quit (the terminal is restored)' },
  {
    keys: ['tab', 'shift+tab'],
    command: { type: 'switch-pane' },
    label: 'pane',
    help: 'switch between the layer list and the file tree',
  },
  {
    keys: ['f', 'ctrl+f'],
    command: { type: 'open-find' },
    label: 'find',
    help: 'fuzzy find any path in any layer; enter jumps to where it last changed',
  },
  {
    keys: ['n'],
    command: { type: 'next-risk', direction: 1 },
    label: 'next risk',
    help: 'jump to the next risky file in tree order (its reason shows below)',
  },
  { keys: ['N'], command: { type: 'next-risk', direction: -1 }, help: 'jump to the previous risky file' },
  {
    keys: ['r'],
    command: { type: 'open-list', list: 'risks' },
    label: 'risks',
    help: 'the risk list, by category; enter jumps to the file',
  },
  {
    keys: ['w'],
    command: { type: 'open-list', list: 'waste' },
    label: 'waste',
    help: 'the waste list, largest first; enter jumps to the layer that shipped the file',
  },
  {
    keys: ['P'],
    command: { type: 'open-list', list: 'packages' },
    help: "the image's packages, largest first, with their layer; enter shows only that package's files",
  },
  {
    keys: ['i'],
    command: { type: 'open-history' },
    label: 'history',
    help: 'every layer that added, modified or removed the selected file',
    panes: ['tree'],
  },
  { keys: ['up', 'k'], command: { type: 'move', by: -1 }, help: 'move up' },
  { keys: ['down', 'j'], command: { type: 'move', by: 1 }, help: 'move down' },
  { keys: ['pageup'], command: { type: 'page', direction: -1 }, help: 'page up' },
  { keys: ['pagedown'], command: { type: 'page', direction: 1 }, help: 'page down' },
  { keys: ['home', 'g'], command: { type: 'move-to', where: 'first' }, help: 'jump to the first row' },
  { keys: ['end', 'G'], command: { type: 'move-to', where: 'last' }, help: 'jump to the last row' },
  { keys: ['[', '-'], command: { type: 'step-layer', by: -1 }, label: 'layer', help: 'previous layer (from any pane)' },
  { keys: [']', '+'], command: { type: 'step-layer', by: 1 }, help: 'next layer (from any pane)' },
  {
    keys: ['left', 'h'],
    command: { type: 'parent' },
    label: 'parent',
    help: 'go to the parent directory',
    panes: ['tree'],
  },
  {
    keys: ['right', 'l'],
    command: { type: 'expand' },
    label: 'open',
    help: 'expand the directory, or step into it',
    panes: ['tree'],
  },
  {
    keys: ['space'],
    command: { type: 'toggle-collapse' },
    label: 'fold',
    help: 'collapse or expand the directory',
    panes: ['tree'],
  },
  {
    keys: ['x'],
    command: { type: 'toggle-collapse-all' },
    label: 'fold all',
    help: 'collapse or expand every directory',
    panes: ['tree'],
  },
  {
    keys: ['v'],
    command: { type: 'toggle-mode' },
    label: 'view',
    help: "switch between this layer's changes and everything up to this layer",
  },
  {
    keys: ['c'],
    command: { type: 'only-changes' },
    label: 'only changes',
    help: 'show only changes (hide unmodified entries), or everything',
  },
  { keys: ['A'], command: { type: 'toggle-status', status: 'added' }, help: 'hide or show added entries' },
  { keys: ['M'], command: { type: 'toggle-status', status: 'modified' }, help: 'hide or show modified entries' },
  { keys: ['R'], command: { type: 'toggle-status', status: 'removed' }, help: 'hide or show removed entries' },
  { keys: ['U'], command: { type: 'toggle-status', status: 'unmodified' }, help: 'hide or show unmodified entries' },
  { keys: ['s'], command: { type: 'toggle-sort' }, label: 'sort', help: 'sort the tree by name or by size' },
  {
    keys: ['p'],
    command: { type: 'toggle-attributes' },
    label: 'attrs',
    help: 'show or hide permissions, owner and size',
  },
  { keys: ['/'], command: { type: 'filter-open' }, label: 'filter', help: 'filter paths: a substring, or /regex/' },
];

/** The binding for a key in a pane, if any. */
export function bindingFor(key: string, pane: Pane): Binding | undefined {
  return BINDINGS.find((b) => b.keys.includes(key) && (!b.panes || b.panes.includes(pane)));
}

/** How a key name is shown to people: "↑", "ctrl+c", "space". */
export function displayKey(key: string): string {
  return (
    (
      {
        up: '↑',
        down: '↓',
        left: '←',
        right: '→',
        pageup: 'pgup',
        pagedown: 'pgdn',
        'shift+tab': 'shift+tab',
      } as Record<string, string>
    )[key] ?? key
  );
}
