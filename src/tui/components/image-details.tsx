import { Text } from 'ink';
import { memo, type ReactElement } from 'react';
import type { ImageAnalysis } from '../../analysis/analyze.js';
import type { ImageIndex } from '../../image/types.js';
import { formatAge, formatBytes, runsAsRoot, truncate, truncateStart } from '../../util/format.js';
import type { Theme } from '../theme.js';
import { Pane } from './pane.js';

interface ImageDetailsProps {
  image: ImageIndex;
  analysis: ImageAnalysis;
  /** Findings per category, once risk analysis is available. */
  riskCounts?: ReadonlyArray<[category: string, count: number]>;
  width: number;
  height: number;
  theme: Theme;
  now?: Date;
}

const pct = (f: number): string => `${Math.round(f * 100)} %`;

export const ImageDetails = memo(function ImageDetails({
  image,
  analysis,
  riskCounts,
  width,
  height,
  theme,
  now,
}: ImageDetailsProps) {
  const inner = width - 2;
  const c = image.config;
  const { exact, dive } = analysis;
  const root = runsAsRoot(c.user);
  const lines: ReactElement[] = [];
  const line = (key: string, node: ReactElement | string): void => {
    lines.push(
      <Text key={key} wrap="truncate">
        {node}
      </Text>,
    );
  };
  const narrow = inner < 44;
  line(
    'platform',
    truncate(`${[c.os, c.architecture, c.variant].filter(Boolean).join('/')} · ${formatAge(c.created, now)}`, inner),
  );
  line(
    'trust',
    <>
      <Text color={image.verified ? undefined : theme.danger}>{image.verified ? 'verified ✓' : 'NOT verified'}</Text>
      {' · '}
      <Text color={root ? theme.danger : undefined} bold={root}>
        {root ? 'runs as root' : `user ${c.user}`}
      </Text>
      {c.healthcheck ? '' : <Text color={theme.muted}>{truncate(' · no healthcheck', Math.max(0, inner - 25))}</Text>}
    </>,
  );
  const total = `${formatBytes(exact.totalBytes)} shipped · ${formatBytes(exact.hiddenBytes)} hidden`;
  line('total', truncate(total, inner));
  line(
    'eff',
    <>
      <Text>efficiency </Text>
      <Text bold color={exact.efficiency < 0.9 ? theme.warn : undefined}>
        {pct(exact.efficiency)}
      </Text>
      <Text color={theme.muted}>
        {truncate(
          narrow ? ` (dive ${pct(dive.efficiency)})` : ` exact · ${pct(dive.efficiency)} dive-compatible`,
          Math.max(0, inner - 16),
        )}
      </Text>
    </>,
  );
  if (riskCounts && riskCounts.length > 0) {
    line('risks', truncate(`risks: ${riskCounts.map(([k, n]) => `${k} ${n}`).join(' · ')}`, inner));
  }
  const room = height - 2 - 1 - lines.length - 1;
  if (exact.hidden.length > 0 && room > 0) {
    line('top', <Text color={theme.muted}>largest hidden files</Text>);
    for (const piece of exact.hidden.slice(0, room)) {
      const size = formatBytes(piece.size).padStart(8);
      const where = ` L${piece.layer}→${piece.hiddenBy} `;
      line(
        `h${piece.path}${piece.layer}`,
        <>
          <Text color={theme.warn}>{size}</Text>
          <Text color={theme.muted}>{where}</Text>
          {truncateStart(piece.path, Math.max(4, inner - size.length - where.length))}
        </>,
      );
    }
  }
  return (
    <Pane
      title="Image"
      subtitle={image.reference ?? undefined}
      focused={false}
      width={width}
      height={height}
      theme={theme}
    >
      {lines.slice(0, Math.max(0, height - 3))}
    </Pane>
  );
});
