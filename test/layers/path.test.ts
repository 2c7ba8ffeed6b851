import { describe, expect, it } from 'vitest';
import { decodeNameBytes, normalizePath, whiteoutOf } from '../../src/layers/path.js';

describe('normalizePath', () => {
  it.each([
    ['./etc/passwd', '/etc/passwd'],
    ['/etc/passwd', '/etc/passwd'],
    ['etc//ssh/./sshd_config', '/etc/ssh/sshd_config'],
    ['usr/lib/', '/usr/lib'],
    ['a/b/../c', '/a/c'],
    ['../../etc/x', '/etc/x'],
    ['a/../../../../b', '/b'],
    ['./', '/'],
    ['.', '/'],
  ])('%s → %s', (raw, expected) => {
    expect(normalizePath(raw)).toBe(expected);
  });
});

describe('whiteoutOf', () => {
  it('reads a file whiteout as the path it hides', () => {
    expect(whiteoutOf('/var/lib/apt/lists/.wh.partial')).toEqual({
      kind: 'file',
      hidden: '/var/lib/apt/lists/partial',
    });
    expect(whiteoutOf('/.wh.tmp')).toEqual({ kind: 'file', hidden: '/tmp' });
  });
  it('reads an opaque marker as its directory', () => {
    expect(whiteoutOf('/opt/app/config/.wh..wh..opq')).toEqual({ kind: 'opaque', dir: '/opt/app/config' });
  });
  it('treats other .wh..wh. names as bookkeeping, not files', () => {
    expect(whiteoutOf('/.wh..wh.plnk')).toEqual({ kind: 'meta' });
  });
  it('leaves ordinary names alone', () => {
    expect(whiteoutOf('/etc/wh.conf')).toBeNull();
  });
});

describe('decodeNameBytes', () => {
  it('keeps valid UTF-8', () => {
    expect(decodeNameBytes(Buffer.from('données/naïve-文件.txt'))).toBe('données/naïve-文件.txt');
  });
  it('escapes bytes that are not UTF-8, keeping the valid ones', () => {
    expect(decodeNameBytes(Buffer.from([0x61, 0xff, 0x62, 0xc3, 0xa9]))).toBe('a\\xffbé');
    expect(decodeNameBytes(Buffer.from([0xe9, 0x74, 0xe9]))).toBe('\\xe9t\\xe9');
  });
});
