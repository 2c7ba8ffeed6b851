import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { hasShared, shared } from '../helpers/paths.js';

describe.skipIf(!hasShared)('strata report on the wasteful image', () => {
  it('explains the four stories of its README', async () => {
    const r = await runCli('report', shared('images', 'wasteful.oci-archive.tar'));
    expect(r.code).toBe(0);
    const explanations = r.stdout.slice(r.stdout.indexOf('\nExplanations ('), r.stdout.indexOf('\nRisks ('));
    expect(explanations).toMatch(
      /`apt-get update` in layer 1 shipped 52\.\d MB of \/var\/lib\/apt\/lists, which layer 7 deleted/,
    );
    expect(explanations).toMatch(/Layer 8 COPY'd \/tmp\/seed-data\.sql \(24\.7 MB\), and layer 9 removed it/);
    expect(explanations).toMatch(/only changed the mode of \/etc\/ssh\/sshd_config/);
    expect(explanations).toMatch(/replaced \/opt\/app\/config \(an opaque directory\)/);
  });
});
