import { Text } from 'ink';
import { memo } from 'react';
import { truncate } from '../../util/format.js';
import { BINDINGS, displayKey } from '../input/bindings.js';
import type { Pane } from '../store/state.js';
import type { Theme } from '../theme.js';

/** The keys that apply in the focused pane, from the one bindings table; cut at a key boundary. */
export function statusBarText(pane: Pane, width: number): string {
  const parts = BINDINGS.filter((b) => b.label && (!b.panes || b.panes.includes(pane))).map(
    (b) => `${displayKey(b.keys[0]!)} ${b.label}`,
  );
  let text = '';
  for (const part of parts) {
    const next = text ? `${text} · ${part}` : part;
    if ([...next].length > width) break;
    text = next;
  }
  return text;
}

export const StatusBar = memo(function StatusBar({
  pane,
  width,
  message,
  theme,
}: {
  pane: Pane;
  width: number;
  message?: string;
  theme: Theme;
}) {
  if (message)
    return (
      <Text color={theme.warn} wrap="truncate">
        {truncate(message, width)}
      </Text>
    );
  return (
    <Text color={theme.muted} wrap="truncate">
      {statusBarText(pane, width)}
    </Text>
  );
});
