import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { dist } from '../helpers/dist-child.js';
import { hasTmux, TmuxTerminal } from '../helpers/tmux.js';

/**
 * The explorer gives the terminal back on every way out, at every size, from its first frame: the
 * normal screen with only the shell's lines on it, the cursor shown, mouse reporting off. Each test
 * waits for what it needs to see on the screen, never for an amount of time.
 */
const GIVEN_BACK = { alternateScreen: false, cursorVisible: true, mouseReporting: false };
/** Anything of the explorer's frames: box drawing, the status bar, the splash. */
const FRAME = /[│┃╭╮┏┓╰╯┗┛]|\? help|reading and verifying/;

let terminal: TmuxTerminal | null = null;
let server: Server | null = null;
afterEach(() => {
  terminal?.close();
  terminal = null;
  server?.close();
  server = null;
});

/** A terminal with the shell's own line on it, then strata started with `args`. */
async function start(columns: number, rows: number, args: string): Promise<TmuxTerminal> {
  terminal = new TmuxTerminal(columns, rows);
  terminal.run('echo SHELL-BEFORE-STRATA');
  await terminal.waitFor((s) => expect(s).toContain('SHELL-BEFORE-STRATA'));
  terminal.run(`node bin/strata.js ${args}; echo "exit=$?"`);
  return terminal;
}

async function explorerShown(t: TmuxTerminal): Promise<void> {
  await t.waitFor((s) => expect(s).toContain('? help'));
}

/** Waits for the shell to report strata's exit, then checks that nothing of strata is left. */
async function givenBack(t: TmuxTerminal, exitCode: RegExp): Promise<void> {
  const screen = await t.waitFor((s) => expect(s).toMatch(/exit=\d+/));
  expect(screen).toMatch(exitCode);
  expect(screen).toContain('SHELL-BEFORE-STRATA');
  expect(screen).not.toMatch(FRAME);
  expect(t.state()).toEqual(GIVEN_BACK);
}

describe.skipIf(!hasTmux)('the terminal after the explorer', () => {
  it.each([
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const)('is given back on %s at 40×12', async (signal, code) => {
    const t = await start(40, 12, '');
    await explorerShown(t);
    process.kill(await t.childPid('node'), signal);
    await givenBack(t, new RegExp(`exit=${code}`));
  });

  it.each([
    [80, 24, 120, 40],
    [120, 40, 40, 12],
  ])('is given back on q after the window goes from %i×%i to %i×%i', async (columns, rows, toColumns, toRows) => {
    const t = await start(columns, rows, '');
    await explorerShown(t);
    t.resize(toColumns, toRows);
    // The frame redrawn at the new size: its top border now ends at the last column.
    await t.waitFor((s) => expect([...s.split('\n')[0]!.trimEnd()]).toHaveLength(toColumns));
    await explorerShown(t);
    t.keys('q');
    await givenBack(t, /exit=0/);
  });

  it('is given back on ctrl+c while the image is still being read', async () => {
    // A registry that takes connections and never answers: the read stays pending.
    const sockets: Socket[] = [];
    server = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    server.on('close', () => {
      for (const socket of sockets) socket.destroy();
    });
    const { port } = server.address() as { port: number };
    const t = await start(100, 30, `127.0.0.1:${port}/strata/never:latest`);
    await t.waitFor(() => expect(t.state().alternateScreen).toBe(true));
    t.keys('C-c');
    // SIGINT before the explorer reads the keyboard, a key once it does: either way, the screen back.
    await givenBack(t, /exit=(130|0)/);
  });

  it('is given back on ctrl+c from the first frame, before the explorer is even loaded', async () => {
    // The screen as the explorer enters it first thing, held there: only the session is in charge.
    const script =
      `const { enterAlternateScreen } = await import(${JSON.stringify(`${dist}/src/tui/terminal.js`)});` +
      `enterAlternateScreen(process.stdout, (code) => process.exit(code));` +
      `process.stdout.write('SCREEN-' + 'ENTERED'); setInterval(() => {}, 1000);`;
    const t = (terminal = new TmuxTerminal(60, 20));
    t.run('echo SHELL-BEFORE-STRATA');
    t.run(`node --input-type=module -e ${JSON.stringify(script)}; echo "exit=$?"`);
    await t.waitFor((s) => expect(s).toContain('SCREEN-ENTERED'));
    expect(t.state()).toMatchObject({ alternateScreen: true, mouseReporting: true });
    t.keys('C-c');
    await givenBack(t, /exit=130/);
  });
});
