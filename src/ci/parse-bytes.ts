/**
 * dive's `highestWastedBytes` parser: go-humanize's `ParseBytes`, rule for rule. A number (digits and
 * dots), then an optional unit, case-insensitive, spaces around it ignored: "B", "kB", "KiB", "MB",
 * "MiB"… up to "EB"/"EiB", or just "k", "Ki", "M"… SI units are powers of 1000, "i" units of 1024, and
 * a trailing "b" is a byte, not a bit ("20Mb" is 20,000,000). The result is truncated to whole bytes.
 */

const UNITS: ReadonlyMap<string, number> = new Map([
  ['', 1],
  ['b', 1],
  ['k', 1e3],
  ['kb', 1e3],
  ['ki', 1024],
  ['kib', 1024],
  ['m', 1e6],
  ['mb', 1e6],
  ['mi', 1024 ** 2],
  ['mib', 1024 ** 2],
  ['g', 1e9],
  ['gb', 1e9],
  ['gi', 1024 ** 3],
  ['gib', 1024 ** 3],
  ['t', 1e12],
  ['tb', 1e12],
  ['ti', 1024 ** 4],
  ['tib', 1024 ** 4],
  ['p', 1e15],
  ['pb', 1e15],
  ['pi', 1024 ** 5],
  ['pib', 1024 ** 5],
  ['e', 1e18],
  ['eb', 1e18],
  ['ei', 1024 ** 6],
  ['eib', 1024 ** 6],
]);

/** 2^64: humanize refuses sizes that do not fit a uint64. */
const MAX_UINT64 = 2 ** 64;

export class ByteSizeError extends Error {}

/** Bytes from "20MB", "20Mb", "1.5 GiB", "1B", "42"; throws ByteSizeError with humanize's reason. */
export function parseBytes(text: string): number {
  const digits = /^[0-9.]*/.exec(text)![0];
  // Go's strconv.ParseFloat over the digits and dots: "1.", ".5" and "1.5" parse; "", "." and "1.2.3" do not.
  if (!/^(?:\d+\.?\d*|\.\d+)$/.test(digits)) throw new ByteSizeError(`invalid number "${digits}"`);
  const number = Number(digits);
  const unit = text.slice(digits.length).trim().toLowerCase();
  const scale = UNITS.get(unit);
  if (scale === undefined) throw new ByteSizeError(`unhandled size name "${unit}"`);
  const bytes = number * scale;
  if (bytes >= MAX_UINT64) throw new ByteSizeError(`too large: ${text}`);
  return Math.floor(bytes);
}
