import { once } from 'node:events';

/**
 * An array written element by element: its elements are made when they are written, so the whole
 * array never exists, neither as objects nor as text. The JSON report's per-layer file lists run to
 * 100k+ entries: held whole, they and their text would be the largest part of `--json`'s peak memory.
 */
export class StreamedArray<T> {
  constructor(
    readonly length: number,
    readonly item: (index: number) => T,
  ) {}
}

const INDENT = '  ';

function containsStreamed(value: object): boolean {
  for (const key in value) if ((value as Record<string, unknown>)[key] instanceof StreamedArray) return true;
  return false;
}

function isStreamed(value: unknown): boolean {
  return (
    value instanceof StreamedArray ||
    (value !== null && typeof value === 'object' && !Array.isArray(value) && containsStreamed(value))
  );
}

/** Elements stringified together: one native JSON.stringify call per batch instead of one per element. */
const BATCH = 1024;

/**
 * `JSON.stringify(value, null, 2)` as it reads where `value` sits, `depth` levels deep (its first
 * line not indented, the others indented to match). The value is stringified nested in `depth`
 * arrays, so JSON.stringify indents it where it goes, and those arrays' brackets are sliced off:
 * depth × (depth + 3) characters before it, depth × (depth + 1) after. What JSON cannot hold
 * (undefined, a function) is written as null, as JSON.stringify does in an array. Indenting the
 * text afterwards instead (a replaceAll over every line) would cost about as much again as stringifying.
 */
function stringifiedAt(value: unknown, depth: number): string {
  let nested = value;
  for (let level = 0; level < depth; level++) nested = [nested];
  const text = JSON.stringify(nested, null, 2) ?? 'null';
  return text.slice(depth * (depth + 3), text.length - depth * (depth + 1));
}

/**
 * The text of `JSON.stringify(value, null, 2)`, in pieces. What holds no StreamedArray is left to
 * the native JSON.stringify (fast; a StreamedArray's plain elements go to it in batches); objects
 * holding one and StreamedArrays themselves are written here, one member at a time.
 */
export function* jsonPieces(value: unknown, depth = 0): Generator<string> {
  const pad = INDENT.repeat(depth);
  const inner = `\n${pad}${INDENT}`;
  if (value instanceof StreamedArray) {
    if (value.length === 0) {
      yield '[]';
      return;
    }
    let batch: unknown[] = [];
    let first = true;
    const flush = function* (): Generator<string> {
      if (batch.length === 0) return;
      // The batch as an array where this one sits, without its brackets: the elements' lines.
      const text = stringifiedAt(batch, depth);
      yield `${first ? '[' : ','}${text.slice(1, text.length - pad.length - 2)}`;
      first = false;
      batch = [];
    };
    for (let index = 0; index < value.length; index++) {
      const element = value.item(index);
      if (!isStreamed(element)) {
        batch.push(element);
        if (batch.length === BATCH) yield* flush();
        continue;
      }
      yield* flush();
      yield first ? `[${inner}` : `,${inner}`;
      first = false;
      yield* jsonPieces(element, depth + 1);
    }
    yield* flush();
    yield `\n${pad}]`;
    return;
  }
  if (isStreamed(value)) {
    let first = true;
    for (const [key, member] of Object.entries(value as object)) {
      // Skipped as JSON.stringify skips them.
      if (member === undefined || typeof member === 'function' || typeof member === 'symbol') continue;
      yield `${first ? '{' : ','}${inner}${JSON.stringify(key)}: `;
      yield* jsonPieces(member, depth + 1);
      first = false;
    }
    yield first ? '{}' : `\n${pad}}`;
    return;
  }
  yield stringifiedAt(value, depth);
}

/**
 * Writes `JSON.stringify(value, null, 2)` and a newline to `stream`, in chunks of about
 * `chunkSize` characters, waiting whenever the stream asks to.
 */
export async function writeJson(value: unknown, stream: NodeJS.WritableStream, chunkSize = 1 << 20): Promise<void> {
  let buffer = '';
  for (const piece of jsonPieces(value)) {
    buffer += piece;
    if (buffer.length >= chunkSize) {
      if (!stream.write(buffer)) await once(stream, 'drain');
      buffer = '';
    }
  }
  if (!stream.write(`${buffer}\n`)) await once(stream, 'drain');
}
