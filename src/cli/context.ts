/** Where a command writes, so tests can run the CLI in-process with captured streams. */
export interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WriteStream;
}

/** What every command gets: its streams, and a way to set the process's exit code. */
export interface CommandContext {
  io: Io;
  setExitCode: (code: number) => void;
}

export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;
