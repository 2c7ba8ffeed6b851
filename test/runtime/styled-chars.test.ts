import { describe, expect, it } from 'vitest';
import { fastStyledCharsToString, type AnsiTokenize, type StyledChar } from '../../src/runtime/ink/styled-chars.js';

// Ink's dependency (not strata's), installed at the top of node_modules, where Ink finds it too.
const tokenizer = (await import('@alcalzone/ansi-tokenize' as string)) as AnsiTokenize & {
  tokenize(text: string): unknown[];
  styledCharsFromTokens(tokens: unknown[]): StyledChar[];
  styledCharsToString(chars: readonly StyledChar[]): string;
};
const fast = fastStyledCharsToString(tokenizer);

const CODES = [
  '\x1b[1m',
  '\x1b[22m',
  '\x1b[2m',
  '\x1b[31m',
  '\x1b[32m',
  '\x1b[39m',
  '\x1b[7m',
  '\x1b[27m',
  '\x1b[4m',
  '\x1b[24m',
  '\x1b[38;5;208m',
  '\x1b[48;2;10;20;30m',
  '\x1b[49m',
  '\x1b[0m',
  '\x1b[90m',
];
const TEXT = ['a', 'b', ' ', '├', '─', '漢', '🙂', 'é', '·'];

/** A deterministic pseudo-random line of text and ANSI codes. */
function line(seed: number): string {
  let state = seed;
  const next = (n: number): number => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state % n;
  };
  let text = '';
  for (let i = 0, length = 1 + next(60); i < length; i++)
    text += next(4) === 0 ? CODES[next(CODES.length)]! : TEXT[next(TEXT.length)]!.repeat(1 + next(5));
  return text;
}

describe('the faster styledCharsToString', () => {
  it('makes the string the original makes, on styled lines of every kind', () => {
    for (let seed = 1; seed <= 2000; seed++) {
      const chars = tokenizer.styledCharsFromTokens(tokenizer.tokenize(line(seed)));
      expect(fast(chars), `seed ${seed}`).toBe(tokenizer.styledCharsToString(chars));
    }
  });

  it('handles an empty line, plain text, and one style over the whole line', () => {
    for (const text of [
      '',
      'plain',
      '\x1b[1mall bold\x1b[22m',
      '\x1b[31mred\x1b[39m then plain',
      'plain then \x1b[7minverse',
    ]) {
      const chars = tokenizer.styledCharsFromTokens(tokenizer.tokenize(text));
      expect(fast(chars), JSON.stringify(text)).toBe(tokenizer.styledCharsToString(chars));
    }
  });
});
