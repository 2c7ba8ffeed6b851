import { Readable } from 'node:stream';

/**
 * Reads at least `bytes` bytes of a stream (fewer if it ends first) so that a format can be told by
 * its magic bytes, and returns a stream that replays everything from byte 0. `onChunk` sees every
 * chunk once, for progress.
 */
export async function peekStream(
  input: AsyncIterable<Uint8Array>,
  bytes: number,
  onChunk?: (chunk: Buffer) => void,
): Promise<{ head: Buffer; stream: Readable }> {
  const iterator = input[Symbol.asyncIterator]();
  const chunks: Buffer[] = [];
  let length = 0;
  let finished = false;
  while (length < bytes) {
    const next = await iterator.next();
    if (next.done) {
      finished = true;
      break;
    }
    const chunk = toBuffer(next.value);
    onChunk?.(chunk);
    chunks.push(chunk);
    length += chunk.length;
  }
  async function* replay(): AsyncGenerator<Buffer> {
    yield* chunks;
    if (finished) return;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      const chunk = toBuffer(next.value);
      onChunk?.(chunk);
      yield chunk;
    }
  }
  return { head: Buffer.concat(chunks), stream: Readable.from(replay(), { objectMode: false }) };
}

function toBuffer(value: Uint8Array): Buffer {
  return Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
}
