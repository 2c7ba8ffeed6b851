import type { Compression } from './types.js';

/** Tells compressions apart by magic bytes, never by name or media type. */
export function sniffCompression(head: Uint8Array): Compression {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 4 && head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) return 'zstd';
  return 'none';
}

export function layerMediaType(compression: Compression, flavour: 'oci' | 'docker'): string {
  if (flavour === 'oci') {
    return compression === 'none'
      ? 'application/vnd.oci.image.layer.v1.tar'
      : `application/vnd.oci.image.layer.v1.tar+${compression}`;
  }
  switch (compression) {
    case 'none':
      return 'application/vnd.docker.image.rootfs.diff.tar';
    case 'gzip':
      return 'application/vnd.docker.image.rootfs.diff.tar.gzip';
    case 'zstd':
      return 'application/vnd.docker.image.rootfs.diff.tar.zstd';
  }
}
