import { afterEach, describe, expect, it } from 'vitest';
import { fixtures } from '../helpers/paths.js';
import { hasTmux, TmuxTerminal } from '../helpers/tmux.js';

let terminal: TmuxTerminal | null = null;
afterEach(() => {
  terminal?.close();
  terminal = null;
});

describe.skipIf(!hasTmux)('the packages overlay in tmux at 100×30', () => {
  it('P lists the packages; enter on curl filters the tree to its files', async () => {
    const t = new TmuxTerminal(100, 30);
    terminal = t;
    t.run(`node bin/strata.js ${JSON.stringify(fixtures('packages/dpkg.tar'))}`);
    await t.waitFor((s) => expect(s).toContain('● Layers 3'));

    t.keys('P');
    await t.waitFor((s) => {
      expect(s).toMatch(/dpkg \(\d+ packages\)/);
      expect(s).toMatch(/▶ .*curl 7\.88\.1-10 +L1 · 1 file/);
    });

    t.keys('Enter');
    const s = await t.waitFor((screen) => {
      expect(screen).toContain('/pkg:curl');
      expect(screen).toContain('layers 0..2 stacked');
      expect(screen).toMatch(/└── curl/);
      expect(screen).toContain('Filetree · from curl');
    });
    expect(s).not.toMatch(/── bash/);

    t.keys('q');
    await t.waitFor((screen) => expect(screen).not.toContain('● Files'));
  });
});
