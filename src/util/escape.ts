/**
 * Text from an image (names, commands, labels, users, messages that quote them) is shown only in a
 * form that cannot drive a terminal: control characters become visible `\xNN`, the way bytes that
 * are not UTF-8 are shown in names. Strings quoted in messages are cut to a readable length.
 */

/** `\xNN`: how a byte, or a character that must not reach a terminal as it is, is shown. */
export function hexEscape(code: number): string {
  return `\\x${code.toString(16).padStart(2, '0')}`;
}

/** C0 controls (newline and tab included), DEL and the C1 controls (U+0080–U+009F, ESC's 8-bit twins). */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;

function isControl(code: number): boolean {
  return code <= 0x1f || (code >= 0x7f && code <= 0x9f);
}

/**
 * The text with every control character shown as `\xNN` ("\x1b[2J" becomes the eight visible
 * characters `\x1b[2J`). Our own formatting adds its newlines and colours after this.
 */
export function escapeControls(text: string): string {
  return CONTROL.test(text) ? text.replace(CONTROLS, (c) => hexEscape(c.charCodeAt(0))) : text;
}

/** How long a string from the input may be when a message quotes it. */
export const QUOTED_MAX = 200;

/**
 * A string from the input as a message quotes it: control characters escaped, cut to `max`
 * characters (escapes counted as shown) with `…`. Reads at most `max` characters of the input,
 * however long it is.
 */
export function quoteInput(text: string, max = QUOTED_MAX): string {
  const pieces: string[] = [];
  let shown = 0;
  let i = 0;
  while (i < text.length && shown <= max) {
    const code = text.codePointAt(i)!;
    const piece = isControl(code) ? hexEscape(code) : String.fromCodePoint(code);
    pieces.push(piece);
    shown += piece.length;
    i += code > 0xffff ? 2 : 1;
  }
  if (i >= text.length && shown <= max) return pieces.join('');
  // Too long: whole pieces up to max - 1 characters, then the ellipsis.
  let out = '';
  for (const piece of pieces) {
    if (out.length + piece.length > max - 1) break;
    out += piece;
  }
  return `${out}…`;
}

/** The longest line strata writes to stderr, in bytes. */
export const MESSAGE_MAX_BYTES = 1000;

/**
 * A message as one line on stderr: runs of white space (line breaks too) folded into one space, control
 * characters escaped, and cut to at most `maxBytes` bytes of UTF-8 (with `…`), whatever a message quoted.
 */
export function messageLine(text: string, maxBytes = MESSAGE_MAX_BYTES): string {
  const head = text.length > maxBytes ? text.slice(0, maxBytes) : text;
  const line = escapeControls(head.replace(/\s+/g, ' ')).trim();
  if (head.length === text.length && Buffer.byteLength(line) <= maxBytes) return line;
  // '…' is 3 bytes in UTF-8: whole characters while the rest fits.
  let out = '';
  let bytes = 0;
  for (const char of line) {
    const size = Buffer.byteLength(char);
    if (bytes + size > maxBytes - 3) break;
    out += char;
    bytes += size;
  }
  return `${out}…`;
}
