/**
 * Where `strata ci` takes its thresholds from, highest precedence first: command-line flags; then
 * `--config FILE`, or `.strata.yaml` in the current directory; then `.dive-ci` in the current directory
 * (dive's format); then dive's defaults. Every layer is a YAML mapping with the rules under `rules:`.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { describeSystemError, StrataError } from '../util/errors.js';
import { RULES, RuleValueError, ruleDefinition, type RawValue, type RuleKey, type Threshold } from './rules.js';

export const STRATA_CONFIG = '.strata.yaml';
export const DIVE_CONFIG = '.dive-ci';

/** dive's defaults (`dive --ci` with no configuration). */
export const DIVE_DEFAULTS: Readonly<Partial<Record<RuleKey, string>>> = {
  lowestEfficiency: '0.9',
  highestWastedBytes: 'disabled',
  highestUserWastedPercent: '0.1',
};

export const EXIT_CONFIG = 2;

export type SettingSource =
  | { kind: 'default' }
  | { kind: 'flag'; flag: string }
  /** `file` as the user knows it: `.strata.yaml`, `.dive-ci`, or the `--config` argument. */
  | { kind: 'config' | 'dive-ci'; file: string };

/** One rule's threshold as written, and where it was written. */
export interface RuleSetting {
  key: RuleKey;
  raw: RawValue;
  source: SettingSource;
}

/** A rule ready to run: its threshold, or `null` when the rule is disabled. */
export interface ConfiguredRule {
  key: RuleKey;
  source: SettingSource;
  threshold: Threshold | null;
  /** The value as written, for messages. */
  written: string;
}

export interface CiConfigOptions {
  /** Thresholds from the command line, by rule. */
  flags?: Partial<Record<RuleKey, RawValue>>;
  /** The directory to look for `.strata.yaml` and `.dive-ci` in (the process's by default). */
  cwd?: string;
  /** `--config FILE`: read instead of `.strata.yaml` (relative to `cwd`). */
  configFile?: string;
  /** Told about ignored keys of `.dive-ci` (dive ignores them too). */
  warn?: (message: string) => void;
}

export interface CiConfig {
  rules: ConfiguredRule[];
  /** The files that were read, highest precedence first. */
  files: string[];
}

/** The configuration error of `strata ci`: exit 2, one line naming the file, key and value. */
export function configError(message: string): StrataError {
  return new StrataError(message).withExitCode(EXIT_CONFIG);
}

/** Loads and validates every layer; throws a configuration error (exit 2) for a bad file, key or value. */
export function loadCiConfig(options: CiConfigOptions = {}): CiConfig {
  const cwd = options.cwd ?? process.cwd();
  const files: string[] = [];
  const settings = new Map<RuleKey, RuleSetting>();
  const layer = (entries: RuleSetting[]): void => {
    for (const setting of entries) if (!settings.has(setting.key)) settings.set(setting.key, setting);
  };

  // Highest precedence first; a layer only fills what the ones above left unset.
  for (const [key, raw] of Object.entries(options.flags ?? {}) as Array<[RuleKey, RawValue]>) {
    if (raw !== undefined) layer([{ key, raw, source: { kind: 'flag', flag: ruleDefinition(key).flag } }]);
  }
  const configPath =
    options.configFile === undefined
      ? join(cwd, STRATA_CONFIG)
      : isAbsolute(options.configFile)
        ? options.configFile
        : resolve(cwd, options.configFile);
  const strata = readYaml(configPath, options.configFile !== undefined);
  if (strata !== undefined) {
    files.push(configPath);
    layer(rulesOf(strata, options.configFile ?? STRATA_CONFIG, 'config', options.warn));
  }
  const divePath = join(cwd, DIVE_CONFIG);
  const dive = readYaml(divePath, false);
  if (dive !== undefined) {
    files.push(divePath);
    layer(rulesOf(dive, DIVE_CONFIG, 'dive-ci', options.warn));
  }
  layer(Object.entries(DIVE_DEFAULTS).map(([key, raw]) => ({ key: key as RuleKey, raw, source: { kind: 'default' } })));

  const rules: ConfiguredRule[] = [];
  for (const definition of RULES) {
    const setting = settings.get(definition.key);
    if (setting === undefined) continue;
    rules.push(configure(setting));
  }
  return { rules, files };
}

/** "default", "--lowestEfficiency", ".strata.yaml": where a threshold came from, for people. */
export function sourceLabel(source: SettingSource): string {
  switch (source.kind) {
    case 'default':
      return 'default';
    case 'flag':
      return source.flag;
    default:
      return source.file;
  }
}

/** `disabled`, `off`, an empty value, `null` (and YAML's `false`, which is how YAML 1.1 reads `off`) skip a rule. */
export function isDisabled(raw: RawValue): boolean {
  if (raw === null || raw === undefined || raw === false) return true;
  if (typeof raw === 'string') return ['', 'disabled', 'off'].includes(raw.trim().toLowerCase());
  if (Array.isArray(raw)) return raw.length === 0;
  return false;
}

function configure(setting: RuleSetting): ConfiguredRule {
  const written = writtenValue(setting.raw);
  if (isDisabled(setting.raw)) return { key: setting.key, source: setting.source, threshold: null, written };
  const definition = ruleDefinition(setting.key);
  try {
    return { key: setting.key, source: setting.source, threshold: definition.parse(setting.raw), written };
  } catch (err) {
    if (!(err instanceof RuleValueError)) throw err;
    const where =
      setting.source.kind === 'flag'
        ? setting.source.flag
        : setting.source.kind === 'default'
          ? 'default'
          : `${setting.source.file}: rules.${setting.key}`;
    throw configError(
      `invalid ${setting.key} value ${JSON.stringify(written)} (${where}): ${err.message}; expected ` +
        `${definition.expects}, or disabled`,
    );
  }
}

function writtenValue(raw: RawValue): string {
  if (Array.isArray(raw)) return raw.map(String).join(',');
  return raw === null || raw === undefined ? '' : String(raw);
}

/** The parsed document, or undefined when the file is absent and not required. */
function readYaml(path: string, required: boolean): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if (!required && (err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw configError(`cannot read ${path}: ${describeSystemError(err)}`);
  }
  try {
    return parse(text) ?? {};
  } catch (err) {
    throw configError(`${path} is not valid YAML: ${((err as Error).message ?? String(err)).split('\n')[0]}`);
  }
}

const KEYS_BY_NAME = new Map(RULES.map((rule) => [normalizeKey(rule.key), rule.key]));

/** Keys match as viper matches them (case-insensitively), and kebab-case or snake_case work too. */
function normalizeKey(key: string): string {
  return key.replace(/[-_]/g, '').toLowerCase();
}

function rulesOf(
  document: unknown,
  file: string,
  kind: 'config' | 'dive-ci',
  warn?: (message: string) => void,
): RuleSetting[] {
  if (!isMapping(document)) throw configError(`${file}: expected a mapping with the rules under "rules:"`);
  const rules = document.rules;
  if (rules === undefined || rules === null) return [];
  if (!isMapping(rules)) throw configError(`${file}: "rules" must be a mapping of rule names to thresholds`);
  const settings: RuleSetting[] = [];
  for (const [name, raw] of Object.entries(rules)) {
    const key = KEYS_BY_NAME.get(normalizeKey(name));
    if (key === undefined) {
      const known = RULES.map((r) => r.key).join(', ');
      // dive ignores what it does not know; a typo in strata's own file would silently drop a gate.
      if (kind === 'dive-ci') warn?.(`${file}: ignoring unknown rule "${name}" (known: ${known})`);
      else throw configError(`${file}: unknown rule "${name}" (known: ${known})`);
      continue;
    }
    if (raw !== null && typeof raw === 'object' && !Array.isArray(raw))
      throw configError(`invalid ${key} value in ${file}: a mapping where a threshold is expected`);
    settings.push({ key, raw: raw as RawValue, source: { kind, file } });
  }
  return settings;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
