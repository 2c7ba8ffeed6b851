import { Text } from 'ink';
import { memo } from 'react';
import type { ImageLayer } from '../../image/types.js';
import type { LayerPackageChanges } from '../../packages/types.js';
import type { StatusCounts } from '../../tree/index.js';
import { formatBytes, formatTimestamp, truncate } from '../../util/format.js';
import type { Theme } from '../theme.js';
import { Pane } from './pane.js';

interface LayerDetailsProps {
  layer: ImageLayer;
  counts: StatusCounts;
  /** What the layer did to the packages, when the image has a package database. */
  packages?: LayerPackageChanges;
  shipped: number;
  hiddenLater: number;
  width: number;
  height: number;
  theme: Theme;
}

/** Splits text into lines of at most `width` characters, for the full command. */
function wrapLines(text: string, width: number, max: number): string[] {
  const chars = [...text.replace(/\s*\n\s*/g, ' ↵ ')];
  const lines: string[] = [];
  for (let i = 0; i < chars.length && lines.length < max; i += width) lines.push(chars.slice(i, i + width).join(''));
  if (lines.length === max && chars.length > width * max) lines[max - 1] = truncate(lines[max - 1]! + '…', width);
  return lines;
}

/** `packages +28 ~1 -2` (added, upgraded, removed), only for a layer that changed packages. */
export function packageCounts(changes: LayerPackageChanges | undefined): string {
  if (!changes) return '';
  const { added, upgraded, removed } = changes;
  if (added.length + upgraded.length + removed.length === 0) return '';
  return `packages +${added.length} ~${upgraded.length} -${removed.length}`;
}

export const LayerDetails = memo(function LayerDetails({
  layer,
  counts,
  packages,
  shipped,
  hiddenLater,
  width,
  height,
  theme,
}: LayerDetailsProps) {
  const inner = width - 2;
  const packageLine = packageCounts(packages);
  // The package counts take a line of their own, below the file counts, when the layer changed packages.
  const room = Math.max(0, height - 3 - (packageLine && height > 5 ? 1 : 0)); // borders and title
  // The command says the most; digests and the date come after it when there is room.
  const facts = [
    ['digest', layer.digest],
    ['diffId', layer.diffId],
    ['created', formatTimestamp(layer.created)],
  ] as const;
  const commandLines = Math.max(1, room - facts.length);
  const command = wrapLines(layer.command || '(no history for this layer)', inner, Math.min(commandLines, room));
  const shownFacts = facts.slice(0, Math.max(0, room - command.length));
  const bytes = `${formatBytes(shipped)}${hiddenLater ? `, ${formatBytes(hiddenLater)} hidden later` : ''}`;
  return (
    <Pane title={`Layer ${layer.index}`} subtitle={bytes} focused={false} width={width} height={height} theme={theme}>
      {room > 0 && (
        <Text wrap="truncate">
          <Text color={theme.color ? 'green' : undefined}>A {counts.added}</Text>
          {'  '}
          <Text color={theme.color ? 'yellow' : undefined}>M {counts.modified}</Text>
          {'  '}
          <Text color={theme.color ? 'red' : undefined}>R {counts.removed}</Text>
          <Text color={theme.muted}>{truncate(`  ${counts.unmodified} unmodified`, Math.max(0, inner - 24))}</Text>
        </Text>
      )}
      {packageLine && height > 5 && (
        <Text color={theme.muted} wrap="truncate">
          {truncate(packageLine, inner)}
        </Text>
      )}
      {command.slice(0, Math.max(0, room - 1)).map((line, i) => (
        <Text key={`c${i}`} wrap="truncate">
          {line}
        </Text>
      ))}
      {shownFacts.slice(0, Math.max(0, room - 1 - command.length)).map(([key, value]) => (
        <Text key={key} wrap="truncate">
          <Text color={theme.muted}>{key.padEnd(8)}</Text>
          {truncate(value, Math.max(0, inner - 8))}
        </Text>
      ))}
    </Pane>
  );
});
