/**
 * Raw terminal input → key events. Ink 6 parses keys but not the mouse; doing it here, in one place,
 * means escape sequences (mouse reports included) never leak into a text input as characters.
 */
export type KeyEvent =
  | { kind: 'key'; name: string }
  | { kind: 'text'; text: string }
  | { kind: 'mouse'; action: 'press' | 'release' | 'wheel-up' | 'wheel-down'; button: number; x: number; y: number };

const CSI_KEYS: Record<string, string> = {
  A: 'up',
  B: 'down',
  C: 'right',
  D: 'left',
  H: 'home',
  F: 'end',
  Z: 'shift+tab',
  '1~': 'home',
  '7~': 'home',
  '4~': 'end',
  '8~': 'end',
  '5~': 'pageup',
  '6~': 'pagedown',
  '3~': 'delete',
  '2~': 'insert',
};
const SS3_KEYS: Record<string, string> = { A: 'up', B: 'down', C: 'right', D: 'left', H: 'home', F: 'end' };

// CSI: ESC [ params final. SGR mouse: ESC [ < b ; x ; y (M|m).
const SGR_MOUSE = /^\x1b\[<(\d+);(\d+);(\d+)([Mm])/;
const CSI = /^\x1b\[([0-9;]*)([A-Za-z~])/;
const SS3 = /^\x1bO([A-Za-z])/;

export function parseKeys(data: string): KeyEvent[] {
  const events: KeyEvent[] = [];
  let text = '';
  const flushText = (): void => {
    if (text) events.push({ kind: 'text', text });
    text = '';
  };
  let i = 0;
  while (i < data.length) {
    const rest = data.slice(i);
    const ch = data[i]!;
    if (ch === '\x1b') {
      flushText();
      const mouse = SGR_MOUSE.exec(rest);
      if (mouse) {
        events.push(mouseEvent(Number(mouse[1]), Number(mouse[2]), Number(mouse[3]), mouse[4] === 'M'));
        i += mouse[0].length;
        continue;
      }
      const csi = CSI.exec(rest);
      if (csi) {
        const params = csi[1]!;
        const final = csi[2]!;
        const key = final === '~' ? CSI_KEYS[`${params.split(';')[0]}~`] : CSI_KEYS[final];
        const modifier = params.includes(';') ? Number(params.split(';')[1]) : 1;
        if (key)
          events.push({
            kind: 'key',
            name: modifier === 5 ? `ctrl+${key}` : modifier === 2 && key !== 'shift+tab' ? `shift+${key}` : key,
          });
        i += csi[0].length;
        continue;
      }
      const ss3 = SS3.exec(rest);
      if (ss3) {
        const key = SS3_KEYS[ss3[1]!];
        if (key) events.push({ kind: 'key', name: key });
        i += ss3[0].length;
        continue;
      }
      // A lone ESC is escape. ESC followed by a character would be alt+char, but strata binds no
      // alt keys, and escape quickly followed by a key (closing a list, then pressing r) arrives
      // exactly like that: so it is read as escape, and the character as the next key.
      events.push({ kind: 'key', name: 'escape' });
      i += 1;
      continue;
    }
    const code = ch.charCodeAt(0);
    const control = controlKey(code);
    if (control) {
      flushText();
      events.push({ kind: 'key', name: control });
    } else {
      text += ch;
    }
    i += 1;
  }
  flushText();
  return events;
}

function controlKey(code: number): string | null {
  if (code === 0x0d || code === 0x0a) return 'enter';
  if (code === 0x09) return 'tab';
  if (code === 0x7f || code === 0x08) return 'backspace';
  if (code === 0x00) return 'ctrl+space';
  if (code < 0x20) return `ctrl+${String.fromCharCode(code + 0x60)}`;
  return null;
}

function mouseEvent(b: number, x: number, y: number, press: boolean): KeyEvent {
  // Coordinates are 1-based in the protocol; the app works 0-based.
  const pos = { x: x - 1, y: y - 1, button: b & 3 };
  if (b & 64) return { kind: 'mouse', action: (b & 1) === 0 ? 'wheel-up' : 'wheel-down', ...pos };
  return { kind: 'mouse', action: press ? 'press' : 'release', ...pos };
}

/**
 * Text typed as keys: outside a text input, each printable character is a key of its own
 * (so "jjj" moves three times), and space is named.
 */
export function textToKeys(text: string): string[] {
  return [...text].map((c) => (c === ' ' ? 'space' : c));
}
