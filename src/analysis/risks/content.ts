/** Reading the first bytes and captured content of files, for the rules. */

const ELF_MAGIC = '\x7fELF';

/** ELF magic or a `#!` shebang: executable content, whatever the file is called or its mode says. */
export function isExecutableContent(head: string | undefined): boolean {
  return head !== undefined && (head.startsWith('#!') || head.startsWith(ELF_MAGIC));
}

export function isElf(head: string | undefined): boolean {
  return head?.startsWith(ELF_MAGIC) ?? false;
}

const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8');

/** Bytes as text, one character per byte (never fails, keeps offsets). */
export function asLatin1(bytes: Uint8Array | undefined): string {
  return bytes === undefined ? '' : latin1.decode(bytes);
}

export function asUtf8(bytes: Uint8Array | undefined): string {
  return bytes === undefined ? '' : utf8.decode(bytes);
}

/** PEM (and OpenSSH, PuTTY, PGP) private-key headers. Public certificates and public keys do not match. */
const PEM_PRIVATE_KEY =
  '-----BEGIN ((?:RSA |EC |DSA |OPENSSH |ENCRYPTED |ANY )?PRIVATE KEY|PGP PRIVATE KEY BLOCK)-----';
const PRIVATE_KEY_HEADER = new RegExp(String.raw`${PEM_PRIVATE_KEY}|PuTTY-User-Key-File-\d+:`);

/**
 * The kind of private key whose header the bytes (or a file's head, one character per byte) show
 * ("RSA PRIVATE KEY"), or null.
 */
export function privateKeyHeader(bytes: Uint8Array | string | undefined): string | null {
  if (bytes === undefined || bytes.length === 0) return null;
  if (typeof bytes === 'string' ? !bytes.includes('-----B') && !bytes.includes('PuTTY-') : !mayHoldKeyHeader(bytes))
    return null;
  const match = PRIVATE_KEY_HEADER.exec(typeof bytes === 'string' ? bytes : asLatin1(bytes));
  if (match === null) return null;
  return match[1] ?? 'PuTTY PRIVATE KEY';
}

const DASH = 0x2d;

/** "-----B" or "PuTTY-" somewhere: most files have neither, and are ruled out without decoding. */
function mayHoldKeyHeader(b: Uint8Array): boolean {
  for (let i = 0; i + 6 <= b.length; i++) {
    const c = b[i];
    if (
      c === DASH &&
      b[i + 1] === DASH &&
      b[i + 2] === DASH &&
      b[i + 3] === DASH &&
      b[i + 4] === DASH &&
      b[i + 5] === 0x42
    )
      return true;
    if (
      c === 0x50 &&
      b[i + 1] === 0x75 &&
      b[i + 2] === 0x54 &&
      b[i + 3] === 0x54 &&
      b[i + 4] === 0x59 &&
      b[i + 5] === DASH
    )
      return true;
  }
  return false;
}

/** A readable name for a private-key header kind. */
export function describeKeyKind(kind: string): string {
  switch (kind) {
    case 'RSA PRIVATE KEY':
      return 'an RSA private key';
    case 'EC PRIVATE KEY':
      return 'an EC private key';
    case 'DSA PRIVATE KEY':
      return 'a DSA private key';
    case 'OPENSSH PRIVATE KEY':
      return 'an OpenSSH private key';
    case 'ENCRYPTED PRIVATE KEY':
      return 'an encrypted private key (PKCS#8)';
    case 'PGP PRIVATE KEY BLOCK':
      return 'a PGP private key';
    case 'PuTTY PRIVATE KEY':
      return 'a PuTTY private key';
    default:
      return 'a private key (PKCS#8)';
  }
}

/** Lines of a captured text file, without comments (`#`, `;`) and blank lines. */
export function meaningfulLines(content: Uint8Array | undefined): string[] {
  return asUtf8(content)
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#') && !line.startsWith(';'));
}

/** `KEY=value` / `KEY: value` / `key = value` assignments with a non-empty value. */
export function assignments(content: Uint8Array | undefined): Array<{ key: string; value: string }> {
  const out: Array<{ key: string; value: string }> = [];
  for (const line of meaningfulLines(content)) {
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.\-/:@]*)\s*[=:]\s*(.*)$/.exec(line);
    if (match === null) continue;
    const value = match[2]!.trim().replace(/^(['"])(.*)\1$/, '$2');
    if (value !== '') out.push({ key: match[1]!, value });
  }
  return out;
}
