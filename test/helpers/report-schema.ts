import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import { expect } from 'vitest';
import { runCli } from './cli.js';
import { repoRoot } from './paths.js';

export const reportSchema = JSON.parse(readFileSync(join(repoRoot, 'schema', 'report-v1.schema.json'), 'utf8'));

/** The schema, compiled in strict mode: a keyword Ajv does not know is an error, not ignored. */
export const validateReport = new Ajv2020({ strict: true, allErrors: true }).compile(reportSchema);

export function schemaErrors(report: unknown): string[] {
  if (validateReport(report)) return [];
  return (validateReport.errors ?? []).map((e: ErrorObject) => `${e.instancePath || '/'} ${e.message ?? ''}`);
}

/** `strata --json IMAGE` (and any other flags), parsed; the command must succeed. */
export async function jsonReportOf(...argv: string[]): Promise<Record<string, unknown>> {
  const result = await runCli('--json', ...argv);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout);
}
