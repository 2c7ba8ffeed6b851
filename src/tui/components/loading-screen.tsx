import { Box, Text } from 'ink';
import type { Progress } from '../../image/types.js';
import { formatBytes, truncate } from '../../util/format.js';
import type { Theme } from '../theme.js';

/** The first frame: what is being read, and how far along, while layers stream by. */
export function LoadingScreen({
  target,
  progress,
  phase,
  width,
  height,
  theme,
}: {
  target: string;
  progress: Progress | null;
  phase: 'reading' | 'analysing';
  width: number;
  height: number;
  theme: Theme;
}) {
  const barWidth = Math.max(10, Math.min(60, width - 10));
  const fraction = progress?.totalBytes
    ? Math.min(1, progress.bytesRead / progress.totalBytes)
    : phase === 'analysing'
      ? 1
      : 0;
  const filled = Math.round(fraction * barWidth);
  const bytes = progress
    ? progress.totalBytes
      ? `${formatBytes(progress.bytesRead)} of ${formatBytes(progress.totalBytes)}`
      : formatBytes(progress.bytesRead)
    : '';
  const layers = progress?.layersTotal ? ` · layer ${progress.layersDone} of ${progress.layersTotal}` : '';
  return (
    <Box flexDirection="column" width={width} height={height} justifyContent="center" alignItems="center">
      <Text bold color={theme.accent}>
        strata
      </Text>
      <Text wrap="truncate">{truncate(target, width - 4)}</Text>
      <Text>
        {'█'.repeat(filled)}
        <Text color={theme.muted}>{'░'.repeat(barWidth - filled)}</Text>
      </Text>
      <Text color={theme.muted} wrap="truncate">
        {phase === 'analysing'
          ? 'stacking layers and measuring waste…'
          : truncate(`reading and verifying ${bytes}${layers}`, width - 4)}
      </Text>
    </Box>
  );
}
