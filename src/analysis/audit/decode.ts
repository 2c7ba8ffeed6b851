import { secretSetting } from './secret-settings.js';

/**
 * Base64-encoded JSON or YAML hidden in a label value: decoded, recognized, and shown with any
 * secret-looking value masked. YAML is recognized by its shape (mappings, sequences, document markers),
 * not by a full parser: what matters is that a person sees it.
 */

const STANDARD = /^[A-Za-z0-9+/]+={0,2}$/;
const URL_SAFE = /^[A-Za-z0-9_-]+={0,2}$/;
const MIN_ENCODED = 8;

export type EncodedFormat = 'json' | 'yaml';

export interface DecodedLabel {
  format: EncodedFormat;
  /** The decoded text, secrets masked. */
  text: string;
  /** JSON only: the parsed value, secrets masked. */
  value?: unknown;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The text a base64 value decodes to, when it is base64 and decodes to printable UTF-8. */
export function decodeBase64Text(value: string): string | null {
  const v = value.trim();
  if (v.length < MIN_ENCODED || (!STANDARD.test(v) && !URL_SAFE.test(v))) return null;
  const unpadded = v.replace(/=+$/, '');
  if (unpadded.length % 4 === 1) return null;
  let text: string;
  try {
    text = utf8.decode(Buffer.from(v, STANDARD.test(v) ? 'base64' : 'base64url'));
  } catch {
    return null;
  }
  // Printable text only: tabs and newlines allowed, other control characters mean binary.
  if (text.trim() === '' || /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffd]/.test(text)) return null;
  return text;
}

export function decodeLabel(value: string): DecodedLabel | null {
  const text = decodeBase64Text(value);
  if (text === null) return null;
  const trimmed = text.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      const masked = maskJson(parsed);
      return { format: 'json', text: JSON.stringify(masked, null, 2), value: masked };
    } catch {
      // not JSON: maybe YAML flow style, judged below
    }
  }
  return looksLikeYaml(text) ? { format: 'yaml', text: maskYaml(text) } : null;
}

const YAML_KEY = /^\s*(?:-\s+)?(?:"[^"]*"|'[^']*'|[A-Za-z0-9_./-]+)\s*:(?:\s|$)/;
const YAML_ITEM = /^\s*-(?:\s|$)/;
const YAML_MARKER = /^(?:---|\.\.\.)(?:\s|$)/;

/** Most meaningful lines are `key: value`, `- item`, document markers, or indented continuations. */
export function looksLikeYaml(text: string): boolean {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '' && !line.trimStart().startsWith('#'));
  if (lines.length === 0) return false;
  let keys = 0;
  let shaped = 0;
  for (const line of lines) {
    if (YAML_KEY.test(line)) {
      keys++;
      shaped++;
    } else if (YAML_ITEM.test(line) || YAML_MARKER.test(line) || /^\s+\S/.test(line)) shaped++;
  }
  // A single "key: value" line counts; prose with a stray colon does not (its other lines break the shape).
  return keys > 0 && shaped === lines.length && !/^[a-z][a-z0-9+.-]*:\/\//i.test(text.trim());
}

function maskJson(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) return value.map((item) => maskJson(item, key));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskJson(v, k)]));
  }
  if (typeof value === 'string') {
    const secret = secretSetting(key, value);
    return secret === null ? value : secret.masked;
  }
  return value;
}

function maskYaml(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      const match = /^(\s*(?:-\s+)?["']?([A-Za-z0-9_./-]+)["']?\s*:\s+)(.*?)\s*$/.exec(line);
      if (match === null) return line;
      const value = match[3]!.replace(/^(['"])(.*)\1$/, '$2');
      const secret = secretSetting(match[2]!, value);
      return secret === null ? line : `${match[1]}${secret.masked}`;
    })
    .join('\n');
}
