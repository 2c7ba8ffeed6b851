/** The user's words for a layer that cannot be read (shared with the fast range indexer). */
export function describeLayerError(err: unknown, compression: string): Error {
  const message = (err as Error)?.message ?? String(err);
  if (/Unexpected end of data/i.test(message)) return new Error('truncated: the layer ends inside a tar entry');
  if (/Invalid tar header|Unknown format|checksum/i.test(message))
    return new Error('not a tar archive (invalid tar header)');
  if (/unexpected end of file/i.test(message)) return new Error(`truncated ${compression} data`);
  if (/incorrect header check|invalid (block|code|distance|stored)/i.test(message))
    return new Error(`corrupt ${compression} data`);
  return new Error(message);
}
