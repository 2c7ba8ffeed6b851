/**
 * What Ink gets for `styledCharsToString` (see `./styled-chars.ts`): bound to the real package,
 * whose URL comes in this module's query string, as the resolution hook found it for Ink.
 */
import { fastStyledCharsToString, type AnsiTokenize } from './styled-chars.js';

const real = new URL(import.meta.url).searchParams.get('real');
if (real === null) throw new Error('ink-text-hooks: styledCharsToString was loaded without the real module to wrap');

export const styledCharsToString = fastStyledCharsToString((await import(real)) as AnsiTokenize);

// For tests, which cannot import this module as Ink does.
(globalThis as Record<symbol, unknown>)[Symbol.for('strata.inkStyledChars')] = { styledCharsToString };
