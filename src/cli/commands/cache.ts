import type { Command } from 'commander';
import { parseDuration } from '../../cache/duration.js';
import { LayerCache } from '../../cache/layer-cache.js';
import { formatBytes } from '../../util/format.js';
import type { CommandContext } from '../context.js';

interface CacheFlags {
  cacheDir?: string;
  json?: boolean;
}

interface PruneFlags extends CacheFlags {
  olderThan?: number;
}

/** `strata cache info` and `strata cache prune [--older-than 30d]`: the layer-index cache. */
export function registerCache(program: Command, context: CommandContext): void {
  const { io } = context;
  const cache = program
    .command('cache')
    .description('show or empty the layer-index cache (layers already read are not downloaded again)');

  cache
    .command('info')
    .description('where the cache is, how many layer entries it holds and their size')
    .option('--cache-dir <dir>', 'the cache root (default $XDG_CACHE_HOME/strata or ~/.cache/strata)')
    .option('--json', 'print it as JSON')
    .action(async (_local: CacheFlags, command: Command) => {
      const flags = command.optsWithGlobals<CacheFlags>();
      const info = await new LayerCache({ dir: flags.cacheDir }).info();
      if (flags.json) {
        const json = {
          dir: info.dir,
          entries: info.entries,
          bytes: info.bytes,
          oldest: info.oldest?.toISOString() ?? null,
          newest: info.newest?.toISOString() ?? null,
        };
        io.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
        return;
      }
      const lines = [`layer-index cache: ${info.dir}`, `entries: ${info.entries}`, `size: ${formatBytes(info.bytes)}`];
      if (info.oldest && info.newest)
        lines.push(`last used: ${info.oldest.toISOString()} to ${info.newest.toISOString()}`);
      io.stdout.write(`${lines.join('\n')}\n`);
    });

  cache
    .command('prune')
    .description('remove every entry, or those not used for a while (--older-than)')
    .option('--cache-dir <dir>', 'the cache root (default $XDG_CACHE_HOME/strata or ~/.cache/strata)')
    .option(
      '--older-than <age>',
      'only entries not written or used for this long: 30d, 12h, 2w, 90m, 45s',
      parseDuration,
    )
    .action(async (_local: PruneFlags, command: Command) => {
      // The program's own --cache-dir may have taken the value: read both levels.
      const flags = command.optsWithGlobals<PruneFlags>();
      const store = new LayerCache({ dir: flags.cacheDir });
      const result = await store.prune(flags.olderThan);
      io.stdout.write(
        `removed ${result.removed} ${result.removed === 1 ? 'entry' : 'entries'} (` +
          `${formatBytes(result.bytes)}) from ${store.dir}\n`,
      );
    });

  // Nested commands get the program's settings too: usage errors exit 2, output goes to `io`.
  for (const command of [cache, ...cache.commands]) {
    command
      .exitOverride()
      .showHelpAfterError()
      .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
  }
}
