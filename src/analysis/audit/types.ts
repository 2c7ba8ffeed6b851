import type { ImageIndex } from '../../image/types.js';
import type { Stack } from '../../tree/types.js';

export type AuditSeverity = 'high' | 'medium' | 'low' | 'info';

/** One line of the image audit (Dockle-like: how the image is configured and built). */
export interface AuditFinding {
  /** The check's id: "root-user", "no-healthcheck", "os-release"… */
  check: string;
  severity: AuditSeverity;
  /** One line for people; secrets are always masked. */
  message: string;
  /** Machine-readable facts behind the message. */
  detail?: Record<string, unknown>;
}

export interface AuditOptions {
  /** The clock for age checks (tests pin it); defaults to the current time. */
  now?: Date;
}

export interface AuditContext {
  image: ImageIndex;
  stack: Stack;
  now: Date;
}

export interface AuditCheck {
  id: string;
  /** The severity of its findings, unless a finding says otherwise. */
  severity: AuditSeverity;
  description: string;
  run(context: AuditContext): AuditFinding[];
}
