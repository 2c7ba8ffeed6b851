import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';

const TESTS = ['test/**/*.test.ts', 'test/**/*.test.tsx'];
/** Tests that read the real images of a checkout's ../shared: a project of their own. */
const SHARED_TESTS = ['test/**/*.shared.test.ts', 'test/**/*.shared.test.tsx'];

const hasShared = existsSync(join(import.meta.dirname, '..', 'shared', 'images'));
const inCi = process.env.CI === 'true' || process.env.STRATA_CI === 'true';

const projects: TestProjectInlineConfiguration[] = [
  { extends: true, test: { name: 'unit', include: TESTS, exclude: SHARED_TESTS } },
];
if (hasShared || inCi) {
  // In CI the project always runs: without ../shared its tests fail (test/helpers/paths.ts), never skip.
  projects.push({ extends: true, test: { name: 'shared', include: SHARED_TESTS } });
} else if (process.env.STRATA_SHARED_SKIP_SAID === undefined) {
  // Said once: vitest evaluates this file again for each project that extends it.
  process.env.STRATA_SHARED_SKIP_SAID = '1';
  const count = countSharedTests('test');
  console.warn(
    `strata: skipped the vitest project 'shared' (${count} test files on the real images): ` +
      '../shared/images is absent; CI=true runs it, and fails without it',
  );
}

function countSharedTests(dir: string): number {
  return readdirSync(dir, { withFileTypes: true, recursive: true }).filter(
    (entry) => entry.isFile() && /\.shared\.test\.tsx?$/.test(entry.name),
  ).length;
}

export default defineConfig({
  test: {
    projects,
    setupFiles: ['test/setup.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: more workers only fight over them.
    maxWorkers: 2,
  },
});
