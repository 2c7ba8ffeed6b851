import { isLiteralSecret, isSecretName, maskSecret, secretValueKind } from '../risks/secret-values.js';

/** Values that say "on", "off" or "nothing" rather than hold a secret. */
const NOT_A_SECRET = /^(?:true|false|yes|no|on|off|none|null|nil|0|1|-|\*+|x+|changeme|redacted)$/i;

export interface SecretSetting {
  /** Why it looks like a secret: "its name" or the kind of value ("an AWS access key id"). */
  why: string;
  masked: string;
}

/** A name = value setting (ENV, label) that looks like it holds a secret; the value is never returned. */
export function secretSetting(name: string, value: string): SecretSetting | null {
  const kind = secretValueKind(value);
  if (kind !== null) return { why: kind, masked: maskSecret(value) };
  if (!isSecretName(name) || !isLiteralSecret(value) || NOT_A_SECRET.test(value.trim())) return null;
  return { why: 'its name', masked: maskSecret(value) };
}
