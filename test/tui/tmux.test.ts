import { describe, expect, it } from 'vitest';
import { eventually } from '../helpers/eventually.js';
import { hasTmux, screen, send, useTmuxShell } from '../helpers/tmux-shell.js';
import { fixtures } from '../helpers/paths.js';

describe.skipIf(!hasTmux)('the explorer in tmux at 120×40', () => {
  useTmuxShell();

  it('opens, answers keys, and gives the shell screen back on q', async () => {
    await eventually(() => expect(screen()).toContain('SHELL-BEFORE-STRATA'), 60_000);
    send(`node bin/strata.js ${JSON.stringify(fixtures('demo/demo.tar'))}`, 'Enter');
    await eventually(() => {
      const s = screen();
      expect(s).toContain('● Layers 9');
      expect(s).toContain('RUN apt-get update');
      expect(s).toMatch(/A .*bin → usr\/bin/);
    }, 60_000);
    expect(screen()).not.toContain('SHELL-BEFORE-STRATA'); // the alternate screen

    send('Tab');
    await eventually(() => expect(screen()).toContain('● Files'));

    send('Down', 'Down');
    await eventually(() => expect(screen()).toMatch(/changes of layer 0/));

    send(']');
    await eventually(() => {
      expect(screen()).toContain('changes of layer 1');
      expect(screen()).toMatch(/Layer 1 .*316 kB/);
    });

    send('v');
    await eventually(() => expect(screen()).toContain('layers 0..1 stacked'));

    send('/');
    send('-l', 'sshd');
    await eventually(() => expect(screen()).toContain('/sshd▏'));
    send('Enter');
    await eventually(() => expect(screen()).toMatch(/\/sshd 0 shown · \/ edits/)); // no sshd before layer 2
    send(']');
    await eventually(() => {
      const s = screen();
      expect(s).toContain('layers 0..2 stacked');
      expect(s).toMatch(/\/sshd [1-9]\d* shown · \/ edits/);
      expect(s).toMatch(/A .*sshd/);
      expect(s).not.toContain('os-release');
    });

    send('Left');
    send('q');
    await eventually(() => {
      const s = screen();
      expect(s).toContain('SHELL-BEFORE-STRATA');
      expect(s).not.toContain('● Layers');
    }, 60_000);
    send('echo "exit=$?"', 'Enter');
    await eventually(() => expect(screen()).toContain('exit=0'));
  });
});
