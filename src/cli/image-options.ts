import { Option, type Command } from 'commander';
import { parseSourceName, type SourceName } from '../image/reference.js';
import { StrataError } from '../util/errors.js';
import { packageRoot } from '../util/package-root.js';
import { join } from 'node:path';

/*
 * The flags every image-reading command shares. Kept free of heavy imports: this module loads on
 * every start, before the explorer's first frame. Opening and analysing live in open-image.ts,
 * which commands import when they run.
 */

/** The demo image built into the repo (`npm run fixtures` makes it). */
export const DEMO_IMAGE = join(packageRoot, 'fixtures', 'demo', 'demo.tar');

/** The flags that say how to open and analyse an image, shared by every command that reads one. */
export interface ImageFlags {
  verify: boolean;
  platform?: string;
  source?: SourceName;
  username?: string;
  passwordStdin?: boolean;
  insecure?: boolean;
  allLayers?: boolean;
  now?: Date;
  /** False with --no-cache. */
  cache?: boolean;
  /** --cache-dir: the layer-index cache's root (default $XDG_CACHE_HOME/strata or ~/.cache/strata). */
  cacheDir?: string;
}

export function addImageOptions(command: Command): Command {
  return command
    .option('--no-verify', 'skip the checks of blob digests and diff_ids')
    .addOption(new Option('--platform <os/arch[/variant]>', 'image to pick from a multi-platform index'))
    .addOption(new Option('--source <source>', 'force where the image comes from').argParser(parseSourceName))
    .option('--username <name>', 'registry user name (the password is read from stdin with --password-stdin)')
    .option('--password-stdin', 'read the registry password or token from stdin')
    .option('--insecure', 'allow plain HTTP and unverified TLS for a registry that is not on this machine')
    .option('--all-layers', 'also report risky files that a later layer hid (they are still in the image)')
    .option(
      '--cache-dir <dir>',
      'where the layer-index cache lives (default $XDG_CACHE_HOME/strata or ~/.cache/strata)',
    )
    .option('--no-cache', 'neither read nor write the layer-index cache')
    .addOption(
      new Option('--now <iso-date>', "the date to measure the image's age against (default: today)").argParser(
        parseDate,
      ),
    );
}

function parseDate(text: string): Date {
  const date = new Date(text);
  if (Number.isNaN(date.getTime()))
    throw new StrataError(`invalid --now "${text}": expected an ISO date such as 2026-01-31`);
  return date;
}
