import type { EntryType } from '../../layers/types.js';
import type { PathState } from '../../tree/types.js';

/** What kind of risk a finding is; also the order in which categories are listed. */
export type RiskCategory =
  | 'secret'
  | 'privilege'
  | 'remote-access'
  | 'package-manager'
  | 'compiler'
  | 'interpreter'
  | 'network-tool'
  | 'shell'
  | 'leftover';

export const RISK_CATEGORIES: readonly RiskCategory[] = [
  'secret',
  'privilege',
  'remote-access',
  'package-manager',
  'compiler',
  'interpreter',
  'network-tool',
  'shell',
  'leftover',
];

export type RiskSeverity = 'high' | 'medium' | 'low';

/** One risky file (or directory) of the image. */
export interface RiskFinding {
  /** `<category>.<what>`: "shell.bash", "secret.private-key", "privilege.setuid". */
  rule: string;
  category: RiskCategory;
  severity: RiskSeverity;
  /** The file the finding is about: for an executable reached through links, the file the links lead to. */
  path: string;
  /** The layer that put the file there. */
  layer: number;
  /** That layer's command (`created_by`), "" when the history is missing. */
  command: string;
  /** Why it matters, in one line. */
  reason: string;
  /** True when a later layer hid the file: it is no longer visible, but the image still ships it. */
  hidden: boolean;
  /** Other paths that go with the finding: links to the file (a busybox's applets), evidence (a package database). */
  related?: string[];
  /** The OS package whose database lists the file, when one does (see src/packages). */
  package?: string;
}

export interface FindRisksOptions {
  /** Also report files that some layer shipped and a later layer hid (overwrote or deleted). */
  allLayers?: boolean;
}

/**
 * What a rule looks at: one file, directory or device of the image. Paths that hold the same data (a
 * file and its hardlinks) are one subject, and the symlinks that lead to it are its aliases.
 */
export interface Subject {
  path: string;
  /** Basename of `path`. */
  base: string;
  /** The directory holding `path` (its parent), made once for the rules that look at it. */
  dir: string;
  type: EntryType;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  /** The first bytes of a regular file (ELF magic, shebang, PEM header), when known. */
  head: string | undefined;
  /** The whole content of a small captured file (see `src/layers/capture.ts`), when known. */
  content: Uint8Array | undefined;
  /** ELF magic or a `#!` shebang in the first bytes. */
  executable: boolean;
  /** ELF magic in the first bytes: a compiled program. */
  elf: boolean;
  /** Basenames it is known by: its own first, then those of its hardlinks and of the symlinks leading to it. */
  names: readonly string[];
  /** Its hardlinks and the symlinks that lead to it, sorted bytewise. */
  aliases: readonly string[];
  /** The hardlinks among `aliases`: other paths holding the very same data. */
  hardlinks: readonly string[];
  layer: number;
  hidden: boolean;
}

/** The final filesystem, as rules may query it. */
export interface RuleContext {
  /** The visible state at a path (no symlink is followed). */
  state(path: string): PathState | undefined;
  /** The visible children of a directory (full paths, in no particular order), empty when none. */
  children(dir: string): readonly string[];
}

/** What a rule reports about one subject; category and severity default to the rule's. */
export interface Hit {
  /** Defaults to the rule's id. */
  rule?: string;
  reason: string;
  severity?: RiskSeverity;
  /**
   * Report the finding at this path instead of the subject's (e.g. "/etc/cron.d" for every file in it):
   * hits of one rule at one path are merged into one finding, listing the subjects in `related`.
   */
  group?: string;
  /** Extra paths to list (evidence). */
  related?: readonly string[];
  /** A multi-call binary (busybox): its names are applets, which tool rules must not report again. */
  claimsNames?: boolean;
}

interface RuleBase {
  /** "shell", "secret.private-key": the id of its findings, or their prefix for tool rules. */
  id: string;
  category: RiskCategory;
  severity: RiskSeverity;
  /** What the rule looks for, for documentation. */
  description: string;
}

/** A rule that looks at every subject (content, path, mode). */
export interface SubjectRule extends RuleBase {
  kind: 'subject';
  check(subject: Subject, context: RuleContext): Hit | null;
}

/** One tool a tool rule knows by name. */
export interface ToolSpec {
  /** The basename: "bash", "python". */
  name: string;
  /** Also match versioned names: "python3", "python3.11", "gcc-12", "perl5.36.0". */
  versioned?: boolean;
  /** Also match cross-toolchain names: "x86_64-linux-gnu-gcc-12". */
  triplet?: boolean;
  /** The finding's rule id is `<rule id>.<tool>`, tool defaulting to `name`. */
  tool?: string;
  reason: string;
  /** Paths that, when present, show the tool is usable (a package database); listed in `related`. */
  evidence?: readonly string[];
}

/**
 * A rule keyed by basename: it fires on executable content (ELF or shebang) known by one of its tools'
 * names, either its own name or that of a link to it. A script counts only in a directory of programs
 * (a `bin`, `sbin` or `libexec` component in its path), and so does a symlink's name: `/etc/init.d/ssh`
 * is an init script, not an SSH client, and `/usr/lib/apt/methods/ssh → rsh` is an apt transport.
 */
export interface ToolRule extends RuleBase {
  kind: 'tool';
  tools: readonly ToolSpec[];
  /** Optional veto, e.g. when another rule already reports the subject in a better way. */
  accepts?(subject: Subject): boolean;
}

export type RiskRule = SubjectRule | ToolRule;
