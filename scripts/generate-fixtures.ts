/**
 * Writes strata's synthetic test images into fixtures/ (or another directory):
 *
 *   fixtures/formats/  one small image in every archive layout, plus a multi-platform index
 *   fixtures/cases/    one tiny image per layer-diff edge case, with expected statuses
 *   fixtures/bad/      inputs that are not valid images, for error tests
 *   fixtures/demo/     the "office hours" demo image
 *   fixtures/packages/ images with dpkg, apk and rpm databases
 *
 * Usage: `npm run fixtures` or `node dist/scripts/generate-fixtures.js [outDir]`.
 *
 * Deterministic: two runs give byte-identical files (fixed mtimes, seeded "random" bytes, fixed
 * gzip level, fixed zstd flags), and test/scripts/fixtures-generator.test.ts checks that the committed
 * fixtures are exactly what this script writes. Independent of src/ on purpose: it is the
 * cross-check of strata's reader, so it must not share code with it. Needs the `zstd` CLI.
 */
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeBad } from './fixtures/bad.js';
import { writeCases } from './fixtures/cases.js';
import { writeDemo } from './fixtures/demo.js';
import { writeFormats } from './fixtures/formats.js';
import { writePackages } from './fixtures/packages.js';
import { FixtureWriter, type GeneratedFile } from './fixtures/output.js';

export type { GeneratedFile };

/** The subdirectories of the output directory that the generator owns (and empties before writing). */
export const FIXTURE_DIRS = ['formats', 'cases', 'bad', 'demo', 'packages'] as const;

/**
 * Generates every fixture under `outDir` (relative paths resolve against the current directory).
 * The four subdirectories in FIXTURE_DIRS are deleted first so no stale file survives; anything
 * else in `outDir` is left alone. Returns the files written, sorted by path.
 */
export async function generateFixtures(outDir: string = 'fixtures'): Promise<GeneratedFile[]> {
  const root = resolve(outDir);
  for (const sub of FIXTURE_DIRS) rmSync(resolve(root, sub), { recursive: true, force: true });
  const out = new FixtureWriter(root);
  const basic = await writeFormats(out);
  await writeCases(out);
  await writeBad(out, basic);
  await writeDemo(out);
  await writePackages(out);
  return [...out.files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

const invokedDirectly = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  const outDir = process.argv[2] ?? 'fixtures';
  generateFixtures(outDir).then(
    (files) => {
      const total = files.reduce((s, f) => s + f.size, 0);
      for (const f of files) console.log(`${String(f.size).padStart(10)}  ${f.path}`);
      console.log(`${String(total).padStart(10)}  total, ${files.length} files in ${resolve(outDir)}`);
    },
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
