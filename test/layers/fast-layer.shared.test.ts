import { describe, expect, it } from 'vitest';
import { hasShared, shared } from '../helpers/paths.js';
import { streamed, streamedHere, fast, archiveLayers, imageFiles } from '../helpers/layer-outcomes.js';

describe.skipIf(!hasShared)('the fast indexer gives tar-stream’s index for every layer of the shared images', () => {
  const files = hasShared ? [...imageFiles(shared('images')), ...imageFiles(shared('peer-images', 'dive'))] : [];
  it.each(files)(
    '%s',
    async (path) => {
      for (const { name, bytes } of await archiveLayers(path)) {
        for (const hash of [true, false]) {
          const want = await streamed(bytes, hash, 1 << 20);
          expect(await fast(bytes, 1 << 20, hash), `${name} (${hash})`).toStrictEqual(want);
          expect(await streamedHere(bytes, hash, 1 << 20), `${name} streamed (${hash})`).toStrictEqual(want);
        }
      }
    },
    300_000,
  );
});
