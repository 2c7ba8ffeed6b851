import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const fixtures = (...parts: string[]): string => join(repoRoot, 'fixtures', ...parts);
export const sharedRoot = join(repoRoot, '..', 'shared');
export const shared = (...parts: string[]): string => join(sharedRoot, ...parts);

/**
 * In CI nothing may skip. The tests that need ../shared are named *.shared.test.ts and form a vitest
 * project of their own, which vitest.config.ts leaves out, saying so, when ../shared is absent.
 */
export const inCi = process.env.STRATA_CI === 'true';
export const hasShared = existsSync(join(sharedRoot, 'images'));
if (!hasShared && inCi)
  throw new Error(`CI=true but ${sharedRoot} is missing: the shared real images are required in CI`);
