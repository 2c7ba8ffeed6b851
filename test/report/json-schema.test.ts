import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixtures } from '../helpers/paths.js';
import { jsonReportOf, reportSchema, schemaErrors } from '../helpers/report-schema.js';

/** Every image in fixtures/formats, cases, packages and demo (the broken ones of fixtures/bad aside). */
const images = ['formats', 'cases', 'packages', 'demo'].flatMap((folder) =>
  readdirSync(fixtures(folder))
    .filter((name) => !name.endsWith('.md') && !name.endsWith('.json'))
    .map((name) => `${folder}/${name}`),
);

describe('schema/report-v1.schema.json', () => {
  it('covers every fixture image', () => {
    expect(images).toEqual(expect.arrayContaining(['formats/basic.oci-dir', 'cases/opaque-dir.tar', 'demo/demo.tar']));
  });

  it.each(images)('validates the --json report of fixtures/%s', async (image) => {
    const report = await jsonReportOf(fixtures(image));
    expect(schemaErrors(report)).toEqual([]);
  });

  it('validates the report with --all-layers, every section of it filled', async () => {
    const report = await jsonReportOf('--all-layers', fixtures('demo/demo.tar'));
    for (const section of ['layers', 'risks', 'audit', 'explanations'] as const) {
      expect(report[section]).not.toHaveLength(0);
    }
    expect(schemaErrors(report)).toEqual([]);
  });

  describe('rejects a report that breaks it', async () => {
    const valid = await jsonReportOf(fixtures('demo/demo.tar'));
    const broken = (change: (report: any) => void): unknown => {
      const copy = structuredClone(valid);
      change(copy);
      return copy;
    };

    it.each(reportSchema.required as string[])('without its "%s" section', (section) => {
      expect(schemaErrors(broken((r) => delete r[section]))).toContain(`/ must have required property '${section}'`);
    });

    it('without a required field deep inside', () => {
      expect(schemaErrors(broken((r) => delete r.layers[1].files[0].mode))).toContain(
        "/layers/1/files/0 must have required property 'mode'",
      );
      expect(schemaErrors(broken((r) => delete r.explanations[0].fix))).toContain(
        "/explanations/0 must have required property 'fix'",
      );
    });

    it('with a value of the wrong kind', () => {
      expect(schemaErrors(broken((r) => (r.schemaVersion = 2)))).not.toEqual([]);
      expect(schemaErrors(broken((r) => (r.layers[0].diffId = 'not a digest')))).not.toEqual([]);
      expect(schemaErrors(broken((r) => (r.risks[0].severity = 'critical')))).not.toEqual([]);
      expect(schemaErrors(broken((r) => (r.waste.efficiency = 1.5)))).not.toEqual([]);
    });

    it('with a section or field the schema does not describe (a new one extends the schema first)', () => {
      expect(schemaErrors(broken((r) => (r.provenance = {})))).toContain('/ must NOT have unevaluated properties');
      expect(schemaErrors(broken((r) => (r.layers[0].extra = 1)))).toContain(
        '/layers/0 must NOT have unevaluated properties',
      );
    });
  });
});
