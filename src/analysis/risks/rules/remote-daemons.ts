import type { ToolRule } from '../types.js';

export const remoteDaemonsRule: ToolRule = {
  kind: 'tool',
  id: 'remote-access',
  category: 'remote-access',
  severity: 'high',
  description: 'Remote login servers: sshd, dropbear, telnetd',
  tools: [
    { name: 'sshd', reason: 'an SSH server: a way into the container that bypasses the orchestrator' },
    {
      name: 'dropbear',
      tool: 'sshd',
      reason: 'an SSH server (dropbear): a way into the container that bypasses the orchestrator',
    },
    { name: 'telnetd', reason: 'a telnet server: unencrypted remote logins' },
    { name: 'in.telnetd', tool: 'telnetd', reason: 'a telnet server: unencrypted remote logins' },
    { name: 'utelnetd', tool: 'telnetd', reason: 'a telnet server: unencrypted remote logins' },
  ],
};
