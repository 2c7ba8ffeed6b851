import { formatBytes, oneLineCommand, plural, truncate } from '../../util/format.js';
import type { RootPath } from './types.js';

/** What kind of Dockerfile step made a layer, as far as its `created_by` tells. */
export interface Step {
  kind: 'RUN' | 'COPY' | 'ADD' | 'other' | 'unknown';
  /** The step as a person would write it, shortened; "" when the history is missing. */
  text: string;
  /** `ADD rootfs.tar /` or a missing history on layer 0: the base image's filesystem. */
  base: boolean;
}

const STEP_WIDTH = 50;

/** Reads a layer's `created_by`: `RUN apt-get update`, `COPY /tmp/seed.sql` (the context hash dropped). */
export function stepOf(command: string, layer: number): Step {
  let line = oneLineCommand(expandBuildArgs(command)).replace(/^RUN \/bin\/(?:ba)?sh -c /, 'RUN ');
  if (line === '') return { kind: 'unknown', text: '', base: layer === 0 };
  const legacyBase = /^ADD file:[0-9a-f]+ in \/\s*$/.test(line);
  // Docker's legacy form: `COPY file:<sha256> in /dest`; the hash names the build context, not a path.
  line = line.replace(/\b(?:file|dir|multi):[0-9a-f]{16,}(?: in)?\s*/g, '').trim();
  const word = /^(RUN|COPY|ADD)\b\s*/.exec(line);
  if (!word) return { kind: 'other', text: truncate(line, STEP_WIDTH), base: layer === 0 };
  const kind = word[1] as 'RUN' | 'COPY' | 'ADD';
  const text = kind === 'RUN' ? line.slice(word[0].length) : line;
  return { kind, text: truncate(text, STEP_WIDTH), base: legacyBase || (layer === 0 && kind === 'ADD') };
}

/**
 * Docker and buildah prefix a RUN that has build args with them (`|1 PACKAGES=a b /bin/sh -c apt-get
 * install $PACKAGES`); the step reads better with the values in place.
 */
function expandBuildArgs(command: string): string {
  const prefix = /^\|\d+ ([^]*?) (?=\/bin\/sh -c )/.exec(command);
  if (!prefix) return command;
  const args = new Map<string, string>();
  for (const part of prefix[1]!.split(/ (?=[A-Za-z_][A-Za-z0-9_]*=)/)) {
    const eq = part.indexOf('=');
    if (eq > 0) args.set(part.slice(0, eq), part.slice(eq + 1));
  }
  const body = command.slice(prefix[0].length);
  return body.replace(
    /\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (whole, braced?: string, bare?: string) => args.get((braced ?? bare)!) ?? whole,
  );
}

/** "layer 1 (`apt-get update`)", "layer 8 (`COPY /tmp/seed.sql`)", or "layer 3" when the history is missing. */
export function layerRef(layer: number, command: string, capital = false): string {
  const step = stepOf(command, layer);
  const name = `${capital ? 'Layer' : 'layer'} ${layer}`;
  return step.text === '' ? name : `${name} (\`${step.text}\`)`;
}

export { plural };

/** "/a, /b and 3 more": the first few paths of an explanation. */
export function listRoots(roots: readonly RootPath[], max = 3): string {
  const shown = roots.slice(0, max).map((root) => root.path);
  const rest = roots.length - shown.length;
  if (rest > 0) return `${shown.join(', ')} and ${rest} more`;
  if (shown.length <= 1) return shown.join('');
  return `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
}

/**
 * What the group covers, in words: "/tmp/seed.sql (24.7 MB)" for one file, "6 files (52.9 MB) in
 * /var/lib/apt/lists" for one directory, "18 files (1.7 MB) in /a, /b and 2 more" otherwise.
 */
export function describeRoots(roots: readonly RootPath[], count: number, bytes: number): string {
  const size = formatBytes(bytes);
  const only = roots.length === 1 ? roots[0] : undefined;
  if (only && !only.directory) return `${only.path} (${size})`;
  if (only) return `${plural(count, 'file')} (${size}) in ${only.path}`;
  return `${plural(count, 'file')} (${size}) in ${listRoots(roots)}`;
}

export function octal(mode: number): string {
  return mode.toString(8).padStart(4, '0');
}
