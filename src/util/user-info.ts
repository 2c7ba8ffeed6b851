/**
 * Credentials written into an image reference (`registry://alice:secret@host/repo`, or without the
 * scheme) are refused, and never shown: wherever such a reference is printed, its user-info part is
 * replaced by `****`.
 */

const MASK = '****';

/**
 * A digest after an `@` (`nginx@sha256:…`, even a malformed one) ends no user-info; `host:5000` is no
 * digest (too few hex digits, no known algorithm).
 */
const DIGEST = /^(?:sha256|sha384|sha512|blake3):|^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[0-9a-f]{32,}$/i;

/** Where a reference's user-info starts and ends (at its `@`), or null when it has none. */
function userInfoOf(text: string): { start: number; at: number } | null {
  const scheme = text.indexOf('://');
  const start = scheme < 0 ? 0 : scheme + 3;
  const slash = text.indexOf('/', start);
  let end = slash < 0 ? text.length : slash;
  for (;;) {
    const at = text.lastIndexOf('@', end - 1);
    if (at < start) return null;
    if (!DIGEST.test(text.slice(at + 1, end))) return { start, at };
    end = at;
  }
}

/** The reference with its user-info (`alice:secret@`, `alice@`) masked: `registry://****@host/repo:tag`. */
export function maskUserInfo(reference: string): string {
  const info = userInfoOf(reference);
  return info === null ? reference : reference.slice(0, info.start) + MASK + reference.slice(info.at);
}

/** Whether a reference carries user-info. */
export function hasUserInfo(reference: string): boolean {
  return userInfoOf(reference) !== null;
}

/**
 * Any `user:password@` in a message masked, wherever it sits: the last line of defence for a
 * message that quoted a reference. Only a user-info with a password is masked (`name@host` alone
 * may be an e-mail address, and holds no secret).
 */
export function maskPasswords(message: string): string {
  if (!message.includes('@')) return message;
  return message.replace(/[^\s"'()<>[\]]+/g, (token) => {
    const info = token.includes('@') ? userInfoOf(token) : null;
    if (info === null || !token.slice(info.start, info.at).includes(':')) return token;
    return token.slice(0, info.start) + MASK + token.slice(info.at);
  });
}
