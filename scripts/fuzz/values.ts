/** The values mutations plant: edge cases of each field, and text that has broken parsers and terminals before. */

export const TAR_VALUES = {
  size: ['00000000000', '77777777777', '00000001000', 'zzzzzzzzzzz', '', ' 1 2 3', '-1', '377777777777'],
  typeflag: ['0', '1', '2', '3', '4', '5', '6', '7', 'g', 'x', 'L', 'K', 'S', 'V', 'M', 'D', '\0', 'Z'],
  mode: ['0004755', '0002755', '0007777', '7777777', '0000000', 'xyz', '0001777', '0100644'],
  name: [
    '../../../etc/passwd',
    '/etc/shadow',
    '',
    '.',
    './',
    'a/../../b',
    '.wh..wh..opq',
    'etc/.wh.passwd',
    '.wh.',
    'a'.repeat(100),
    'x\x1b]0;pwned\x07y',
    'bad\xff\xfename',
    'a//b///c',
    'etc/passwd/',
    'bin/sh',
    'root/.ssh/id_rsa',
  ],
  linkname: ['../../../../etc/passwd', '/', '', '.', 'a'.repeat(100), '/proc/self/root', 'bin/sh', '..'],
  uid: ['7777777', '0000000', 'abc', '0001750'],
  gid: ['7777777', '0000000', 'abc', '0001750'],
  mtime: ['77777777777', '00000000000', 'xx', '-1'],
  magic: ['ustar ', 'ustar\0', 'xxxxxx', ''],
  version: [' \0', '00', 'zz'],
  uname: ['root', '\x1b[2J', ''],
  gname: ['root', '\x1b[2J', ''],
  devmajor: ['7777777', 'zz'],
  devminor: ['7777777', 'zz'],
  prefix: ['a'.repeat(155), '../..', '/abs', 'usr/\x07bin'],
} as const;

/** Values in the base-256 encoding GNU tar uses for numbers too large for octal (high bit set). */
export const BASE256 = [
  Buffer.from([0x80, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]),
  Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe]),
  Buffer.from([0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10, 0]),
];

export const PAX_KEYS = [
  'path',
  'linkpath',
  'size',
  'mtime',
  'uid',
  'gid',
  'uname',
  'gname',
  'GNU.sparse.size',
  'GNU.sparse.map',
  'SCHILY.xattr.security.capability',
  'LIBARCHIVE.xattr.user.x',
  'hdrcharset',
];

export const PAX_VALUES = [
  '../../../etc/passwd',
  '/abs/path',
  '',
  '-1',
  '99999999999999999999',
  '1e400',
  '0.5',
  '1700000000.123456789',
  'a/'.repeat(2000) + 'leaf',
  'x'.repeat(70000),
  'name\x1b]2;title\x07',
  'bad\u0000nul',
  'etc/.wh..wh..opq',
];

/** Malformed PAX bodies: wrong lengths, missing separators, no newline. */
export const PAX_BROKEN = [
  '999 path=x\n',
  'abc path=x\n',
  '5 path=xyz\n',
  '12 pathx\n',
  '10 path=abc',
  '0 path=\n',
  '\n\n\n',
  '-12 path=x\n',
  '30 size=18446744073709551616\n',
];

export const STRINGS = [
  '',
  '../../../../etc',
  `sha256:${'f'.repeat(64)}`,
  'sha256:XYZ',
  `sha512:${'a'.repeat(128)}`,
  'x'.repeat(100_000),
  '\u001b]0;pwned\u0007\u001b[2J\u001b[31m',
  '\u202egnp.exe',
  '\ud800',
  'a\nb\r\nc',
  '%s%n%x',
  '__proto__',
  'linux/amd64',
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.layer.v1.tar+zstd',
  'application/vnd.docker.image.rootfs.diff.tar.gzip',
  '0001-01-01T00:00:00Z',
  '9999-12-31T23:59:59Z',
  'not a date',
  'root',
  '0:0',
  '4294967296:x',
  'AWS_SECRET_ACCESS_KEY=abcdefghijklmnopqrstuvwxyz0123456789ABCD',
  'https://user:secret@example.com/',
  '/bin/sh -c #(nop) ',
  'a'.repeat(5000) + '@',
];

export const NUMBERS = [0, -1, 1, 1.5, 1e308, -1e308, 2 ** 53 + 1, 2 ** 31, 2 ** 64, 1e-300];

export const KEYS = [
  '__proto__',
  'constructor',
  'mediaType',
  'digest',
  'size',
  'urls',
  'platform',
  'annotations',
  'Labels',
  'Env',
  'User',
  'history',
  'diff_ids',
  'empty_layer',
  'manifests',
  'layers',
  'config',
  'Layers',
  'Config',
  'RepoTags',
  'schemaVersion',
  'rootfs',
  'created',
];

/** Nested arrays `depth` deep: recursion over parsed documents shows up here. */
export function deepArray(depth: number): unknown {
  let node: unknown = [];
  for (let i = 0; i < depth; i++) node = [node];
  return node;
}

export function deepObject(depth: number): unknown {
  let node: unknown = {};
  for (let i = 0; i < depth; i++) node = { a: node };
  return node;
}

/** File contents that the analysis reacts to: keys, scripts, binaries, secrets. */
export const CONTENTS = [
  '-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n',
  '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n-----BEGIN PRIVATE KEY-----\nMII\n',
  '#!/bin/sh\nexec "$@"\n',
  '\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0',
  'AKIAIOSFODNN7EXAMPLE aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  'root:x:0:0:root:/root:/bin/bash\n',
  'https://user:hunter2@registry.example.com/',
];
