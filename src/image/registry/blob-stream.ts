import { setTimeout as sleep } from 'node:timers/promises';
import { ImageReadError, VerificationError } from '../../util/errors.js';
import type { RegistryClient } from './client.js';
import { describeNetworkError, isRetriableNetworkError, NetworkError, type Transport } from './transport.js';

/**
 * A blob's bytes as one run of chunks, whatever happens to the connection: when it drops in the middle (a
 * network error worth retrying), the rest is asked for again (`Range: bytes=N-`; from a registry
 * that ignores the range, the whole blob, whose first N bytes are skipped), a bounded number of
 * times, with the transport's backoff. A registry that sends more bytes than the manifest lists is
 * refused (VerificationError): a blob is never read past its descriptor.
 */
export async function* blobChunks(
  client: RegistryClient,
  transport: Transport,
  blob: { digest: string; size: number | null },
  label: string,
): AsyncGenerator<Buffer> {
  let received = 0;
  for (let attempt = 0; ; attempt++) {
    const response = await client.blob(blob.digest, label, received);
    let skip = received > 0 && response.status !== 206 ? received : 0;
    if (received > 0 && response.status === 206) {
      const start = /^bytes (\d+)-/.exec(String(response.headers['content-range'] ?? ''))?.[1];
      if (Number(start) !== received) {
        response.body.destroy();
        throw new ImageReadError(`${label}: the registry resumed the blob at another byte than asked`);
      }
    }
    try {
      for await (const chunk of response.body as AsyncIterable<Buffer>) {
        let data = chunk;
        if (skip > 0) {
          if (data.length <= skip) {
            skip -= data.length;
            continue;
          }
          data = data.subarray(skip);
          skip = 0;
        }
        received += data.length;
        if (blob.size !== null && received > blob.size)
          throw new VerificationError(
            `${label}: the registry sent more than the ${blob.size} bytes the manifest lists`,
          );
        yield data;
      }
      return;
    } catch (err) {
      if (err instanceof ImageReadError) throw err;
      if (attempt < transport.retry.attempts && isRetriableNetworkError(err)) {
        await sleep(transport.backoff(attempt, null));
        continue;
      }
      const { code, detail } = describeNetworkError(err);
      throw new NetworkError(client.registry, code, `${detail} while reading ${label}`);
    } finally {
      // Read to the end, dropped, or given up by the reader: the connection is not read further.
      response.body.destroy();
    }
  }
}
