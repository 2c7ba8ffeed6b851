import type { ToolRule } from '../types.js';

const RUNS = 'runs any script an attacker brings';

export const interpretersRule: ToolRule = {
  kind: 'tool',
  id: 'interpreter',
  category: 'interpreter',
  severity: 'medium',
  description:
    'Language interpreters: python*, perl, ruby, node, php, lua, java (versioned names too: python3.11, perl5.36.0)',
  tools: [
    { name: 'python', versioned: true, reason: `a Python interpreter: ${RUNS}` },
    { name: 'pypy', versioned: true, tool: 'python', reason: `a Python interpreter (PyPy): ${RUNS}` },
    { name: 'perl', versioned: true, reason: `a Perl interpreter: ${RUNS}` },
    { name: 'ruby', versioned: true, reason: `a Ruby interpreter: ${RUNS}` },
    { name: 'node', versioned: true, reason: `Node.js: ${RUNS}` },
    { name: 'nodejs', tool: 'node', reason: `Node.js: ${RUNS}` },
    { name: 'bun', reason: `Bun (JavaScript runtime): ${RUNS}` },
    { name: 'deno', reason: `Deno (JavaScript runtime): ${RUNS}` },
    { name: 'php', versioned: true, reason: `a PHP interpreter: ${RUNS}` },
    { name: 'lua', versioned: true, reason: `a Lua interpreter: ${RUNS}` },
    { name: 'luajit', tool: 'lua', reason: `a Lua interpreter (LuaJIT): ${RUNS}` },
    { name: 'java', reason: `a Java runtime: ${RUNS}` },
  ],
};
