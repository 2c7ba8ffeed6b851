import { Text } from 'ink';
import { plural, truncateMiddle, truncateStart } from '../../util/format.js';
import { PathFinder, type FindResult, type FindResults } from '../model/find.js';
import type { Theme } from '../theme.js';
import { listWindow, OverlayFrame } from './overlay-frame.js';

/** A path with the characters the query matched in bold, cut from the left to fit. */
function Highlighted({
  path,
  indexes,
  width,
  theme,
}: {
  path: string;
  indexes: readonly number[];
  width: number;
  theme: Theme;
}) {
  const shown = [...truncateStart(path, width)];
  const offset = [...path].length - shown.length;
  const marks = new Set(indexes.map((i) => i - offset));
  // Runs of marked and unmarked characters: a few nodes a row, not one a character.
  const runs: Array<{ text: string; marked: boolean }> = [];
  shown.forEach((ch, i) => {
    const marked = marks.has(i);
    const last = runs[runs.length - 1];
    if (last && last.marked === marked) last.text += ch;
    else runs.push({ text: ch, marked });
  });
  return (
    <>
      {runs.map((run, k) =>
        run.marked ? (
          <Text key={k} bold color={theme.accent} underline={!theme.color}>
            {run.text}
          </Text>
        ) : (
          run.text
        ),
      )}
    </>
  );
}

const GAP = 2;

/**
 * How a result row shares its width: the path comes first (it is what was asked for), keeping at
 * least 60 % of the row, or all of it when it fits; the layers that touched it (a directory listed
 * in every layer makes a long list) get the rest, cut in the middle.
 */
export function splitFindRow(path: string, touches: string, width: number): { pathRoom: number; touches: string } {
  const pathLength = [...path].length;
  const touchesLength = [...touches].length;
  if (pathLength + GAP + touchesLength <= width) return { pathRoom: pathLength, touches };
  const pathRoom = Math.max(1, Math.min(pathLength, Math.max(width - GAP - touchesLength, Math.floor(width * 0.6))));
  return { pathRoom, touches: truncateMiddle(touches, Math.max(0, width - GAP - pathRoom)) };
}

/** "4 matches · 12 fuzzy", "1,234 matches, the first 50 shown", "50+ matches" while not all are counted. */
export function findCountText(found: FindResults, settled: boolean): string {
  const exact = found.results.length - found.fuzzy;
  const parts = [
    found.matches === null
      ? `${exact}+ matches`
      : found.matches > exact
        ? `${plural(found.matches, 'match', 'matches')}, the first ${exact} shown`
        : plural(found.matches, 'match', 'matches'),
  ];
  if (found.fuzzy > 0) parts.push(`${found.fuzzy} fuzzy`);
  if (!settled && found.matches !== null && found.results.length < 50) parts.push('fuzzy matches when you pause');
  return parts.join(' · ');
}

export function FindOverlay({
  query,
  found,
  rows: results,
  settled,
  cursor,
  width,
  height,
  theme,
}: {
  query: string;
  found: FindResults;
  /** The results, with null for the heading above the fuzzy ones. */
  rows: ReadonlyArray<FindResult | null>;
  settled: boolean;
  cursor: number;
  width: number;
  height: number;
  theme: Theme;
}) {
  const inner = width - 4;
  const rows = Math.max(1, height - 4);
  const start = listWindow(cursor, results.length, rows);
  return (
    <OverlayFrame
      title="find"
      hint="type to search every path of every layer · ↑↓ choose · enter jumps · esc closes"
      width={width}
      height={height}
      theme={theme}
    >
      <Text wrap="truncate">
        <Text color={theme.accent}>› </Text>
        {query}
        <Text color={theme.muted}>
          ▏
          {[...query.trim()].length < PathFinder.MIN_QUERY
            ? '  type two characters or more'
            : `  ${findCountText(found, settled)}`}
        </Text>
      </Text>
      {results.slice(start, start + rows).map((r, k) => {
        const i = start + k;
        if (r === null)
          return (
            <Text key="fuzzy" color={theme.muted} wrap="truncate">
              {'  fuzzy matches (the letters in order, not side by side)'}
            </Text>
          );
        const { pathRoom, touches } = splitFindRow(r.path, r.touches, inner - 2);
        return (
          <Text key={r.path} inverse={i === cursor} wrap="truncate">
            {i === cursor ? '▶ ' : '  '}
            <Highlighted path={r.path} indexes={r.indexes} width={pathRoom} theme={theme} />
            <Text color={theme.muted}>{touches === '' ? '' : `${' '.repeat(GAP)}${touches}`}</Text>
          </Text>
        );
      })}
    </OverlayFrame>
  );
}
