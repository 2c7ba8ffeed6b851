/** ANSI styling for the text reports: on a terminal only, and never when NO_COLOR is set (https://no-color.org). */
export interface Style {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  green(text: string): string;
  cyan(text: string): string;
}

const wrap = (open: number, close: number) => (text: string) => `\x1b[${open}m${text}\x1b[${close}m`;

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
