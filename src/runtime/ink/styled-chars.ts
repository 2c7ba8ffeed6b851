/**
 * A faster `styledCharsToString` for Ink (the `line-text` patch, see `../ink-patches.ts`), giving the same string.
 *
 * Ink turns each line of every frame into text with `@alcalzone/ansi-tokenize`'s
 * `styledCharsToString`, which asks `diffAnsiCodes` what changes between every two neighbouring
 * characters: three Sets and two arrays per character, nearly always to learn that nothing does, and
 * enough garbage to bring V8's full collections onto keypresses. When two neighbours carry the same
 * codes, the diff is empty by its definition (every code of `from` is ended or restarted in `to`, and
 * none of `to` is new): this skips the call then, and calls the original everywhere else.
 */

export interface AnsiCode {
  code: string;
  endCode: string;
}

export interface StyledChar {
  value: string;
  styles: readonly AnsiCode[];
}

export interface AnsiTokenize {
  ansiCodesToString(codes: readonly AnsiCode[]): string;
  diffAnsiCodes(from: readonly AnsiCode[], to: readonly AnsiCode[]): AnsiCode[];
}

function sameCodes(a: readonly AnsiCode[], b: readonly AnsiCode[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i]!.code !== b[i]!.code || a[i]!.endCode !== b[i]!.endCode) return false;
  return true;
}

/** `styledCharsToString` over the package's own `ansiCodesToString` and `diffAnsiCodes`. */
export function fastStyledCharsToString({
  ansiCodesToString,
  diffAnsiCodes,
}: AnsiTokenize): (chars: readonly StyledChar[]) => string {
  return (chars) => {
    let text = '';
    for (let i = 0; i < chars.length; i++) {
      const { styles, value } = chars[i]!;
      if (i === 0) {
        if (styles.length > 0) text += ansiCodesToString(styles);
      } else {
        const before = chars[i - 1]!.styles;
        if (!sameCodes(before, styles)) text += ansiCodesToString(diffAnsiCodes(before, styles));
      }
      text += value;
      // The styles still open at the end are reset.
      if (i === chars.length - 1 && styles.length > 0) text += ansiCodesToString(diffAnsiCodes(styles, []));
    }
    return text;
  };
}
