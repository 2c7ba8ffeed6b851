import { Text } from 'ink';
import { memo } from 'react';
import { formatBytes, truncate, truncateMiddle } from '../../util/format.js';
import { formatMode } from '../../util/mode.js';
import { escapeControls } from '../../util/escape.js';
import { treeGuide, type FlatRows } from '../model/flatten.js';
import { rowInfo, Status, type LayerView } from '../model/layer-view.js';
import type { TreeIndex } from '../model/tree-index.js';
import type { Theme } from '../theme.js';
import { Pane } from './pane.js';

interface FileTreeProps {
  tree: TreeIndex;
  view: LayerView;
  rows: FlatRows;
  cursor: number;
  scroll: number;
  visibleRows: number;
  attributes: boolean;
  /** Risky files (node → the finding's line); marked with ! and the danger colour. */
  risky: ReadonlyMap<number, string>;
  /** The package that owns the selected file, named on the header line. */
  owner?: string;
  focused: boolean;
  title: string;
  subtitle: string;
  width: number;
  height: number;
  theme: Theme;
}

const ATTR_HEADER = `${'Permission'.padEnd(11)}${'UID:GID'.padStart(9)}${'Size'.padStart(9)}  `;

/**
 * The file tree. Only the rows on screen are turned into text: the cost of a frame depends on the
 * terminal's height, never on the number of files in the image.
 */
export const FileTree = memo(function FileTree(props: FileTreeProps) {
  const { tree, view, rows, cursor, scroll, visibleRows, attributes, theme, width } = props;
  const inner = width - 2;
  const cursorRow = cursor > 0 ? rows.rowOf[cursor]! : -1;
  const lines = [];
  for (let row = scroll; row < Math.min(rows.count, scroll + visibleRows); row++) {
    const node = rows.node[row]!;
    const status = view.status[node]!;
    const info = rowInfo(tree, view, node);
    const { marker, color } = theme.status(status);
    const isDir = info ? info.type === 'dir' : true;
    let attrs = '';
    if (attributes) {
      const mode = info ? formatMode(info.type, info.mode) : 'd---------';
      const owner = info ? `${info.uid}:${info.gid}` : '';
      const size = isDir ? rows.sizes.held[node]! : (info?.size ?? 0);
      attrs = `${mode.padEnd(11)}${owner.padStart(9)}${formatBytes(size).padStart(9)}  `;
    }
    const link =
      info?.type === 'symlink'
        ? ` → ${info.linkTarget ?? ''}`
        : info?.type === 'hardlink'
          ? ` ⇒ ${info.linkTarget ?? ''}`
          : '';
    const isRisky = props.risky.has(node);
    const lead = `${marker}${isRisky ? '!' : ' '}${attrs}${treeGuide(rows, row)}`;
    // The name keeps both its ends; a link target is what gets cut first.
    const room = Math.max(1, inner - [...lead].length);
    const name = truncateMiddle(tree.names[node]! + (isDir ? '/' : ''), room);
    const text = truncate(lead + name + link, inner);
    const selected = row === cursorRow;
    lines.push(
      <Text
        key={row}
        color={isRisky && theme.color ? theme.danger : color}
        inverse={selected && props.focused}
        bold={selected}
        strikethrough={status === Status.removed && theme.color}
        wrap="truncate"
      >
        {text}
      </Text>,
    );
  }
  if (rows.count === 0)
    lines.push(
      <Text key="empty" color={theme.muted}>
        nothing to show: try another layer, view (v) or filter (/)
      </Text>,
    );
  return (
    <Pane
      title={props.title}
      subtitle={props.subtitle}
      focused={props.focused}
      width={width}
      height={props.height}
      theme={theme}
    >
      <Text color={theme.muted} wrap="truncate">
        {truncate(
          `  ${attributes ? ATTR_HEADER : ''}Filetree${props.owner ? ` · from ${escapeControls(props.owner)}` : ''}`,
          inner,
        )}
      </Text>
      {lines}
    </Pane>
  );
});
