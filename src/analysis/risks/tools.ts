import type { ToolRule, ToolSpec } from './types.js';

export interface ToolMatch {
  rule: ToolRule;
  spec: ToolSpec;
}

/** "python3.11" → "python", "gcc-12" → "gcc", "perl5.36.0" → "perl"; other names unchanged. */
export function stripVersion(name: string): string {
  const match = /^(.*?[A-Za-z+])-?\d+(?:\.\d+)*$/.exec(name);
  return match === null ? name : match[1]!;
}

/** "x86_64-linux-gnu-gcc" → "gcc", "aarch64-alpine-linux-musl-ld" → "ld"; other names unchanged. */
export function stripTriplet(name: string): string {
  return name.replace(
    /^[a-z0-9_]+(?:-[a-z0-9_]+)*?-(?:linux-gnu[a-z0-9_]*|linux-musl[a-z0-9_]*|w64-mingw32|none-eabi[a-z0-9_]*|elf)-/,
    '',
  );
}

/**
 * Basename → the tool rule and tool it names. Exact names are one map lookup; versioned and
 * cross-toolchain names cost two string rewrites and two more lookups.
 */
export class ToolIndex {
  private readonly exact = new Map<string, ToolMatch>();
  private readonly versioned = new Map<string, ToolMatch>();
  private readonly triplet = new Map<string, ToolMatch>();

  constructor(rules: readonly ToolRule[]) {
    for (const rule of rules) {
      for (const spec of rule.tools) {
        const match = { rule, spec };
        if (!this.exact.has(spec.name)) this.exact.set(spec.name, match);
        if (spec.versioned && !this.versioned.has(spec.name)) this.versioned.set(spec.name, match);
        if (spec.triplet && !this.triplet.has(spec.name)) this.triplet.set(spec.name, match);
      }
    }
  }

  match(name: string): ToolMatch | undefined {
    const exact = this.exact.get(name);
    if (exact !== undefined) return exact;
    const unversioned = stripVersion(name);
    if (unversioned !== name) {
      const versioned = this.versioned.get(unversioned);
      if (versioned !== undefined) return versioned;
    }
    const tool = stripTriplet(unversioned);
    if (tool === unversioned) return undefined;
    const cross = this.triplet.get(tool);
    if (cross === undefined) return undefined;
    // "x86_64-linux-gnu-gcc-12" needs a tool that comes versioned; "x86_64-linux-gnu-as" does not.
    return unversioned === name || cross.spec.versioned ? cross : undefined;
  }
}
