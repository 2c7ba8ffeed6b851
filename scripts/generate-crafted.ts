/**
 * Writes the crafted images of scripts/crafted/images.ts into a directory, with what strata must do
 * with each: `npm run crafted -- OUTDIR [NAME...]`. The suite makes them itself, in a temporary
 * directory (test/cli/crafted-images.test.ts); nothing here is committed.
 */
import { resolve } from 'node:path';
import { CRAFTED } from './crafted/images.js';

async function main(argv: string[]): Promise<void> {
  const [outDir, ...names] = argv;
  if (!outDir) throw new Error('usage: npm run crafted -- OUTDIR [NAME...]');
  for (const image of CRAFTED) {
    if (names.length > 0 && !names.includes(image.name)) continue;
    const path = await image.write(resolve(outDir));
    const outcome = image.outcome.kind === 'refused' ? `refused (${image.outcome.message})` : image.outcome.kind;
    console.log(
      `${path}\n    ${image.what}\n    expected: ${outcome}${image.knownDefect ? `; ${image.knownDefect}` : ''}`,
    );
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
