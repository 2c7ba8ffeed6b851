import { bindingFor, type Command } from '../input/bindings.js';
import type { KeyEvent } from '../input/parse-keys.js';
import type { Hit } from '../model/layout.js';
import { reduce, settle, type ReduceContext } from './reducer.js';
import type { ListName, TuiState } from './state.js';

/** Typed text as one event per character, so each is interpreted in the state the previous one left. */
export function oneKeyPerEvent(events: readonly KeyEvent[]): KeyEvent[] {
  return events.flatMap((e) =>
    e.kind === 'text' ? [...e.text].map((ch): KeyEvent => ({ kind: 'text', text: ch })) : [e],
  );
}

/** What is under a screen cell (see model/layout.ts hitTest). */
export type HitTest = (x: number, y: number) => Hit | null;

/** Mouse: a click selects what is under it; the wheel moves the pane under the pointer. */
function commandsForMouse(state: TuiState, event: Extract<KeyEvent, { kind: 'mouse' }>, hit: HitTest): Command[] {
  if (state.overlay) return event.action === 'press' ? [{ type: 'close-overlay' }] : [];
  const target = hit(event.x, event.y);
  if (!target) return [];
  if (event.action === 'wheel-up' || event.action === 'wheel-down') {
    const by = event.action === 'wheel-up' ? -1 : 1;
    if (target.pane === 'layers') return [{ type: 'step-layer', by }];
    return [
      { type: 'focus', pane: 'tree' },
      { type: 'move', by: by * 3 },
    ];
  }
  if (event.action !== 'press' || event.button !== 0 || target.row === null) return [];
  return target.pane === 'layers'
    ? [
        { type: 'focus', pane: 'layers' },
        { type: 'select-layer', layer: target.row },
      ]
    : [
        { type: 'focus', pane: 'tree' },
        { type: 'cursor-to-row', row: target.row },
      ];
}

/** The key that opens each list closes it again. */
const LIST_KEYS: Record<ListName, string> = { risks: 'r', waste: 'w', packages: 'P' };

const LIST_MOVES: Record<string, number> = { up: -1, k: -1, down: 1, j: 1, pageup: -10, pagedown: 10 };

/** What one key means in the current state: typed into the filter while it is open, otherwise its binding. */
export function commandsForKey(state: TuiState, event: KeyEvent, hit: HitTest = () => null): Command[] {
  if (event.kind === 'mouse') return commandsForMouse(state, event, hit);
  const overlay = state.overlay;
  if (overlay?.kind === 'find') {
    if (event.kind === 'text') return [{ type: 'find-type', text: event.text }];
    switch (event.name) {
      case 'backspace':
        return [{ type: 'find-backspace' }];
      case 'enter':
        return [{ type: 'overlay-choose' }];
      case 'escape':
        return [{ type: 'close-overlay' }];
      case 'ctrl+c':
        return [{ type: 'quit' }];
      case 'up':
      case 'down':
      case 'pageup':
      case 'pagedown':
        return [{ type: 'overlay-move', by: LIST_MOVES[event.name]! }];
      default:
        return [];
    }
  }
  if (overlay?.kind === 'list') {
    const key = event.kind === 'text' ? event.text : event.name;
    if (key in LIST_MOVES) return [{ type: 'overlay-move', by: LIST_MOVES[key]! }];
    if (key === 'enter') return [{ type: 'overlay-choose' }];
    if (key === 'ctrl+c') return [{ type: 'quit' }];
    if (key === 'escape' || key === 'q' || key === LIST_KEYS[overlay.list]) return [{ type: 'close-overlay' }];
    return [];
  }
  if (state.filter.editing) {
    if (event.kind === 'text') return [{ type: 'filter-type', text: event.text }];
    switch (event.name) {
      case 'backspace':
        return [{ type: 'filter-backspace' }];
      case 'enter':
        return [{ type: 'filter-close', keep: true }];
      case 'escape':
        return [{ type: 'filter-close', keep: false }];
      case 'ctrl+c':
        return [{ type: 'quit' }];
      case 'up':
        return [{ type: 'move', by: -1 }];
      case 'down':
        return [{ type: 'move', by: 1 }];
      default:
        return [];
    }
  }
  if (state.overlay) {
    return event.kind === 'key' && event.name === 'ctrl+c' ? [{ type: 'quit' }] : [{ type: 'close-overlay' }];
  }
  const key = event.kind === 'text' ? (event.text === ' ' ? 'space' : event.text) : event.name;
  const binding = bindingFor(key, state.pane);
  return binding ? [binding.command] : [];
}

/**
 * Applies a burst of input to the state, key by key, settling the cursor after each change.
 * `context` gives the rows and tree height for a state. Quitting is recorded, not performed.
 */
export function applyKeys(
  state: TuiState,
  events: readonly KeyEvent[],
  context: (s: TuiState) => ReduceContext,
  hit: HitTest = () => null,
): TuiState {
  let current = state;
  for (const event of oneKeyPerEvent(events)) {
    // A message (a risk's reason) stays until the next key.
    if (current.message !== null && event.kind !== 'mouse') current = { ...current, message: null };
    for (const command of commandsForKey(current, event, hit)) {
      if (command.type === 'quit') return { ...current, quitting: true };
      const next = reduce(current, command, context(current));
      if (next !== current) {
        const ctx = context(next);
        current = settle(next, ctx.tree, ctx.rows, ctx.treeHeight, ctx.overlayTargets);
      }
    }
  }
  return current;
}
