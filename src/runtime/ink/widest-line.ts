/**
 * The `widths` patch (see ../ink-patches.ts): `widest-line` for Ink, remembering its answers. Ink
 * measures every text node on every frame, and string-width takes its slow path (segmentation,
 * Unicode regexes) on any text beyond printable ASCII, as the tree's guides are.
 */
import widestLine from 'strata-ink-original:widest-line';
import { TwoGenerations } from './two-generations.js';

const widths = new TwoGenerations<number>(4096);

export default function rememberedWidestLine(text: string): number {
  return widths.get(text, widestLine);
}

/** Whether Ink has asked (tests check that the patch is in place). */
export function used(): boolean {
  return widths.size > 0;
}
