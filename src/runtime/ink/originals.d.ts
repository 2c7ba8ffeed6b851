// What strata's Ink patches stand in for, as Ink imports them (see ../ink-patches.ts).
declare module 'strata-ink-original:widest-line' {
  export default function widestLine(text: string): number;
}

declare module 'strata-ink-original:@alcalzone/ansi-tokenize' {
  export * from '@alcalzone/ansi-tokenize';
}

declare module 'strata-ink-original:./output.js' {
  export default class Output {
    constructor(options: { width: number; height: number });
  }
}

declare module 'strata-ink-original:./dom.js' {
  export function createTextNode(text: string): unknown;
  export function setTextNodeValue(node: unknown, text: string): void;
}
