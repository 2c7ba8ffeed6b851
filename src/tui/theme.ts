import { Status, type StatusCode } from './model/layer-view.js';

/**
 * Colours readable on dark and light terminals (the basic ANSI ones, which both kinds of theme
 * remap), and never the only carrier of meaning: every status also has a one-letter marker.
 * NO_COLOR (https://no-color.org) turns colour off.
 */
export interface Theme {
  color: boolean;
  status: (code: number) => { marker: string; color?: string };
  accent?: string;
  muted?: string;
  warn?: string;
  danger?: string;
}

const MARKERS: Record<number, { marker: string; color: string }> = {
  [Status.added]: { marker: 'A', color: 'green' },
  [Status.modified]: { marker: 'M', color: 'yellow' },
  [Status.removed]: { marker: 'R', color: 'red' },
  [Status.unmodified]: { marker: '·', color: '' },
  [Status.context]: { marker: ' ', color: '' },
};

export function makeTheme(env: NodeJS.ProcessEnv = process.env): Theme {
  const color = env.NO_COLOR === undefined || env.NO_COLOR === '';
  return {
    color,
    status: (code: number) => {
      const m = MARKERS[code as StatusCode] ?? { marker: ' ', color: '' };
      return color && m.color ? m : { marker: m.marker };
    },
    accent: color ? 'cyan' : undefined,
    muted: color ? 'gray' : undefined,
    warn: color ? 'yellow' : undefined,
    danger: color ? 'red' : undefined,
  };
}
