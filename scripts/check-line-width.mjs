#!/usr/bin/env node
// Fails, naming file:line, on any source line wider than the formatter's width. Biome wraps code but
// never splits a string, a template or a comment, so those can still overflow; this check catches them.
// Plain JavaScript so that `npm run lint` runs it before anything is built.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const MAX_COLUMNS = 120;
const FOLDERS = ['src', 'test', 'bench', 'scripts', 'bin'];
const SOURCE = /\.(?:ts|tsx|mts|cts|js|mjs|cjs|jsx)$/;
const root = fileURLToPath(new URL('..', import.meta.url));

function* sourceFiles(dir) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    if (err.code === 'ENOENT') return;
    throw err;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') yield* sourceFiles(path);
    } else if (entry.isFile() && SOURCE.test(entry.name)) yield path;
  }
}

const overlong = [];
for (const folder of FOLDERS) {
  for (const file of sourceFiles(join(root, folder))) {
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        // Columns as an editor counts them: code points, not UTF-16 units.
        const columns = [...line.replace(/\r$/, '')].length;
        if (columns > MAX_COLUMNS) overlong.push(`${relative(root, file)}:${i + 1}: ${columns} columns`);
      });
  }
}
if (overlong.length > 0) {
  console.error(overlong.join('\n'));
  console.error(`${overlong.length} line(s) over ${MAX_COLUMNS} columns: break strings, templates and comments`);
  process.exit(1);
}
