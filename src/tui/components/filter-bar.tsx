import { escapeControls } from '../../util/escape.js';
import { Text } from 'ink';
import { truncate } from '../../util/format.js';
import type { Theme } from '../theme.js';

/** The `/` filter line: what is typed, and the error of an invalid regex instead of a crash. */
export function FilterBar({
  text,
  editing,
  error,
  matches,
  width,
  theme,
}: {
  text: string;
  editing: boolean;
  error: string | null;
  matches: number;
  width: number;
  theme: Theme;
}) {
  const status = error ? ` ${error}` : ` ${matches} shown${editing ? ' · enter keeps · esc clears' : ' · / edits'}`;
  // A `pkg:` filter carries a package name from the image.
  const input = `/${escapeControls(text)}${editing ? '▏' : ''}`;
  return (
    <Text wrap="truncate">
      <Text bold color={theme.accent}>
        {truncate(input, Math.max(8, width - 20))}
      </Text>
      <Text color={error ? theme.danger : theme.muted}>{truncate(status, Math.max(0, width - [...input].length))}</Text>
    </Text>
  );
}
