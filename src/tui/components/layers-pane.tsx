import { Text } from 'ink';
import { memo } from 'react';
import type { ImageLayer } from '../../image/types.js';
import { formatBytes, oneLineCommand, truncate } from '../../util/format.js';
import type { ViewMode } from '../model/layer-view.js';
import type { Theme } from '../theme.js';
import { Pane } from './pane.js';

interface LayersPaneProps {
  layers: readonly ImageLayer[];
  shippedBytes: readonly number[];
  hiddenLaterBytes: readonly number[];
  selected: number;
  mode: ViewMode;
  focused: boolean;
  width: number;
  height: number;
  visibleRows: number;
  theme: Theme;
}

/** First row of a window of `size` rows that keeps `index` in view, roughly centred. */
export function windowStart(index: number, count: number, size: number): number {
  return Math.max(0, Math.min(index - Math.floor(size / 2), count - size));
}

/**
 * The layer list: index, bytes shipped, bytes of it that later layers hid, and the command.
 * The gutter marks the selected layer (▶) and the compare range (┃): in "changes" view the layer
 * is compared with the one below it; in "aggregated" view layers 0..N are stacked.
 */
export const LayersPane = memo(function LayersPane(props: LayersPaneProps) {
  const { layers, selected, mode, width, visibleRows, theme } = props;
  const inner = width - 2;
  const start = windowStart(selected, layers.length, visibleRows);
  const shown = layers.slice(start, start + visibleRows);
  // Narrow columns drop the "hidden" figure (the details pane still shows it) to keep the command readable.
  const wide = inner >= 52;
  const header = `${'  #'} ${'size'.padStart(8)}${wide ? 'hidden'.padStart(9) : ''}  command`;
  const inRange = (i: number): boolean => (mode === 'aggregated' ? i <= selected : i === selected - 1);
  return (
    <Pane
      title="Layers"
      subtitle={`${layers.length} · ${mode === 'aggregated' ? 'stacked 0..' + selected : 'changes of ' + selected}`}
      focused={props.focused}
      width={width}
      height={props.height}
      theme={theme}
    >
      <Text color={theme.muted} wrap="truncate">
        {truncate(header, inner)}
      </Text>
      {shown.map((layer, k) => {
        const i = start + k;
        const gutter = i === selected ? '▶' : inRange(i) ? '┃' : ' ';
        const hidden = props.hiddenLaterBytes[i] ?? 0;
        const hiddenColumn = wide ? (hidden > 0 ? formatBytes(hidden) : '—').padStart(9) : '';
        const prefix =
          `${gutter}${String(i).padStart(2)} ${formatBytes(props.shippedBytes[i] ?? 0).padStart(8)}` +
          `${hiddenColumn}  `;
        const command = oneLineCommand(layer.command) || '(no history)';
        const line = truncate(prefix + command, inner);
        const isSelected = i === selected;
        return (
          <Text
            key={i}
            inverse={isSelected && props.focused}
            bold={isSelected}
            color={!isSelected && hidden > 0 ? theme.warn : undefined}
            wrap="truncate"
          >
            {line}
          </Text>
        );
      })}
    </Pane>
  );
});
