import { randomBytes } from 'node:crypto';
import { hexEscape } from '../util/escape.js';

/** ANSI styling for the text reports: on a terminal only, and never when NO_COLOR is set (https://no-color.org). */
export interface Style {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  green(text: string): string;
  cyan(text: string): string;
}

/**
 * Styles are written as markers that only this process can make (a NUL and a random word), and
 * become escape sequences in `reportText`, which shows every other control character as `\xNN`:
 * an image's own `\x1b[31m` is then text, whatever line it was put on.
 */
const MARK = `\u0000${randomBytes(8).toString('hex')}:`;
const wrap = (open: number, close: number) => (text: string) => `${MARK}${open}m${text}${MARK}${close}m`;

const COLOR: Style = {
  bold: wrap(1, 22),
  dim: wrap(2, 22),
  red: wrap(31, 39),
  yellow: wrap(33, 39),
  green: wrap(32, 39),
  cyan: wrap(36, 39),
};
const PLAIN: Style = {
  bold: (t) => t,
  dim: (t) => t,
  red: (t) => t,
  yellow: (t) => t,
  green: (t) => t,
  cyan: (t) => t,
};

export function makeStyle(color: boolean): Style {
  return color ? COLOR : PLAIN;
}

/** Colour when the stream is a terminal and NO_COLOR is unset or empty. */
export function wantsColor(stream: NodeJS.WritableStream, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return (stream as { isTTY?: boolean }).isTTY === true;
}

/** A severity word, coloured by how bad it is. */
export function severity(style: Style, text: string, width = 6): string {
  const padded = text.padEnd(width);
  return text === 'high'
    ? style.red(padded)
    : text === 'medium'
      ? style.yellow(padded)
      : text === 'info'
        ? style.dim(padded)
        : padded;
}

const MARKS_AND_CONTROLS = new RegExp(`${MARK}(\\d+)m|[\\u0000-\\u001f\\u007f-\\u009f]`, 'g');

/**
 * A report's lines as its text: the lines joined by newlines (and one at the end), each line's own
 * control characters (a newline in a file name included) shown as `\xNN`, styles made escape
 * sequences. Every text report ends here, so no text from an image reaches a terminal as it is.
 */
export function reportText(lines: readonly string[]): string {
  const shown = (found: string, code: string | undefined): string =>
    code === undefined ? hexEscape(found.charCodeAt(0)) : `\x1b[${code}m`;
  return `${lines.map((line) => line.replace(MARKS_AND_CONTROLS, shown)).join('\n')}\n`;
}
