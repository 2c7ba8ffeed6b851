import type { ToolRule } from '../types.js';

const SHELL = 'lets an attacker run commands after a compromise';

export const shellsRule: ToolRule = {
  kind: 'tool',
  id: 'shell',
  category: 'shell',
  severity: 'low',
  description:
    'Shells: sh, bash, dash, ash, zsh, ksh, mksh, fish, csh, tcsh (a link such as /usr/bin/sh → dash is ' +
    'listed in `related` of its target)',
  tools: [
    { name: 'sh', reason: `a shell: ${SHELL}` },
    { name: 'bash', reason: `a shell (bash): ${SHELL}` },
    { name: 'rbash', tool: 'bash', reason: `a shell (bash): ${SHELL}` },
    { name: 'dash', reason: `a shell (dash): ${SHELL}` },
    { name: 'ash', reason: `a shell (ash): ${SHELL}` },
    { name: 'zsh', versioned: true, reason: `a shell (zsh): ${SHELL}` },
    { name: 'ksh', versioned: true, reason: `a shell (ksh): ${SHELL}` },
    { name: 'mksh', reason: `a shell (mksh): ${SHELL}` },
    { name: 'fish', reason: `a shell (fish): ${SHELL}` },
    { name: 'csh', reason: `a shell (csh): ${SHELL}` },
    { name: 'tcsh', reason: `a shell (tcsh): ${SHELL}` },
  ],
};
