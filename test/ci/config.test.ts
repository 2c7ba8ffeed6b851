import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCiConfig, sourceLabel, type CiConfigOptions } from '../../src/ci/config.js';
import { RULES } from '../../src/ci/rules.js';
import { StrataError } from '../../src/util/errors.js';

const dirs: string[] = [];
function workdir(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'strata-ci-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** rule → [threshold as JSON, source], for the rules that are configured. */
function table(options: CiConfigOptions): Record<string, [unknown, string]> {
  const out: Record<string, [unknown, string]> = {};
  for (const rule of loadCiConfig(options).rules)
    out[rule.key] = [rule.threshold?.json ?? 'disabled', sourceLabel(rule.source)];
  return out;
}

function configError(options: CiConfigOptions): StrataError {
  try {
    loadCiConfig(options);
  } catch (err) {
    expect(err).toBeInstanceOf(StrataError);
    expect((err as StrataError).exitCode).toBe(2);
    return err as StrataError;
  }
  throw new Error('expected a configuration error');
}

describe('strata ci configuration', () => {
  it("defaults to dive's: lowestEfficiency 0.9, highestWastedBytes disabled, highestUserWastedPercent 0.1", () => {
    expect(table({ cwd: workdir() })).toEqual({
      lowestEfficiency: [0.9, 'default'],
      highestWastedBytes: ['disabled', 'default'],
      highestUserWastedPercent: [0.1, 'default'],
    });
  });

  it("loads .dive-ci from the current directory in dive's format", () => {
    const cwd = workdir({
      '.dive-ci':
        'rules:\n  lowestEfficiency: 0.95\n  highestWastedBytes: 20MB\n  highestUserWastedPercent: disabled\n',
    });
    const config = loadCiConfig({ cwd });
    expect(config.files).toEqual([join(cwd, '.dive-ci')]);
    expect(table({ cwd })).toEqual({
      lowestEfficiency: [0.95, '.dive-ci'],
      highestWastedBytes: [20_000_000, '.dive-ci'],
      highestUserWastedPercent: ['disabled', '.dive-ci'],
    });
  });

  it('precedence: flags, then .strata.yaml (or --config), then .dive-ci, then the defaults', () => {
    const cwd = workdir({
      '.dive-ci': 'rules:\n  lowestEfficiency: 0.5\n  highestWastedBytes: 1MB\n  highestUserWastedPercent: 0.3\n',
      '.strata.yaml': 'rules:\n  lowestEfficiency: 0.6\n  highestWastedBytes: 2MB\n  maxRiskSeverity: medium\n',
      'other.yaml': 'rules:\n  lowestEfficiency: 0.7\n',
    });
    expect(table({ cwd, flags: { lowestEfficiency: '0.8' } })).toEqual({
      lowestEfficiency: [0.8, '--lowestEfficiency'],
      highestWastedBytes: [2_000_000, '.strata.yaml'],
      highestUserWastedPercent: [0.3, '.dive-ci'],
      maxRiskSeverity: ['medium', '.strata.yaml'],
    });
    // --config replaces .strata.yaml; .dive-ci still fills the rest.
    expect(table({ cwd, configFile: 'other.yaml' })).toEqual({
      lowestEfficiency: [0.7, 'other.yaml'],
      highestWastedBytes: [1_000_000, '.dive-ci'],
      highestUserWastedPercent: [0.3, '.dive-ci'],
    });
    expect(loadCiConfig({ cwd, configFile: 'other.yaml' }).files).toEqual([
      join(cwd, 'other.yaml'),
      join(cwd, '.dive-ci'),
    ]);
    // A flag can switch off a rule a file sets.
    expect(table({ cwd, flags: { highestWastedBytes: 'off' } }).highestWastedBytes).toEqual([
      'disabled',
      '--highestWastedBytes',
    ]);
  });

  it('disabled, off, an empty value and null all skip a rule', () => {
    const cwd = workdir({
      '.strata.yaml':
        'rules:\n  lowestEfficiency:\n  highestUserWastedPercent: "off"\n  highestWastedBytes: ""\n  ' +
        'maxAgeDays: null\n  forbid: []\n',
    });
    expect(table({ cwd })).toEqual({
      lowestEfficiency: ['disabled', '.strata.yaml'],
      highestWastedBytes: ['disabled', '.strata.yaml'],
      highestUserWastedPercent: ['disabled', '.strata.yaml'],
      forbid: ['disabled', '.strata.yaml'],
      maxAgeDays: ['disabled', '.strata.yaml'],
    });
    expect(
      table({ cwd: workdir(), flags: { lowestEfficiency: 'disabled', highestUserWastedPercent: '' } }),
    ).toMatchObject({
      lowestEfficiency: ['disabled', '--lowestEfficiency'],
      highestUserWastedPercent: ['disabled', '--highestUserWastedPercent'],
    });
  });

  it("reads strata's own rules, in camelCase or kebab-case", () => {
    const cwd = workdir({
      '.strata.yaml': [
        'rules:',
        '  highestHiddenBytes: 50MB',
        '  lowest-exact-efficiency: 0.8',
        '  maxRiskSeverity: High',
        '  forbid: [secret, privilege.setuid, "shell.bash,root-user"]',
        '  maxAgeDays: 90',
      ].join('\n'),
    });
    expect(table({ cwd })).toMatchObject({
      highestHiddenBytes: [50_000_000, '.strata.yaml'],
      lowestExactEfficiency: [0.8, '.strata.yaml'],
      maxRiskSeverity: ['high', '.strata.yaml'],
      forbid: [['secret', 'privilege.setuid', 'shell.bash', 'root-user'], '.strata.yaml'],
      maxAgeDays: [90, '.strata.yaml'],
    });
  });

  it('an invalid threshold is a configuration error that names the key and the value', () => {
    expect(configError({ cwd: workdir(), flags: { lowestEfficiency: 'high' } }).message).toBe(
      'invalid lowestEfficiency value "high" (--lowestEfficiency): not a number; expected a fraction ' +
        'between 0 and 1, such as 0.9, or disabled',
    );
    expect(configError({ cwd: workdir(), flags: { highestUserWastedPercent: '10' } }).message).toMatch(
      /invalid highestUserWastedPercent value "10" .*outside the allowed range 0-1/,
    );
    expect(configError({ cwd: workdir({ '.dive-ci': 'rules:\n  highestWastedBytes: 20 XB\n' }) }).message).toBe(
      'invalid highestWastedBytes value "20 XB" (.dive-ci: rules.highestWastedBytes): unhandled size ' +
        'name "xb"; expected a size such as 20MB, 20Mb, 512KiB or 1B, or disabled',
    );
    expect(configError({ cwd: workdir(), flags: { maxRiskSeverity: 'critical' } }).message).toMatch(
      /invalid maxRiskSeverity value "critical".*none, low, medium, high/,
    );
    expect(configError({ cwd: workdir(), flags: { forbid: ['secret,sekret'] } }).message).toMatch(
      /invalid forbid value "secret,sekret".*unknown entry "sekret"/,
    );
    expect(configError({ cwd: workdir(), flags: { maxAgeDays: '-3' } }).message).toMatch(
      /invalid maxAgeDays value "-3"/,
    );
  });

  it('an unknown rule is an error in .strata.yaml, and a warning in .dive-ci (dive ignores it)', () => {
    expect(configError({ cwd: workdir({ '.strata.yaml': 'rules:\n  lowestEfficency: 0.9\n' }) }).message).toMatch(
      /^\.strata\.yaml: unknown rule "lowestEfficency"/,
    );
    const warnings: string[] = [];
    const config = loadCiConfig({
      cwd: workdir({ '.dive-ci': 'rules:\n  somethingElse: 1\n  lowestEfficiency: 0.5\n' }),
      warn: (m) => warnings.push(m),
    });
    expect(warnings).toEqual([expect.stringMatching(/^\.dive-ci: ignoring unknown rule "somethingElse"/)]);
    expect(config.rules.find((r) => r.key === 'lowestEfficiency')?.threshold?.json).toBe(0.5);
  });

  it('a missing --config file, or a file that is not YAML, is a configuration error', () => {
    expect(configError({ cwd: workdir(), configFile: 'nope.yaml' }).message).toMatch(
      /^cannot read .*nope\.yaml: no such file or directory$/,
    );
    expect(configError({ cwd: workdir({ '.strata.yaml': 'rules: [a\n' }) }).message).toMatch(
      /\.strata\.yaml is not valid YAML/,
    );
    expect(configError({ cwd: workdir({ '.strata.yaml': 'rules: 3\n' }) }).message).toMatch(
      /"rules" must be a mapping/,
    );
    expect(configError({ cwd: workdir({ '.dive-ci': '- a\n- b\n' }) }).message).toMatch(
      /^\.dive-ci: expected a mapping/,
    );
  });

  it('an empty file, or one without rules, changes nothing', () => {
    expect(table({ cwd: workdir({ '.strata.yaml': '', '.dive-ci': '# nothing\n' }) })).toEqual(
      table({ cwd: workdir() }),
    );
  });
});

describe('the rule table', () => {
  it("declares each rule's flag once: commander's name for the flag is the rule's key", () => {
    const camel = (flag: string): string =>
      flag.replace(/^--/, '').replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    expect(RULES.map((rule) => camel(rule.flag))).toEqual(RULES.map((rule) => rule.key));
    expect(RULES.every((rule) => typeof rule.parse === 'function' && rule.help !== '')).toBe(true);
  });
});
