import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import type { Theme } from '../theme.js';
import { truncate } from '../../util/format.js';

interface PaneProps {
  title: string;
  /** Extra text after the title, muted. */
  subtitle?: string;
  focused: boolean;
  width: number;
  height: number;
  theme: Theme;
  children: ReactNode;
}

/** A bordered pane with a title line. Focus shows as a bold border and a ● (readable without colour). */
export function Pane({ title, subtitle, focused, width, height, theme, children }: PaneProps) {
  const inner = width - 2;
  const head = `${focused ? '● ' : ''}${title}`;
  const sub = subtitle ? truncate(` ${subtitle}`, Math.max(0, inner - head.length)) : '';
  return (
    <Box
      flexDirection="column"
      width={width}
      height={height}
      borderStyle={focused ? 'bold' : 'round'}
      borderColor={focused ? theme.accent : theme.muted}
      overflowY="hidden"
    >
      <Text wrap="truncate">
        <Text bold color={focused ? theme.accent : undefined}>
          {truncate(head, inner)}
        </Text>
        <Text color={theme.muted}>{sub}</Text>
      </Text>
      {children}
    </Box>
  );
}
