import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { truncate } from '../../util/format.js';
import type { Theme } from '../theme.js';

/** The frame every overlay shares: a double border, a title, and a hint of the keys that close it. */
export function OverlayFrame({
  title,
  hint,
  width,
  height,
  theme,
  children,
}: {
  title: string;
  hint: string;
  width: number;
  height: number;
  theme: Theme;
  children: ReactNode;
}) {
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
      <Text wrap="truncate">
        <Text bold>{truncate(title, width - 4)}</Text>
        <Text color={theme.muted}>{truncate(`  ${hint}`, Math.max(0, width - 4 - [...title].length))}</Text>
      </Text>
      {children}
    </Box>
  );
}

/** First row of a window of `size` rows that keeps `index` in view. */
export function listWindow(index: number, count: number, size: number): number {
  return Math.max(0, Math.min(index - Math.floor(size / 2), count - size));
}
