import type { ImageIndex } from '../../src/image/types.js';
import { hashUnhashed } from '../../src/layers/unhashed.js';

/**
 * The image with every content hash its read left for later computed, so that indexes read in
 * different ways (in place, streamed, through an engine) compare whole. test/image/deferred-work.test.ts
 * checks what a read leaves unhashed.
 */
export async function everyFileHashed(image: ImageIndex): Promise<ImageIndex> {
  for (const layer of image.layers) await hashUnhashed(layer);
  return image;
}
