import type { ToolRule } from '../types.js';

const BUILDS = 'builds new binaries inside the container (an attacker needs no pre-built tools)';

export const compilersRule: ToolRule = {
  kind: 'tool',
  id: 'compiler',
  category: 'compiler',
  severity: 'medium',
  description:
    'Compilers and build tools: gcc, cc, g++, clang, go, rustc, javac, make, as, ld (versioned and ' +
    'cross-toolchain names too)',
  tools: [
    { name: 'gcc', versioned: true, triplet: true, reason: `gcc: ${BUILDS}` },
    { name: 'cc', triplet: true, reason: `cc: ${BUILDS}` },
    { name: 'g++', versioned: true, triplet: true, reason: `g++: ${BUILDS}` },
    { name: 'c++', triplet: true, reason: `c++: ${BUILDS}` },
    { name: 'clang', versioned: true, triplet: true, reason: `clang: ${BUILDS}` },
    { name: 'clang++', versioned: true, triplet: true, tool: 'clang', reason: `clang++: ${BUILDS}` },
    { name: 'tcc', reason: `tcc: ${BUILDS}` },
    { name: 'go', reason: `go: ${BUILDS}` },
    { name: 'rustc', reason: `rustc: ${BUILDS}` },
    { name: 'javac', reason: `javac: ${BUILDS}` },
    { name: 'make', reason: `make: runs build recipes` },
    { name: 'gmake', tool: 'make', reason: `make: runs build recipes` },
    { name: 'as', triplet: true, reason: `as (assembler): ${BUILDS}` },
    { name: 'ld', triplet: true, reason: `ld (linker): ${BUILDS}` },
    { name: 'ld.bfd', tool: 'ld', triplet: true, reason: `ld (linker): ${BUILDS}` },
    { name: 'ld.gold', tool: 'ld', triplet: true, reason: `ld (linker): ${BUILDS}` },
    { name: 'ld.lld', tool: 'ld', reason: `ld (linker): ${BUILDS}` },
  ],
};
