import { Text } from 'ink';
import { truncate } from '../../util/format.js';
import type { ListRow } from '../model/overlay-items.js';
import type { Theme } from '../theme.js';
import { listWindow, OverlayFrame } from './overlay-frame.js';

/** The risk list and the waste list: headings, entries, a cursor; Enter jumps to the entry's file. */
export function ListOverlay({
  title,
  empty,
  rows,
  cursor,
  width,
  height,
  theme,
  hint = '↑↓ choose · enter jumps to the file · esc closes',
}: {
  title: string;
  /** What Enter does, for lists where it is not a jump. */
  hint?: string;
  empty: string;
  rows: readonly ListRow[];
  cursor: number;
  width: number;
  height: number;
  theme: Theme;
}) {
  const inner = width - 4;
  const visible = Math.max(1, height - 3);
  const start = listWindow(cursor, rows.length, visible);
  const severityColor = (s?: string) => (s === 'high' ? theme.danger : s === 'medium' ? theme.warn : undefined);
  return (
    <OverlayFrame title={title} hint={hint} width={width} height={height} theme={theme}>
      {rows.length === 0 && <Text color={theme.muted}>{empty}</Text>}
      {rows.slice(start, start + visible).map((row, k) => {
        const i = start + k;
        if (row.kind === 'heading')
          return (
            <Text key={i} bold wrap="truncate">
              {truncate(row.text, inner)}
            </Text>
          );
        const selected = i === cursor;
        const text = truncate(`${selected ? '▶ ' : '  '}${row.text}`, inner);
        const room = inner - [...text].length - 3;
        return (
          <Text key={i} inverse={selected} wrap="truncate">
            <Text color={severityColor(row.severity)}>{text}</Text>
            {room > 8 && <Text color={theme.muted}>{`   ${truncate(row.detail, room)}`}</Text>}
          </Text>
        );
      })}
    </OverlayFrame>
  );
}
