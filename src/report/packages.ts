/**
 * What the text and markdown reports say about packages: per layer, what it installed and how many
 * bytes that is, the largest packages, and the largest files no package owns.
 */
import type { ImageAnalysis } from '../analysis/analyze.js';
import type { PackageItem } from '../packages/index.js';
import { formatBytes } from '../util/format.js';

export interface LayerPackageStory {
  layer: number;
  /** "installed 143 packages (212 MB), upgraded 2, removed 1; the largest: gcc-12 (43 MB), …" */
  text: string;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** One sentence per layer that changed packages. */
export function layerPackageStories(analysis: ImageAnalysis, largest = 3): LayerPackageStory[] {
  const { packages } = analysis;
  const byLayer = new Map<number, PackageItem[]>();
  for (const item of packages.items) byLayer.set(item.layer, [...(byLayer.get(item.layer) ?? []), item]);
  const stories: LayerPackageStory[] = [];
  packages.layers.forEach((changes, layer) => {
    if (changes.added.length + changes.upgraded.length + changes.removed.length === 0) return;
    const items = byLayer.get(layer) ?? [];
    const bytes = items.reduce((sum, item) => sum + item.bytes, 0);
    const parts: string[] = [];
    if (changes.added.length > 0) parts.push(`installed ${plural(changes.added.length, 'package')}`);
    if (changes.upgraded.length > 0) parts.push(`upgraded ${changes.upgraded.length}`);
    if (changes.removed.length > 0) parts.push(`removed ${changes.removed.length}`);
    let text = `${parts.join(', ')} (${formatBytes(bytes)} still shipped)`;
    const top = items.slice(0, largest).filter((item) => item.bytes > 0);
    if (top.length > 0) {
      text += `; the largest: ${top.map((item) => `${item.name} (${formatBytes(item.bytes)})`).join(', ')}`;
    }
    stories.push({ layer, text });
  });
  return stories;
}

/** "dpkg: 116 packages, 101 MB; 8.77 MB in files no package owns", or null without a database. */
export function packageSummary(analysis: ImageAnalysis): string | null {
  const { packages } = analysis;
  if (packages.managers.length === 0) return null;
  const owned = packages.items.reduce((sum, item) => sum + item.bytes, 0);
  return (
    `${packages.managers.join(', ')}: ${plural(packages.items.length, 'package')}, ${formatBytes(owned)}; ` +
    `${formatBytes(packages.unownedBytes)} in files no package owns`
  );
}
