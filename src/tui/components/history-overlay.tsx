import { Text } from 'ink';
import type { ImageLayer } from '../../image/types.js';
import { formatBytes, oneLineCommand, truncate } from '../../util/format.js';
import { formatMode } from '../../util/mode.js';
import type { HistoryRow } from '../model/overlay-items.js';
import type { Theme } from '../theme.js';
import { OverlayFrame } from './overlay-frame.js';

const STATUS_COLOR: Record<string, string> = { added: 'green', modified: 'yellow', removed: 'red' };

/** `i`: the life of one path, layer by layer: what each layer did to it, and what it left there. */
export function HistoryOverlay({
  path,
  rows,
  layers,
  width,
  height,
  theme,
}: {
  path: string;
  rows: readonly HistoryRow[];
  layers: readonly ImageLayer[];
  width: number;
  height: number;
  theme: Theme;
}) {
  const inner = width - 4;
  const header =
    `${'layer'.padEnd(6)}${'status'.padEnd(11)}${'mode'.padEnd(11)}${'uid:gid'.padStart(9)}` +
    `${'size'.padStart(10)}  command`;
  return (
    <OverlayFrame title={`history of ${path}`} hint="any key closes" width={width} height={height} theme={theme}>
      <Text color={theme.muted} wrap="truncate">
        {truncate(header, inner)}
      </Text>
      {rows.slice(0, Math.max(0, height - 4)).map((r) => {
        const mode = r.type !== undefined && r.mode !== undefined ? formatMode(r.type, r.mode) : '';
        const owner = r.uid !== undefined ? `${r.uid}:${r.gid}` : '';
        const size = r.size !== undefined && r.type !== 'dir' ? formatBytes(r.size) : '';
        const link = r.linkTarget ? ` → ${r.linkTarget}` : '';
        const prefix = `${String(r.layer).padEnd(6)}`;
        const rest =
          `${mode.padEnd(11)}${owner.padStart(9)}${size.padStart(10)}  ` +
          `${oneLineCommand(layers[r.layer]?.command ?? '')}${link}`;
        return (
          <Text key={r.layer} wrap="truncate">
            {prefix}
            <Text color={theme.color ? STATUS_COLOR[r.status] : undefined}>{r.status.padEnd(11)}</Text>
            {truncate(rest, Math.max(0, inner - 17))}
          </Text>
        );
      })}
      {rows.length === 0 && <Text color={theme.muted}>no layer touched this path</Text>}
    </OverlayFrame>
  );
}
