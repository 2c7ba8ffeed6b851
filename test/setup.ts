// Ink prints only its last frame when CI is set; terminal-level tests need every frame.
// The CI flag that matters to the suite (no skipping) is read from STRATA_CI, captured here first.
if (process.env.CI === 'true' && process.env.STRATA_CI === undefined) process.env.STRATA_CI = 'true';
delete process.env.CI;
