/**
 * The flags of `strata ci`'s rules: the part of the rule table (src/ci/rules.ts) the command line is
 * declared from. It imports nothing, as every start of strata declares the flags, while what a rule
 * does (src/ci/rules.ts, with the analysis it judges) loads only when `strata ci` runs.
 */
export interface RuleFlag {
  /** Where the rule's threshold goes in a configuration file, and the flag's camel case (commander's name for it). */
  key: string;
  /** The command-line flag: dive's spelling for dive's rules, kebab-case for strata's. */
  flag: string;
  /** The flag's value, and what it says of the flag, as `strata ci --help` shows them. */
  argument: string;
  help: string;
  /** The flag may be given more than once; its values are listed. */
  repeatable?: boolean;
}

export const RULE_FLAGS = [
  {
    key: 'lowestEfficiency',
    flag: '--lowestEfficiency',
    argument: '<fraction>',
    help: "fail when dive's efficiency is below this (default 0.9)",
  },
  {
    key: 'highestWastedBytes',
    flag: '--highestWastedBytes',
    argument: '<size>',
    help: "fail when dive's wasted bytes are above this, e.g. 20MB (default disabled)",
  },
  {
    key: 'highestUserWastedPercent',
    flag: '--highestUserWastedPercent',
    argument: '<fraction>',
    help: "fail when dive's wasted / user bytes is above this (default 0.1)",
  },
  {
    key: 'highestHiddenBytes',
    flag: '--highest-hidden-bytes',
    argument: '<size>',
    help: 'fail when the exact hidden bytes are above this, e.g. 50MB',
  },
  {
    key: 'lowestExactEfficiency',
    flag: '--lowest-exact-efficiency',
    argument: '<fraction>',
    help: 'fail when the exact efficiency is below this',
  },
  {
    key: 'maxRiskSeverity',
    flag: '--max-risk-severity',
    argument: '<level>',
    help: 'fail when a risk finding is above this: none, low, medium or high',
  },
  {
    key: 'forbid',
    flag: '--forbid',
    argument: '<ids>',
    help: 'fail on findings of these risk categories, rule ids or audit checks (comma-separated, repeatable)',
    repeatable: true,
  },
  {
    key: 'maxAgeDays',
    flag: '--max-age-days',
    argument: '<days>',
    help: 'fail when the image was built more than this many days ago',
  },
] as const satisfies readonly RuleFlag[];

export type RuleKey = (typeof RULE_FLAGS)[number]['key'];
