/**
 * The `visible-text` patch (see ../ink-patches.ts): every string the explorer renders becomes one of
 * Ink's text nodes here, before Ink adds its own colours. Control characters in it (an image's file
 * names, commands, labels, users) are shown as `\xNN`, as everywhere strata shows text from an
 * image: Ink itself would let an image's colours and window titles through to the terminal. A
 * newline stays a newline: Ink lays it out as a line break, and it is Ink's own `<Newline>`.
 */
import * as dom from 'strata-ink-original:./dom.js';
import { hexEscape } from '../../util/escape.js';

export * from 'strata-ink-original:./dom.js';

const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;
const CONTROLS = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g;

let escaped = 0;

/** The text as the terminal may see it. */
export function visibleText(text: unknown): string {
  const value = typeof text === 'string' ? text : String(text);
  if (!CONTROL.test(value)) return value;
  escaped++;
  return value.replace(CONTROLS, (c) => hexEscape(c.charCodeAt(0)));
}

export function createTextNode(text: string): unknown {
  return dom.createTextNode(visibleText(text));
}

export function setTextNodeValue(node: unknown, text: string): void {
  dom.setTextNodeValue(node, visibleText(text));
}

/** How many texts have been escaped (tests check that the patch is in place). */
export function used(): number {
  return escaped;
}
