import { bindingFor, type Command } from '../input/bindings.js';
import type { KeyEvent } from '../input/parse-keys.js';
import { reduce, settle, type ReduceContext } from './reducer.js';
import type { TuiState } from './state.js';

/** Typed text as one event per character, so each is interpreted in the state the previous one left. */
export function oneKeyPerEvent(events: readonly KeyEvent[]): KeyEvent[] {
  return events.flatMap((e) => (e.kind === 'text' ? [...e.text].map((ch): KeyEvent => ({ kind: 'text', text: ch })) : [e]));
}

/** What one key means in the current state: typed into the filter while it is open, otherwise its binding. */
export function commandsForKey(state: TuiState, event: KeyEvent): Command[] {
  if (event.kind === 'mouse') return [];
  if (state.filter.editing) {
    if (event.kind === 'text') return [{ type: 'filter-type', text: event.text }];
    switch (event.name) {
      case 'backspace': return [{ type: 'filter-backspace' }];
      case 'enter': return [{ type: 'filter-close', keep: true }];
      case 'escape': return [{ type: 'filter-close', keep: false }];
      case 'ctrl+c': return [{ type: 'quit' }];
      case 'up': return [{ type: 'move', by: -1 }];
      case 'down': return [{ type: 'move', by: 1 }];
      default: return [];
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
export function applyKeys(state: TuiState, events: readonly KeyEvent[], context: (s: TuiState) => ReduceContext): TuiState {
  let current = state;
  for (const event of oneKeyPerEvent(events)) {
    for (const command of commandsForKey(current, event)) {
      if (command.type === 'quit') return { ...current, quitting: true };
      const next = reduce(current, command, context(current));
      if (next !== current) {
        const ctx = context(next);
        current = settle(next, ctx.tree, ctx.rows, ctx.treeHeight);
      }
    }
  }
  return current;
}
