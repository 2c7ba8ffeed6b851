import type { Command, Help } from 'commander';
import type { Io } from './context.js';

/*
 * How the command line talks about its own use: help wrapped to the terminal, a usage error as one
 * line and where to read more, a mistyped command answered with the right one, and the options
 * written before a subcommand passed on to it.
 */

/** Columns to wrap help to: the terminal's, else $COLUMNS, else 80. */
export function helpWidth(io: Io, env: NodeJS.ProcessEnv = process.env): number {
  const columns = (io.stdout as { columns?: number }).columns ?? Number(env.COLUMNS);
  return Number.isFinite(columns) && columns >= 20 ? columns : 80;
}

/**
 * commander's item layout, wrapped at any width: the description beside its term when at least 30
 * columns are left for it, else on the lines below the term, indented, so it still wraps.
 */
export function formatHelpItem(term: string, termWidth: number, description: string, helper: Help): string {
  if (!description) return `  ${term}`;
  const width = helper.helpWidth ?? 80;
  const beside = width - termWidth - 4;
  if (beside >= 30) {
    const wrapped = wrapWords(description, beside).join(`\n${' '.repeat(termWidth + 4)}`);
    return `  ${term.padEnd(termWidth)}  ${wrapped}`;
  }
  return `  ${term}\n${wrapWords(description, Math.max(20, width - 6))
    .map((line) => `      ${line}`)
    .join('\n')}`;
}

/** Words into lines of at most `width` columns (a longer word gets a line of its own). */
export function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line !== '' && [...line].length + 1 + [...word].length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '' || lines.length === 0) lines.push(line);
  return lines;
}

/** The smallest number of single-character edits (a swap of neighbours counting as one) from a to b. */
export function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => i + j));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

/** The command `word` was probably meant to be, when it is one or two edits away from exactly one. */
export function suggestCommand(word: string, commands: readonly string[]): string | null {
  if (!/^[a-z][a-z-]*$/.test(word)) return null;
  const close = commands.filter((name) => name !== word && editDistance(word, name) <= (name.length <= 3 ? 1 : 2));
  return close.length === 1 ? close[0]! : null;
}

/**
 * `strata --no-verify report x` means `strata report --no-verify x`: the program's options the user
 * wrote before the subcommand are given to it, unless it was given its own.
 */
export function passProgramOptions(program: Command, command: Command): void {
  if (command === program) return;
  for (const option of program.options) {
    const key = option.attributeName();
    if (program.getOptionValueSource(key) !== 'cli') continue;
    if (!command.options.some((o) => o.attributeName() === key)) continue;
    if (command.getOptionValueSource(key) === 'cli') continue;
    command.setOptionValueWithSource(key, program.getOptionValue(key), 'cli');
  }
}
