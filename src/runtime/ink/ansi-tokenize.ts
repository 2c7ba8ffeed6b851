/**
 * The `line-text` patch (see ../ink-patches.ts): `@alcalzone/ansi-tokenize` for Ink, everything as
 * it is but `styledCharsToString` (./styled-chars.ts). An explicit export shadows the same name
 * from `export *`.
 */
import { ansiCodesToString, diffAnsiCodes } from 'strata-ink-original:@alcalzone/ansi-tokenize';
import { fastStyledCharsToString } from './styled-chars.js';

export * from 'strata-ink-original:@alcalzone/ansi-tokenize';

const fast = fastStyledCharsToString({ ansiCodesToString, diffAnsiCodes });
let calls = 0;

export function styledCharsToString(chars: Parameters<typeof fast>[0]): string {
  calls++;
  return fast(chars);
}

/** Whether Ink has called it (tests check that the patch is in place). */
export function used(): boolean {
  return calls > 0;
}
