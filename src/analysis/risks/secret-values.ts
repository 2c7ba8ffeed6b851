/**
 * Telling secrets from settings, by name and by value. Shared by the file rules (.npmrc, .pypirc, .netrc)
 * and by the image audit (ENV and labels).
 */

/** `${NPM_TOKEN}`, `$TOKEN`, `%TOKEN%`: a reference filled in at run time, not a secret. */
export function isLiteralSecret(value: string): boolean {
  const v = value.trim();
  if (v === '') return false;
  return !/^(?:\$\{[A-Za-z_][A-Za-z0-9_]*(?::?-[^}]*)?\}|\$[A-Za-z_][A-Za-z0-9_]*|%[A-Za-z_][A-Za-z0-9_]*%)$/.test(v);
}

/**
 * Names that hold secrets: passwords, tokens, secrets, credentials, API/private/access keys. A bare
 * `KEY` is not enough (`GPG_KEY` in official images is a public fingerprint), nor is `PWD` (a directory).
 */
const KEY_KINDS = 'api|apps?|private|secret|access|auth|client|encryption|signing|master|license';
const SECRET_WORDS = `pass(?:word|wd|phrase)?|secret|token|credentials?|(?:${KEY_KINDS})[-_.]?key|apikey|auth`;
const SECRET_NAME = new RegExp(`(?:^|[^a-z])(?:${SECRET_WORDS})(?:[^a-z]|$)`, 'i');

/** Names that mention a secret but hold where it is, not what it is. */
const REFERENCE_WORDS =
  'file|path|dir|url|uri|endpoint|host|port|type|method|mode|enabled?|length|size|ttl|expiry|expires|header|name|id';
const REFERENCE_NAME = new RegExp(`(?:^|[^a-z])(?:${REFERENCE_WORDS})$`, 'i');

export function isSecretName(name: string): boolean {
  if (!SECRET_NAME.test(name)) return false;
  // "auth" alone is too weak unless it ends the name ("BASIC_AUTH"); references are never secrets by name.
  return !REFERENCE_NAME.test(name);
}

interface ValuePattern {
  what: string;
  pattern: RegExp;
}

/** Values that are secrets whatever they are called. */
const SECRET_VALUES: readonly ValuePattern[] = [
  { what: 'an AWS access key id', pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { what: 'a private key', pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----/ },
  { what: 'a GitHub token', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,})\b/ },
  { what: 'a GitLab token', pattern: /\bglpat-[A-Za-z0-9_-]{20,}\b/ },
  { what: 'a Slack token', pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/ },
  { what: 'a Stripe key', pattern: /\b[sr]k_live_[A-Za-z0-9]{16,}\b/ },
  { what: 'a Google API key', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/ },
  { what: 'an npm token', pattern: /\bnpm_[A-Za-z0-9]{36}\b/ },
  { what: 'a PyPI token', pattern: /\bpypi-[A-Za-z0-9_-]{50,}\b/ },
  { what: 'a JSON web token', pattern: /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/ },
  { what: 'a URL with a password', pattern: /[a-z][a-z0-9+.-]*:\/\/[^\s/:@]+:[^\s/@]+@/i },
];

/** What kind of secret a value plainly is ("an AWS access key id"), or null. */
export function secretValueKind(value: string): string | null {
  for (const { what, pattern } of SECRET_VALUES) if (pattern.test(value)) return what;
  return null;
}

/**
 * A secret shown without giving it away: its first characters only when the value is long enough for
 * them to say nothing useful (a key's prefix tells its kind), and its length.
 */
export function maskSecret(value: string): string {
  const shown = value.length >= 16 ? value.slice(0, 4) : '';
  return `${shown}${'*'.repeat(8)} (${value.length} characters)`;
}
