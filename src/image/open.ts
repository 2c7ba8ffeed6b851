import { StrataError } from '../util/errors.js';
import { settleOptions, type ImageOptions, type OpenOptions } from './options.js';
import { readImage } from './read.js';
import { resolveImageArgument, type ImageReference, type ImageTarget } from './reference.js';
import type { ImageSource } from './source.js';
import type { ImageIndex } from './types.js';

/**
 * Reads the image an argument names (see `openSource`), and closes its source: what a command that
 * only needs the index (the analysis, the reports) calls.
 */
export async function openImage(argument: string, options: OpenOptions = {}): Promise<ImageIndex> {
  const source = await openSource(argument, options);
  try {
    return await readImage(source);
  } finally {
    await source.close();
  }
}

/**
 * The source of the image an argument names, the one place where sources are told apart: a path
 * (archive, OCI layout, "-" for stdin), an explicit `docker-archive:`/`oci-archive:`/`oci:` path, a
 * registry reference (`registry://REF` or a bare `REF`), or an engine's API (`docker://REF`,
 * `podman://REF`). A bare `REF` is taken from a running engine that has the image, else from its
 * registry; `onNotice` is told which. Read it with `readImage`; close it when done.
 */
export async function openSource(argument: string, options: OpenOptions = {}): Promise<ImageSource> {
  const settled = settleOptions(options);
  const target = resolveImageArgument(argument, settled.source);
  // Only a bare reference: not registry://REF, not --source registry, and not with registry credentials.
  const bare =
    target.kind === 'registry' &&
    settled.source === undefined &&
    !argument.startsWith('registry://') &&
    settled.credentials === null;
  if (bare && settled.probeEngines) return bareReference(target.reference, settled);
  return sourceFor(target, settled);
}

/** Each source's reader is loaded when an image comes from it: start-up loads none but the one used. */
async function sourceFor(target: ImageTarget, options: ImageOptions): Promise<ImageSource> {
  switch (target.kind) {
    case 'registry': {
      const { RegistrySource } = await import('./registry/source.js');
      return new RegistrySource(target.reference, options);
    }
    case 'engine': {
      const { EngineSource } = await import('./engine/source.js');
      return new EngineSource(target.engine, target.reference, options);
    }
    case 'path': {
      const { openArchiveSource } = await import('./archive/source.js');
      return openArchiveSource(target, options);
    }
  }
}

/** A bare `REF`: the first running engine that has it (docker, then podman), else its registry. */
async function bareReference(reference: ImageReference, options: ImageOptions): Promise<ImageSource> {
  const { EngineSource, findInEngines } = await import('./engine/source.js');
  const match = await findInEngines(reference, { env: options.env, platform: options.platform });
  if (match) {
    options.onNotice(`reading ${reference.normalized} from ${match.engine} (${match.socket.url})`);
    return new EngineSource(match.engine, reference, options, match);
  }
  options.onNotice(
    `reading ${reference.normalized} from its registry (${reference.domain}); no running docker or podman has it`,
  );
  return sourceFor({ kind: 'registry', reference }, options);
}

/** --password-stdin: the whole of standard input, one trailing newline dropped. */
export async function readPasswordStdin(input: NodeJS.ReadableStream = process.stdin): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of input as AsyncIterable<Buffer | string>)
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  const text = Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
  if (text === '') throw new StrataError('--password-stdin: standard input is empty');
  return text;
}
