import { describe, expect, it } from 'vitest';
import { readMemberTable } from '../../src/image/archive/seekable.js';
import { hasShared, shared } from '../helpers/paths.js';
import { sameAsStreamed, streamedTable, tarsIn } from '../helpers/read-both-ways.js';

describe.skipIf(!hasShared)('the shared real images read the same in place as streamed', () => {
  const files = hasShared ? [...tarsIn(shared('images')), ...tarsIn(shared('peer-images', 'dive'))] : [];
  it.each(files)(
    '%s',
    async (path) => {
      expect([...(await readMemberTable(path)).entries()]).toStrictEqual([...(await streamedTable(path)).entries()]);
      // Some of dive's test archives hold only a README: the same error either way is the point.
      await sameAsStreamed(path);
    },
    300_000,
  );
});
