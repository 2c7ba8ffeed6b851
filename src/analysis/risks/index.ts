/**
 * Risky files: what an attacker would be glad to find in a running container, or a scanner in the image.
 * One rule per file under `rules/`; this registry lists them in the order they run.
 */
import type { ImageIndex } from '../../image/types.js';
import type { Stack } from '../../tree/types.js';
import { runRules } from './find.js';
import { ansibleRule } from './rules/ansible.js';
import { awsCredentialsRule } from './rules/aws-credentials.js';
import { busyboxRule } from './rules/busybox.js';
import { compilersRule } from './rules/compilers.js';
import { cronRule } from './rules/cron.js';
import { dockerConfigRule } from './rules/docker-config.js';
import { dotenvRule } from './rules/dotenv.js';
import { gitCredentialsRule } from './rules/git-credentials.js';
import { gitDirRule } from './rules/git-dir.js';
import { initScriptsRule } from './rules/init-scripts.js';
import { interpretersRule } from './rules/interpreters.js';
import { logrotateRule } from './rules/logrotate.js';
import { netrcRule } from './rules/netrc.js';
import { networkToolsRule } from './rules/network-tools.js';
import { npmrcRule } from './rules/npmrc.js';
import { packageManagersRule } from './rules/package-managers.js';
import { privateKeyRule } from './rules/private-key.js';
import { pypircRule } from './rules/pypirc.js';
import { remoteDaemonsRule } from './rules/remote-daemons.js';
import { setuidRule } from './rules/setuid.js';
import { shellsRule } from './rules/shells.js';
import { sshHostKeyRule } from './rules/ssh-host-key.js';
import { sshKeyNameRule } from './rules/ssh-key-name.js';
import { switchUserRule } from './rules/switch-user.js';
import { systemdUnitsRule } from './rules/systemd-units.js';
import { worldWritableRule } from './rules/world-writable.js';
import type { FindRisksOptions, RiskFinding, RiskRule } from './types.js';

export const RISK_RULES: readonly RiskRule[] = [
  // secret
  privateKeyRule,
  sshKeyNameRule,
  awsCredentialsRule,
  dockerConfigRule,
  npmrcRule,
  pypircRule,
  netrcRule,
  gitCredentialsRule,
  dotenvRule,
  gitDirRule,
  // privilege
  setuidRule,
  switchUserRule,
  worldWritableRule,
  // remote-access
  remoteDaemonsRule,
  sshHostKeyRule,
  // executables by name; busybox first, as it claims its applets' names
  busyboxRule,
  packageManagersRule,
  compilersRule,
  interpretersRule,
  networkToolsRule,
  shellsRule,
  // leftover
  initScriptsRule,
  systemdUnitsRule,
  cronRule,
  logrotateRule,
  ansibleRule,
];

/**
 * The risky files of an image, sorted by severity, category, then path. By default over the final
 * filesystem; with `allLayers`, files shipped by a layer and hidden by a later one are reported too
 * (`hidden: true`): they are not visible in a container, but they are in the image for anyone to extract.
 */
export function findRisks(image: ImageIndex, stack: Stack, options: FindRisksOptions = {}): RiskFinding[] {
  return runRules(RISK_RULES, image, stack, options);
}

export { runRules } from './find.js';
export { RISK_CATEGORIES } from './types.js';
export type {
  FindRisksOptions,
  Hit,
  RiskCategory,
  RiskFinding,
  RiskRule,
  RiskSeverity,
  RuleContext,
  Subject,
  SubjectRule,
  ToolRule,
  ToolSpec,
} from './types.js';
