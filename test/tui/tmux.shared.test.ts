import { describe, expect, it } from 'vitest';
import { eventually } from '../helpers/eventually.js';
import { hasShared, shared } from '../helpers/paths.js';
import { hasTmux, screen, send, useTmuxShell } from '../helpers/tmux-shell.js';

describe.skipIf(!hasTmux || !hasShared)('the explorer in tmux at 120×40, on the wasteful image', () => {
  useTmuxShell();

  it('finds, jumps to risks, shows history and the waste list on the wasteful image', async () => {
    await eventually(() => expect(screen()).toContain('SHELL-BEFORE-STRATA'), 60_000);
    send('clear', 'Enter');
    send(`node bin/strata.js ${JSON.stringify(shared('images/wasteful.oci-archive.tar'))}`, 'Enter');
    await eventually(() => {
      const s = screen();
      expect(s).toContain('RUN apt-get update');
      expect(s).toContain('● Layers 14');
    }, 60_000);

    send('f');
    await eventually(() => expect(screen()).toContain('find  type to search'));
    send('-l', 'seed-data');
    await eventually(() => expect(screen()).toMatch(/▶ \/tmp\/seed-data\.sql +L8 A · L9 R/));
    send('Enter');
    await eventually(() => {
      const s = screen();
      expect(s).toContain('changes of layer 9');
      expect(s).toMatch(/R .*└── seed-data\.sql/);
    });

    send('n');
    await eventually(() => expect(screen()).toMatch(/\((high|medium|low)\) \/\S+: \S/));

    send('i');
    await eventually(() => {
      const s = screen();
      expect(s).toMatch(/history of \/\S+/);
      expect(s).toMatch(/layer status +mode/);
    });
    send('Escape');

    send('w');
    await eventually(() => {
      const s = screen();
      expect(s).toContain('waste: 81.2 MB shipped but hidden');
      expect(s).toContain('/tmp/seed-data.sql');
    });
    send('Escape');
    send('q');
    await eventually(() => expect(screen()).not.toContain('● Layers'), 60_000);
  });
});
