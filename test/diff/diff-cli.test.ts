/**
 * `strata diff` as a command: the JSON Schema on real outputs, the real images (wasteful against
 * tiny, an image against itself in another format), the CI gate's exit codes, and image text
 * escaped in the text and markdown reports.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { file } from '../../scripts/fixtures/tar.js';
import type { FileDiff } from '../../src/diff/index.js';
import { compareBytewise } from '../../src/tree/path-order.js';
import { runCli } from '../helpers/cli.js';
import { writeTestImage } from '../helpers/diff-images.js';
import { base, layerA, layerB } from '../helpers/diff-pair.js';
import { hasShared, repoRoot, shared } from '../helpers/paths.js';
import { reportSchema } from '../helpers/report-schema.js';

const diffSchema = JSON.parse(readFileSync(join(repoRoot, 'schema', 'diff-v1.schema.json'), 'utf8'));
const validate = new Ajv2020({ strict: true, allErrors: true, schemas: [reportSchema] }).compile(diffSchema);
function schemaErrors(json: unknown): string[] {
  if (validate(json)) return [];
  return (validate.errors ?? []).map((e: ErrorObject) => `${e.instancePath || '/'} ${e.message ?? ''}`);
}

const scratch = mkdtempSync(join(tmpdir(), 'strata-diff-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let pathA = '';
let pathB = '';
let pathHostile = '';
beforeAll(async () => {
  pathA = await writeTestImage(scratch, { name: 'a', layers: [base, layerA] });
  pathB = await writeTestImage(scratch, {
    name: 'b',
    layers: [base, layerB],
    runConfig: { Labels: { note: 'x\x1b]0;pwned\x07y' } },
  });
  pathHostile = await writeTestImage(scratch, {
    name: 'hostile',
    layers: [base, [file('app/\x1b[31mred\x1b[0m', 'escape')]],
  });
});

async function diffJson(...args: string[]): Promise<Record<string, unknown> & { files: FileDiff[] }> {
  const result = await runCli('diff', '--no-cache', '--json', ...args);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout);
}

const S = (name: string): string => shared('images', name);

describe('the JSON Schema (schema/diff-v1.schema.json)', () => {
  it('describes the generated pair, both ways, with the gate', async () => {
    for (const json of [await diffJson(pathA, pathB), await diffJson(pathB, pathA, '--max-growth', '1GB')])
      expect(schemaErrors(json)).toEqual([]);
  });

  it.skipIf(!hasShared)('describes wasteful against tiny, packages included', async () => {
    const json = await diffJson(S('tiny.oci-archive.tar'), S('wasteful.oci-archive.tar'), '--max-growth', '1GB');
    expect(schemaErrors(json)).toEqual([]);
    expect(json.packages).not.toBeNull();
  });

  it('refuses an output with a required part removed or an undescribed field added', async () => {
    const json = await diffJson(pathA, pathB);
    expect(schemaErrors({ ...json, summary: undefined })).not.toEqual([]);
    expect(schemaErrors({ ...json, surprise: 1 })).not.toEqual([]);
    const [first, ...rest] = json.files;
    expect(schemaErrors({ ...json, files: [{ ...first, path: '/app/' }, ...rest] })).not.toEqual([]);
  });
});

describe.skipIf(!hasShared)('the real images', () => {
  it('wasteful against tiny: every path once, absolute, sorted; counts and sizes that add up', async () => {
    const json = await diffJson(S('tiny.oci-archive.tar'), S('wasteful.oci-archive.tar'));
    const paths = json.files.map((f) => f.path);
    expect([...paths].sort(compareBytewise)).toEqual(paths);
    expect(new Set(paths).size).toBe(paths.length);
    for (const path of paths) expect(path).toMatch(/^\/(?:[^/]+(?:\/[^/]+)*)$/);
    const byPath = new Map(json.files.map((f) => [f.path, f]));
    expect(byPath.get('/bin/busybox')).toMatchObject({ change: 'removed', sizeA: 1982256, sizeB: null });
    // tiny's /bin is a directory, wasteful's a symlink (merged /usr): one modified entry, its files removed.
    expect(byPath.get('/bin')).toMatchObject({ change: 'modified', typeA: 'dir', typeB: 'symlink', directory: false });
    expect(byPath.get('/bin/sh')).toMatchObject({ change: 'removed' });
    expect(byPath.get('/root/.ssh/id_rsa')).toMatchObject({ change: 'added', layerB: 4 });
    const summary = json.summary as Record<string, number>;
    const count = (change: string) => json.files.filter((f) => !f.directory && f.change === change).length;
    expect(summary.added).toBe(count('added'));
    expect(summary.removed).toBe(count('removed'));
    expect(summary.modified).toBe(count('modified'));
    const a = json.a as { size: number };
    const b = json.b as { size: number };
    expect(summary.sizeDelta).toBe(b.size - a.size);
    const risks = json.risks as { new: Array<{ rule: string; path: string }> };
    expect(risks.new).toContainEqual(
      expect.objectContaining({ rule: 'secret.private-key', path: '/root/.ssh/id_rsa' }),
    );
    expect(json.sharedLayers).toBe(0);
  });

  it('an image against itself in another format: every layer shared, nothing else', async () => {
    const json = await diffJson(S('wasteful.oci-archive.tar'), S('wasteful.docker-archive.tar.gz'));
    expect(json.sharedLayers).toBe(14);
    expect(json.files).toEqual([]);
    expect(json.summary).toMatchObject({ added: 0, removed: 0, modified: 0, metadata: 0, sizeDelta: 0 });
    expect(json.risks).toEqual({ new: [], gone: [] });
  });

  it('prints the text report by default, and markdown on request', async () => {
    const text = await runCli('diff', S('tiny.oci-archive.tar'), S('wasteful.oci-archive.tar'));
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('Layers: 0 shared, 3 only in A, 14 only in B');
    expect(text.stdout).toMatch(/removed\s+\/bin\/busybox/);
    const markdown = await runCli(
      'diff',
      '--format',
      'markdown',
      S('tiny.oci-archive.tar'),
      S('wasteful.oci-archive.tar'),
    );
    expect(markdown.code).toBe(0);
    expect(markdown.stdout).toMatch(/^### strata diff: /);
    expect(markdown.stdout).toContain('<summary>Changed files:');
    expect(markdown.stdout.length).toBeLessThan(65_536);
  });
});

describe('the CI gate', () => {
  it('fails (1) when B grew by more than --max-growth, passes (0) otherwise', async () => {
    // B ships more bytes than A (its layer rewrites files the base already has).
    const json = await diffJson(pathA, pathB);
    const growth = (json.summary as { sizeDelta: number }).sizeDelta;
    expect(growth).toBeGreaterThan(0);
    const failed = await runCli('diff', '--no-cache', pathA, pathB, '--max-growth', `${growth - 1}B`);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain('FAIL  maxGrowth');
    const passed = await runCli('diff', '--no-cache', pathA, pathB, '--max-growth', `${growth}`);
    expect(passed.code).toBe(0);
    expect(passed.stdout).toContain('Gate: PASS');
  });

  it.skipIf(!hasShared)('fails (1) on a new risk of the severity or above, not on one that went away', async () => {
    const tiny = S('tiny.oci-archive.tar');
    const wasteful = S('wasteful.oci-archive.tar');
    const worse = await runCli('diff', '--json', tiny, wasteful, '--fail-on-new-risk', 'high');
    expect(worse.code).toBe(1);
    expect(JSON.parse(worse.stdout).gate).toMatchObject({ passed: false, checks: [{ rule: 'failOnNewRisk' }] });
    const same = await runCli('diff', wasteful, S('wasteful.docker-archive.tar.gz'), '--fail-on-new-risk', 'low');
    expect(same.code).toBe(0);
  });

  it('exits 2 on a bad flag, before reading anything, and 3 when an image cannot be read', async () => {
    const badSize = await runCli('diff', pathA, '/nonexistent.tar', '--max-growth', 'lots');
    expect(badSize.code).toBe(2);
    expect(badSize.stderr).toContain('invalid --max-growth');
    const badLevel = await runCli('diff', pathA, pathB, '--fail-on-new-risk', 'critical');
    expect(badLevel.code).toBe(2);
    const bothStdin = await runCli('diff', '-', '-');
    expect(bothStdin.code).toBe(2);
    const missing = await runCli('diff', '--no-cache', pathA, join(scratch, 'missing.tar'));
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/^strata: .*missing\.tar: no such file or directory\n$/);
  });
});

describe('image text is escaped', () => {
  it('in the text and markdown reports: no control character reaches the output', async () => {
    for (const format of ['text', 'markdown']) {
      const result = await runCli('diff', '--no-cache', '--format', format, pathA, pathHostile);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('\\x1b[31mred');
      expect(result.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
      const labels = await runCli('diff', '--no-cache', '--format', format, pathA, pathB);
      expect(labels.stdout).toContain('\\x1b]0;pwned\\x07');
      expect(labels.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    }
  });
});
