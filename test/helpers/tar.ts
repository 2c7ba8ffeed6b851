import tar from 'tar-stream';

export interface TarSpec {
  name: string;
  type?: 'file' | 'directory' | 'symlink' | 'link';
  content?: string | Buffer;
  mode?: number;
  linkname?: string;
}

/** Builds a tar in memory with tar-stream's packer (end marker included). */
export async function buildTar(specs: TarSpec[]): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  pack.on('data', (c: unknown) => {
    chunks.push(c as Buffer);
  });
  const ended = new Promise<void>((resolve, reject) => {
    pack.on('end', resolve);
    pack.on('error', reject);
  });
  for (const spec of specs) {
    const content = typeof spec.content === 'string' ? Buffer.from(spec.content) : spec.content;
    const header: Partial<tar.Header> & { name: string } = {
      name: spec.name,
      type: spec.type ?? 'file',
      mode: spec.mode ?? 0o644,
      mtime: new Date(0),
      uid: 0,
      gid: 0,
    };
    if (spec.linkname) header.linkname = spec.linkname;
    if (content) {
      header.size = content.length;
      pack.entry(header as tar.Header, content);
    } else {
      pack.entry(header as tar.Header);
    }
  }
  pack.finalize();
  await ended;
  return Buffer.concat(chunks);
}
