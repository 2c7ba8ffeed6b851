import { StrataError } from '../util/errors.js';

const UNIT_MS: Record<string, number> = {
  s: 1000,
  m: 60 * 1000,
  h: 60 * 60 * 1000,
  d: 24 * 60 * 60 * 1000,
  w: 7 * 24 * 60 * 60 * 1000,
};

/** `--older-than`: a whole number and a unit, `30d`, `12h`, `2w`, `90m`, `45s` → milliseconds. */
export function parseDuration(text: string): number {
  const match = /^(\d{1,9})([smhdw])$/.exec(text.trim());
  if (!match)
    throw new StrataError(`invalid duration "${text}": expected a number and a unit (s, m, h, d or w), such as 30d`);
  return Number(match[1]) * UNIT_MS[match[2]!]!;
}
