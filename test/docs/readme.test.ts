import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT, EXIT_BROKEN_PIPE } from '../../src/cli/main.js';
import { EXIT_CONFIG } from '../../src/ci/config.js';
import { BINDINGS, displayKey } from '../../src/tui/input/bindings.js';
import { repoRoot } from '../helpers/paths.js';

const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');

/** The rows of the Markdown table under `heading`, as arrays of cells. */
function tableUnder(heading: string): string[][] {
  const section = readme.slice(readme.indexOf(`\n## ${heading}\n`));
  const rows = /\n(\|.*\|\n)+/.exec(section)?.[0].trim().split('\n') ?? [];
  return rows.slice(2).map((row) =>
    row
      .slice(1, -1)
      .split(/(?<!\\)\|/)
      .map((cell) => cell.trim()),
  );
}

describe('README', () => {
  it('is short enough to read in two minutes: at most 12 KB', () => {
    expect(Buffer.byteLength(readme)).toBeLessThanOrEqual(12 * 1024);
  });

  it('opens with the two set-up commands', () => {
    const firstBlock = /^```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    expect(firstBlock).toMatch(/^npm install && npm start\b/m);
    expect(firstBlock).toMatch(/^npm test\b/m);
  });

  it('says how to run strata from anywhere, and nothing of what users do not have', () => {
    expect(readme).toContain('npx strata');
    expect(readme).toMatch(/PATH with `npm link`/);
    expect(readme).not.toMatch(/\.\.\/shared|\/work\//);
  });

  it('documents every key binding as the explorer does', () => {
    for (const binding of BINDINGS) {
      const keys = binding.keys.map((k) => '`' + displayKey(k) + '`').join(' ');
      expect(readme, `key table row for ${keys}`).toContain(`| ${keys} | ${binding.help}`);
    }
  });

  it('lists every exit code the command line uses', () => {
    const codes = tableUnder('Exit codes').map(([code]) => Number(code));
    expect(codes).toEqual(
      expect.arrayContaining([EXIT.ok, EXIT.failure, EXIT.usage, EXIT_CONFIG, 3, EXIT_BROKEN_PIPE]),
    );
  });

  it('links only to files that exist, docs/ included', () => {
    const links = [...readme.matchAll(/\]\(([^)#]+)\)/g)].map((m) => m[1]!).filter((l) => !/^https?:/.test(l));
    expect(links).toEqual(expect.arrayContaining(['docs/architecture.md', 'docs/performance.md']));
    for (const link of links) expect(existsSync(join(repoRoot, link)), link).toBe(true);
  });
});
