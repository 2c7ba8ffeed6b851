import { describe, expect, it } from 'vitest';
import { parseBytes } from '../../src/ci/parse-bytes.js';

describe("parseBytes (go-humanize's ParseBytes, as dive uses it)", () => {
  it.each([
    ['42', 42],
    ['1B', 1],
    ['1b', 1],
    ['0', 0],
    ['42MB', 42_000_000],
    ['42mb', 42_000_000],
    ['20Mb', 20_000_000],
    ['20MB', 20_000_000],
    ['42MiB', 44_040_192],
    ['42mib', 44_040_192],
    ['42MIB', 44_040_192],
    ['42 MB', 42_000_000],
    ['42 MiB', 44_040_192],
    ['42.5MB', 42_500_000],
    ['42.5 MiB', 44_564_480],
    ['42M', 42_000_000],
    ['42Mi', 44_040_192],
    ['42 mi', 44_040_192],
    ['50kB', 50_000],
    ['50KB', 50_000],
    ['50k', 50_000],
    ['1KiB', 1024],
    ['1Ki', 1024],
    ['1GB', 1e9],
    ['1GiB', 1024 ** 3],
    ['1TB', 1e12],
    ['1.5', 1],
    ['1.', 1],
    ['.5k', 500],
    ['12.5 EB', 12.5e18],
    ['20MB ', 20_000_000],
  ])('%s is %d bytes', (text, bytes) => {
    expect(parseBytes(text)).toBe(bytes);
  });

  it.each([
    ['', /invalid number/],
    ['MB', /invalid number/],
    ['.', /invalid number/],
    ['1.2.3MB', /invalid number/],
    [' 20MB', /invalid number/],
    ['-1MB', /invalid number/],
    ['84 JB', /unhandled size name "jb"/],
    ['20 megabytes', /unhandled size name "megabytes"/],
    ['1e3', /unhandled size name "e3"/],
    ['16 EiB', /too large/],
  ])('%j is refused', (text, reason) => {
    expect(() => parseBytes(text)).toThrow(reason);
  });
});
