import { Box, Text } from 'ink';
import { truncate } from '../../util/format.js';
import { BINDINGS, displayKey } from '../input/bindings.js';
import type { Theme } from '../theme.js';

/** `?`: every binding from the table, with its keys. */
export function HelpOverlay({ width, height, theme }: { width: number; height: number; theme: Theme }) {
  const keyWidth = Math.max(...BINDINGS.map((b) => b.keys.map(displayKey).join(' ').length));
  const inner = width - 4;
  return (
    <Box
      flexDirection="column"
      width={width}
      height={height}
      borderStyle="double"
      borderColor={theme.accent}
      paddingX={1}
      overflowY="hidden"
    >
      <Text bold>
        strata keys <Text color={theme.muted}>(? or esc closes)</Text>
      </Text>
      {BINDINGS.slice(0, Math.max(0, height - 3)).map((b) => (
        <Text key={b.keys.join()} wrap="truncate">
          <Text color={theme.accent}>{b.keys.map(displayKey).join(' ').padEnd(keyWidth)}</Text>
          {'  '}
          {truncate(b.help + (b.panes ? ` (${b.panes.join(', ')})` : ''), Math.max(0, inner - keyWidth - 2))}
        </Text>
      ))}
    </Box>
  );
}
