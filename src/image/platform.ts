import { arch as hostArch } from 'node:process';
import { StrataError } from '../util/errors.js';
import type { Platform } from './types.js';

/** "linux/arm64/v8" → a platform; a usage error when it does not parse. */
export function parsePlatform(text: string): Platform {
  const [os, architecture, variant, extra] = text.split('/');
  if (!os || !architecture || extra !== undefined)
    throw new StrataError(`invalid platform "${text}": expected os/arch[/variant]`);
  return variant ? { os, architecture, variant } : { os, architecture };
}

export function formatPlatform(p: Platform | undefined): string {
  if (!p) return 'unknown';
  return [p.os, p.architecture, p.variant].filter(Boolean).join('/');
}

/** Node's names for CPUs → the OCI ones. */
export function hostPlatform(): Platform {
  const names: Record<string, string> = {
    x64: 'amd64',
    ia32: '386',
    arm64: 'arm64',
    arm: 'arm',
    ppc64: 'ppc64le',
    s390x: 's390x',
  };
  return { os: 'linux', architecture: names[hostArch] ?? hostArch };
}

/** Whether a listed platform is the one wanted (a wanted variant must match; none wanted, any does). */
export function matchesPlatform(listed: Platform | undefined, wanted: Platform): boolean {
  return (
    !!listed &&
    listed.os === wanted.os &&
    listed.architecture === wanted.architecture &&
    (!wanted.variant || listed.variant === wanted.variant)
  );
}

/** An image that names its platform (a config, an engine's description) must name the one wanted. */
export function fitsPlatform(image: { os: string; architecture: string; variant?: string }, wanted: Platform): boolean {
  return !image.os || !image.architecture || matchesPlatform(image, wanted);
}
