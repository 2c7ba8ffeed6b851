import type { PathState, Stack } from '../../tree/types.js';
import { lexicalTarget } from '../risks/resolve.js';

/**
 * A file of the final filesystem, following symlinks by path, lexically (`/etc/os-release →
 * ../usr/lib/os-release` is `/usr/lib/os-release`), and hardlinks to the file holding the data.
 */
export function finalFile(stack: Stack, path: string): { path: string; state: PathState } | null {
  let current = path;
  for (let hops = 0; hops < 40; hops++) {
    const state = stack.final.get(current);
    if (state === undefined) return null;
    if (state.type === 'symlink') {
      if (state.linkTarget === undefined) return null;
      current = lexicalTarget(current, state.linkTarget);
      continue;
    }
    if (state.type === 'hardlink' && state.entry?.content === undefined && state.linkTarget !== undefined) {
      // The hardlink's own entry carries no data; its target (if still there with the same data) does.
      const target = stack.final.get(state.linkTarget);
      if (target?.type === 'file' && target.piece === state.piece) return { path: current, state: target };
    }
    return state.type === 'file' || state.type === 'hardlink' ? { path: current, state } : null;
  }
  return null;
}

/** The captured content of a final file (see `src/layers/capture.ts`), or undefined. */
export function finalContent(stack: Stack, path: string): Uint8Array | undefined {
  return finalFile(stack, path)?.state.entry?.content;
}

/** Every non-directory path under `dir` in the final filesystem, depth first. */
export function filesUnder(stack: Stack, dir: string): Array<{ path: string; state: PathState }> {
  const out: Array<{ path: string; state: PathState }> = [];
  const pending = [dir];
  while (pending.length > 0) {
    const current = pending.pop()!;
    for (const child of stack.children.get(current) ?? []) {
      const state = stack.final.get(child);
      if (state === undefined) continue;
      if (state.type === 'dir') pending.push(child);
      else out.push({ path: child, state });
    }
  }
  return out;
}
