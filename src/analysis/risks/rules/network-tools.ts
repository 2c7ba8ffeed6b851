import type { ToolRule } from '../types.js';

const FETCH = 'downloads tools or sends data out';

export const networkToolsRule: ToolRule = {
  kind: 'tool',
  id: 'network-tool',
  category: 'network-tool',
  severity: 'medium',
  description: 'Network clients: ssh, scp, sftp, nc/netcat, socat, curl, wget, nmap, telnet',
  tools: [
    { name: 'ssh', reason: 'an SSH client: reaches other machines from inside the container' },
    { name: 'scp', reason: `scp: ${FETCH}` },
    { name: 'sftp', reason: `sftp: ${FETCH}` },
    { name: 'nc', reason: 'netcat: opens raw connections (reverse shells, exfiltration)' },
    { name: 'netcat', tool: 'nc', reason: 'netcat: opens raw connections (reverse shells, exfiltration)' },
    { name: 'nc.openbsd', tool: 'nc', reason: 'netcat: opens raw connections (reverse shells, exfiltration)' },
    { name: 'nc.traditional', tool: 'nc', reason: 'netcat: opens raw connections (reverse shells, exfiltration)' },
    { name: 'ncat', tool: 'nc', reason: 'netcat (ncat): opens raw connections (reverse shells, exfiltration)' },
    { name: 'socat', reason: 'socat: relays any connection (reverse shells, tunnels)' },
    { name: 'curl', reason: `curl: ${FETCH}` },
    { name: 'wget', versioned: true, reason: `wget: ${FETCH}` },
    { name: 'nmap', reason: 'nmap: scans the network around the container' },
    { name: 'telnet', reason: 'a telnet client: unencrypted remote sessions' },
  ],
};
