import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BINDINGS, displayKey } from '../src/tui/input/bindings.js';
import { repoRoot } from './helpers/paths.js';

const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');

describe('README', () => {
  it('opens with the two set-up commands', () => {
    const firstBlock = /^```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    expect(firstBlock).toMatch(/^npm install && npm start\b/m);
    expect(firstBlock).toMatch(/^npm test\b/m);
  });

  it('documents every key binding as the explorer does', () => {
    for (const binding of BINDINGS) {
      const keys = binding.keys.map((k) => '`' + displayKey(k) + '`').join(' ');
      expect(readme, `key table row for ${keys}`).toContain(`| ${keys} | ${binding.help}`);
    }
  });
});
