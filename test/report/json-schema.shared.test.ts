import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hasShared, shared } from '../helpers/paths.js';
import { jsonReportOf, schemaErrors } from '../helpers/report-schema.js';

/** The real images: ../shared/images and dive's own test images. */
const images = hasShared
  ? [
      ...readdirSync(shared('images'))
        .filter((name) => /\.tar(?:\.gz|\.zst)?$/.test(name))
        .map((name) => shared('images', name)),
      // dive's images that are images (its other test files hold a README, not a manifest).
      ...readdirSync(shared('peer-images', 'dive'))
        .filter((name) => /^test-(?:docker|kaniko|oci-.*)-image\.tar$/.test(name))
        .map((name) => shared('peer-images', 'dive', name)),
    ]
  : [];

describe.skipIf(!hasShared)('schema/report-v1.schema.json on the real images', () => {
  it('finds them', () => {
    expect(images.length).toBeGreaterThanOrEqual(10);
  });

  it.each(images)('validates the --json report of %s', async (image) => {
    expect(schemaErrors(await jsonReportOf(image))).toEqual([]);
  });
});
