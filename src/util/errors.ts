import { getSystemErrorMap } from 'node:util';
import { MESSAGE_MAX_BYTES, messageLine } from './escape.js';
import { maskPasswords } from './user-info.js';

/**
 * An error meant for the user: its message is one line that says what is wrong, and the CLI prints
 * it without a stack trace. Anything else that escapes is a bug, and is reported as such.
 */
export class StrataError extends Error {
  override readonly name = 'StrataError';
  /** The exit code, when the command wants another than its kind's default (1 for images, 2 for usage). */
  exitCode?: number;

  withExitCode(code: number): this {
    this.exitCode = code;
    return this;
  }
}

/** The command line is wrong (exit 2): the message, then a hint of where to read how to use it. */
export class UsageError extends StrataError {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}

/** The input cannot be read as an image (exit 1; exit 3 for `strata ci`). */
export class ImageReadError extends StrataError {}

/** A digest did not match what names it (exit 1). */
export class VerificationError extends ImageReadError {}

/** Node's system errors carry a code; turn the common ones into plain words. */
export function describeSystemError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  switch (e?.code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    case 'ENOTDIR':
      return 'not a directory';
    case 'EMFILE':
      return 'too many open files';
    default: {
      // Node's own wording for the rest ("no space left on device"), without its code and syscall.
      const known = typeof e?.errno === 'number' ? getSystemErrorMap().get(e.errno)?.[1] : undefined;
      return known ?? e?.message ?? String(err);
    }
  }
}

/**
 * Every line strata writes to stderr (errors and notices) goes through here: one line of at most
 * 1,000 bytes, control characters escaped and passwords masked, whatever the message quoted.
 */
export function errorLine(message: string): string {
  return `strata: ${messageLine(maskPasswords(message), MESSAGE_MAX_BYTES - 'strata: '.length)}\n`;
}
