import { statSync } from 'node:fs';
import { parseFamiliarName } from '@swimlane/docker-reference';
import { ImageReadError, StrataError } from '../util/errors.js';
import { quoteInput } from '../util/escape.js';
import { hasUserInfo, maskUserInfo } from '../util/user-info.js';

/**
 * What the user typed, resolved to where the image comes from:
 *
 * | argument                                            | target                                  |
 * | --------------------------------------------------- | --------------------------------------- |
 * | `-`                                                 | an archive on stdin                     |
 * | an existing file or directory                       | archive or OCI layout                   |
 * | path-like: starts with `.` or `/`, ends in `.tar`,  | archive or OCI layout (file-not-found   |
 * |   `.tgz`, `.gz` or `.zst`                           |   when it does not exist)               |
 * | `docker-archive:FILE`, `oci-archive:FILE`,          | that format, explicitly                 |
 * |   `oci:DIR[:tag]`                                   |                                         |
 * | `registry://REF`                                    | the OCI distribution API                |
 * | `docker://REF`, `podman://REF`                      | an engine's API                         |
 * | any other `REF` (`nginx:1.27`)                      | the registry                            |
 *
 * `--source` forces one of them (see {@link SOURCE_NAMES}).
 */

/** Values of `--source`. */
export const SOURCE_NAMES = [
  'archive',
  'docker-archive',
  'oci-archive',
  'oci',
  'registry',
  'docker',
  'podman',
] as const;
export type SourceName = (typeof SOURCE_NAMES)[number];

/** A parsed, normalized image reference (`nginx:1.27` → docker.io/library/nginx:1.27). */
export interface ImageReference {
  /** Registry host as named (docker.io for Docker Hub), with its port if any. */
  domain: string;
  /** Repository path inside the registry: "library/nginx". */
  repository: string;
  /** The tag; "latest" when the reference has neither tag nor digest. */
  tag: string | null;
  /** "sha256:<hex>" when the reference pins one. */
  digest: string | null;
  /** domain/repository[:tag][@digest], the form shown to the user. */
  normalized: string;
}

export type ArchiveFormat = 'auto' | 'docker-archive' | 'oci-archive' | 'oci';

export type ImageTarget =
  /** A file, a directory or "-" (stdin); `format` is what an explicit prefix promised. */
  | { kind: 'path'; path: string; format: ArchiveFormat; tag: string | null }
  | { kind: 'registry'; reference: ImageReference }
  | { kind: 'engine'; engine: 'docker' | 'podman'; reference: ImageReference };

const PATH_SUFFIX = /\.(tar|tgz|gz|zst|tzst)$/i;
const PREFIXES: Array<[string, SourceName]> = [
  ['docker-archive:', 'docker-archive'],
  ['oci-archive:', 'oci-archive'],
  ['oci:', 'oci'],
  ['registry://', 'registry'],
  ['docker://', 'docker'],
  ['podman://', 'podman'],
];

/** Validates a `--source` value (a usage error when it is not one). */
export function parseSourceName(text: string): SourceName {
  if ((SOURCE_NAMES as readonly string[]).includes(text)) return text as SourceName;
  throw new StrataError(`invalid --source "${text}": expected one of ${SOURCE_NAMES.join(', ')}`);
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Looks like a path rather than a reference: `./x`, `/x`, `../x`, `x.tar`, `x.tar.gz`, `x.tgz`. */
export function isPathLike(arg: string): boolean {
  return arg.startsWith('.') || arg.startsWith('/') || PATH_SUFFIX.test(arg);
}

/**
 * Parses an image reference the way docker does: docker.io and library/ are filled in, `:latest`
 * is assumed when there is neither tag nor digest. Throws `StrataError` (usage) when invalid.
 */
export function parseReference(text: string): ImageReference {
  const shown = quoteInput(maskUserInfo(text));
  if (hasUserInfo(text)) throw new StrataError(`invalid image reference "${shown}": ${CREDENTIALS}`);
  let parsed: ReturnType<typeof parseFamiliarName>;
  try {
    parsed = parseFamiliarName(text);
  } catch (err) {
    throw new StrataError(`invalid image reference "${shown}": ${referenceProblem(text, err)}`);
  }
  const domain = parsed.domain ?? '';
  const repository = parsed.repository ?? '';
  if (!domain || !repository) throw new StrataError(`invalid image reference "${shown}": no repository name`);
  const digest = parsed.digest ?? null;
  if (digest !== null && !/^sha256:[0-9a-f]{64}$/.test(digest) && !/^sha512:[0-9a-f]{128}$/.test(digest)) {
    throw new StrataError(
      `invalid image reference "${shown}": the digest is malformed (expected sha256:<64 hex digits>)`,
    );
  }
  const tag = parsed.tag ?? (digest ? null : 'latest');
  return { domain, repository, tag, digest, normalized: formatReference({ domain, repository, tag, digest }) };
}

export function formatReference(ref: Pick<ImageReference, 'domain' | 'repository' | 'tag' | 'digest'>): string {
  return `${ref.domain}/${ref.repository}${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
}

/** Why a reference with `user:password@` in it is refused: a password typed there ends up in shell history and logs. */
const CREDENTIALS = 'credentials do not belong in a reference (give them with --username NAME --password-stdin)';

function referenceProblem(text: string, err: unknown): string {
  const message = (err as Error)?.message ?? String(err);
  if (text === '') return 'it is empty';
  if (/lowercase/.test(message)) return 'repository names must be lowercase';
  if (/64-byte hexadecimal/.test(message)) return 'a 64-hex-digit string is an image ID, not a repository name';
  if (/too long|more than/.test(message)) return 'the repository name is longer than 255 characters';
  const at = text.indexOf('@');
  if (/digest/i.test(message) || (at >= 0 && !/^sha256:[0-9a-f]{64}$/.test(text.slice(at + 1))))
    return 'the digest is malformed (expected sha256:<64 hex digits>)';
  return 'expected [registry/]repository[:tag][@sha256:digest]';
}

/** Splits `oci:DIR[:tag]`: the tag is what follows the last colon when it has no slash. */
function splitOciDir(rest: string): { path: string; tag: string | null } {
  const colon = rest.lastIndexOf(':');
  if (colon > 0 && !rest.slice(colon + 1).includes('/') && !exists(rest)) {
    const tag = rest.slice(colon + 1);
    return { path: rest.slice(0, colon), tag: tag === '' ? null : tag };
  }
  return { path: rest, tag: null };
}

function explicitPath(path: string, format: ArchiveFormat, prefix: string): ImageTarget {
  if (path === '') throw new StrataError(`${prefix} needs a path after the colon`);
  if (format === 'oci') {
    const { path: dir, tag } = splitOciDir(path);
    if (dir === '') throw new StrataError(`${prefix} needs a directory after the colon`);
    return { kind: 'path', path: dir, format, tag };
  }
  return { kind: 'path', path, format, tag: null };
}

/**
 * Resolves a command-line image argument (see the table above). `forced` is `--source`; an explicit
 * prefix that contradicts it is a usage error. Touches the file system only to see what exists.
 */
export function resolveImageArgument(arg: string, forced?: SourceName): ImageTarget {
  for (const [prefix, name] of PREFIXES) {
    if (!arg.startsWith(prefix)) continue;
    // "oci:..." could also be a file literally named so: an existing path wins, unless --source says otherwise.
    if (forced === undefined && exists(arg)) break;
    if (forced !== undefined && forced !== name && !(forced === 'archive' && isArchiveName(name))) {
      throw new StrataError(
        `"${quoteInput(maskUserInfo(arg))}" names a ${name} source, which contradicts --source ${forced}`,
      );
    }
    const rest = arg.slice(prefix.length);
    return targetFor(name, rest, prefix);
  }

  if (forced !== undefined && forced !== 'archive') return targetFor(forced, arg, `--source ${forced}`);
  if (arg === '-' || forced === 'archive' || exists(arg) || isPathLike(arg)) {
    return { kind: 'path', path: arg, format: 'auto', tag: null };
  }
  try {
    return { kind: 'registry', reference: parseReference(arg) };
  } catch (err) {
    // A bare word is as likely a mistyped file name as a reference: say both.
    const reason = (err as Error).message.replace(/^invalid image reference "[^"]*": /, '');
    throw new ImageReadError(`no such file or directory, and not a valid image reference (${reason})`);
  }
}

function isArchiveName(name: SourceName): boolean {
  return name === 'docker-archive' || name === 'oci-archive' || name === 'oci';
}

function targetFor(name: SourceName, rest: string, what: string): ImageTarget {
  switch (name) {
    case 'archive':
      return { kind: 'path', path: rest, format: 'auto', tag: null };
    case 'docker-archive':
    case 'oci-archive':
    case 'oci':
      return explicitPath(rest, name, what);
    case 'registry':
      return { kind: 'registry', reference: parseReference(rest) };
    case 'docker':
    case 'podman':
      return { kind: 'engine', engine: name, reference: parseReference(rest) };
  }
}
