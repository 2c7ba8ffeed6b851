import { describe, expect, it } from 'vitest';
import { stackLayers } from '../../src/tree/stack.js';
import type { FileChange, Stack } from '../../src/tree/types.js';
import { computeExactWaste } from '../../src/analysis/waste/exact.js';
import { dir, file, hardlink, layers, opaque, sized, symlink, whiteout } from '../helpers/layers.js';

/** "status path" lines of one layer, in the listed order. */
function lines(stack: Stack, layer: number): string[] {
  return stack.layers[layer]!.list().map((change) => `${change.status} ${change.path}`);
}

function change(stack: Stack, layer: number, path: string): FileChange {
  const found = stack.layers[layer]!.list().find((c) => c.path === path);
  if (!found) throw new Error(`no change at ${path} in layer ${layer}`);
  return found;
}

describe('stackLayers: whiteouts', () => {
  it('a whiteout of a file removes just that file', () => {
    const stack = stackLayers(layers([dir('/etc'), file('/etc/a', 'aaa'), file('/etc/b', 'b')], [whiteout('/etc/a')]));
    expect(lines(stack, 1)).toEqual(['removed /etc/a']);
    expect(change(stack, 1, '/etc/a')).toMatchObject({ type: 'file', size: 3, mode: 0o644, layer: 1 });
    expect(stack.layers[1]!.counts).toEqual({ added: 0, modified: 0, removed: 1, unmodified: 0 });
    expect([...stack.final.keys()].sort()).toEqual(['/etc', '/etc/b']);
  });

  it('a whiteout of a directory removes it and lists every path below it', () => {
    const stack = stackLayers(
      layers(
        [
          dir('/opt/app'),
          file('/opt/app/x', 'x'),
          dir('/opt/app/sub'),
          file('/opt/app/sub/y', 'yy'),
          file('/opt/keep', 'k'),
        ],
        [whiteout('/opt/app')],
      ),
    );
    expect(lines(stack, 1)).toEqual([
      'removed /opt/app',
      'removed /opt/app/sub',
      'removed /opt/app/sub/y',
      'removed /opt/app/x',
    ]);
    expect(change(stack, 1, '/opt/app/sub/y')).toMatchObject({ type: 'file', size: 2 });
    expect(change(stack, 1, '/opt/app')).toMatchObject({ type: 'dir' });
    // Directories are not counted.
    expect(stack.layers[1]!.counts.removed).toBe(2);
    expect([...stack.final.keys()].sort()).toEqual(['/opt', '/opt/keep']);
  });

  it('an opaque directory hides everything lower inside it, except what the same layer puts there', () => {
    const stack = stackLayers(
      layers(
        [dir('/d'), file('/d/a', 'same'), file('/d/b', 'b'), dir('/d/sub'), file('/d/sub/c', 'c')],
        [dir('/d'), opaque('/d'), file('/d/a', 'same'), file('/d/new', 'n')],
      ),
    );
    expect(lines(stack, 1)).toEqual([
      'unmodified /d',
      'unmodified /d/a',
      'removed /d/b',
      'added /d/new',
      'removed /d/sub',
      'removed /d/sub/c',
    ]);
    expect([...stack.final.keys()].sort()).toEqual(['/d', '/d/a', '/d/new']);
  });

  it('a whiteout of a path that does not exist changes nothing and does not crash', () => {
    const stack = stackLayers(layers([file('/a', 'a')], [whiteout('/nope'), whiteout('/a/deeper'), file('/b', 'b')]));
    expect(lines(stack, 1)).toEqual(['added /b']);
    expect(stack.final.get('/a')?.type).toBe('file');
  });

  it('whiteouts apply to lower layers only: the same layer may re-add the path', () => {
    const stack = stackLayers(layers([dir('/x'), file('/x/old', 'o')], [whiteout('/x'), file('/x/new', 'n')]));
    // /x itself is removed and recreated as an implied directory, so it is judged (same metadata: unmodified).
    expect(lines(stack, 1)).toEqual(['unmodified /x', 'added /x/new', 'removed /x/old']);
    expect(stack.final.get('/x')?.entry).toBeNull();
  });
});

describe('stackLayers: type changes', () => {
  it('a file replacing a directory hides its subtree', () => {
    const stack = stackLayers(layers([dir('/x'), file('/x/y', 'y'), dir('/x/z')], [file('/x', 'now a file')]));
    expect(lines(stack, 1)).toEqual(['modified /x', 'removed /x/y', 'removed /x/z']);
    expect(change(stack, 1, '/x')).toMatchObject({ type: 'file', size: 10 });
    expect(stack.layers[1]!.counts).toEqual({ added: 0, modified: 1, removed: 1, unmodified: 0 });
  });

  it('a directory replacing a file is a modification', () => {
    const stack = stackLayers(layers([file('/x', 'file')], [dir('/x', { mode: 0o700 }), file('/x/z', 'z')]));
    expect(lines(stack, 1)).toEqual(['modified /x', 'added /x/z']);
    expect(change(stack, 1, '/x')).toMatchObject({ type: 'dir', mode: 0o700 });
    // Counts leave directories out.
    expect(stack.layers[1]!.counts).toEqual({ added: 1, modified: 0, removed: 0, unmodified: 0 });
  });

  it('an implied parent directory replaces a lower file in its way', () => {
    const stack = stackLayers(layers([file('/x', 'file')], [file('/x/z', 'z')]));
    expect(lines(stack, 1)).toEqual(['modified /x', 'added /x/z']);
    expect(change(stack, 1, '/x')).toMatchObject({ type: 'dir', mode: 0o755, uid: 0, gid: 0 });
  });

  it('symlinks are never followed: a path under a lower symlink replaces the symlink', () => {
    const stack = stackLayers(layers([dir('/real'), symlink('/link', '/real')], [file('/link/f', 'f')]));
    expect(lines(stack, 1)).toEqual(['modified /link', 'added /link/f']);
    expect(stack.final.has('/real/f')).toBe(false);
  });
});

describe('stackLayers: metadata changes', () => {
  it('chmod only is a modification', () => {
    const stack = stackLayers(
      layers([file('/bin/t', 'tool', { mode: 0o755 })], [file('/bin/t', 'tool', { mode: 0o700 })]),
    );
    expect(lines(stack, 1)).toEqual(['modified /bin/t']);
    expect(change(stack, 1, '/bin/t').mode).toBe(0o700);
  });

  it('chown only is a modification (uid or gid)', () => {
    const stack = stackLayers(
      layers([file('/a', 'a'), file('/b', 'b')], [file('/a', 'a', { uid: 1000 }), file('/b', 'b', { gid: 50 })]),
    );
    expect(lines(stack, 1)).toEqual(['modified /a', 'modified /b']);
    expect(change(stack, 1, '/a').uid).toBe(1000);
    expect(change(stack, 1, '/b').gid).toBe(50);
  });

  it('a retargeted symlink is modified; an identical one is unmodified', () => {
    const stack = stackLayers(
      layers([symlink('/l', 'a'), symlink('/m', 'a')], [symlink('/l', 'b'), symlink('/m', 'a')]),
    );
    expect(lines(stack, 1)).toEqual(['modified /l', 'unmodified /m']);
    expect(change(stack, 1, '/l').linkTarget).toBe('b');
  });

  it('a directory is compared on its own metadata only', () => {
    const stack = stackLayers(
      layers([dir('/d'), file('/d/a', 'a')], [dir('/d'), file('/d/b', 'b')], [dir('/d', { uid: 7 })]),
    );
    expect(lines(stack, 1)).toEqual(['unmodified /d', 'added /d/b']);
    expect(lines(stack, 2)).toEqual(['modified /d']);
  });

  it('an identical rewrite is unmodified, and the old copy is hidden as overwritten', () => {
    const stack = stackLayers(layers([sized('/big', 1000, 'blob')], [sized('/big', 1000, 'blob')]));
    expect(lines(stack, 1)).toEqual(['unmodified /big']);
    const waste = computeExactWaste(stack);
    expect(waste.hidden).toEqual([{ path: '/big', size: 1000, layer: 0, hiddenBy: 1, reason: 'overwritten' }]);
    expect(waste).toMatchObject({ totalBytes: 2000, visibleBytes: 1000, hiddenBytes: 1000, efficiency: 0.5 });
  });
});

describe('stackLayers: hardlinks', () => {
  it('a hardlink keeps its data visible after the original is removed', () => {
    const stack = stackLayers(layers([sized('/a', 100), hardlink('/b', '/a')], [whiteout('/a')]));
    expect(lines(stack, 1)).toEqual(['removed /a']);
    expect(stack.final.get('/b')).toMatchObject({ type: 'hardlink', size: 100, linkTarget: '/a' });
    const waste = computeExactWaste(stack);
    expect(waste).toMatchObject({ totalBytes: 100, visibleBytes: 100, hiddenBytes: 0, hidden: [] });
  });

  it('a hardlink made in a later layer to a lower file shares its data', () => {
    const stack = stackLayers(layers([sized('/a', 100)], [hardlink('/b', '/a'), whiteout('/a')]));
    expect(lines(stack, 1)).toEqual(['removed /a', 'added /b']);
    expect(change(stack, 1, '/b')).toMatchObject({ type: 'hardlink', size: 100 });
    expect(computeExactWaste(stack)).toMatchObject({ totalBytes: 100, visibleBytes: 100, hidden: [] });
  });

  it('a file that becomes a hardlink is a type change, even with the same content', () => {
    const stack = stackLayers(layers([file('/a', 'x'), file('/b', 'x')], [hardlink('/b', '/a')]));
    expect(lines(stack, 1)).toEqual(['modified /b']);
    expect(change(stack, 1, '/b')).toMatchObject({ type: 'hardlink', size: 1, linkTarget: '/a' });
  });

  it('hardlinks compare on the content they resolve to', () => {
    const stack = stackLayers(
      layers(
        [file('/a', 'one'), hardlink('/h', '/a'), hardlink('/k', '/a')],
        [file('/a', 'two'), hardlink('/h', '/a')],
      ),
    );
    // /h now resolves to the new /a (same layer first): its content changed. /k still holds the old data.
    expect(lines(stack, 1)).toEqual(['modified /a', 'modified /h']);
    expect(stack.final.get('/k')?.hash).toBe(stack.versionsOf('/a')[0]!.state!.hash);
    expect(computeExactWaste(stack).hidden).toEqual([]);
  });

  it('a hardlink resolves against the same layer first, in tar order', () => {
    const stack = stackLayers(layers([file('/a', 'lower')], [file('/a', 'upper!'), hardlink('/h', '/a')]));
    expect(change(stack, 1, '/h').size).toBe(6);
  });

  it('a dangling hardlink holds nothing', () => {
    const stack = stackLayers(layers([hardlink('/h', '/missing')]));
    expect(change(stack, 0, '/h')).toMatchObject({ status: 'added', type: 'hardlink', size: 0 });
  });
});

describe('stackLayers: entries within one layer', () => {
  it('the last entry for a path wins; the earlier copy is hidden by its own layer', () => {
    const stack = stackLayers(layers([file('/f', 'one'), file('/f', 'second')]));
    expect(lines(stack, 0)).toEqual(['added /f']);
    expect(change(stack, 0, '/f').size).toBe(6);
    expect(computeExactWaste(stack).hidden).toEqual([
      { path: '/f', size: 3, layer: 0, hiddenBy: 0, reason: 'overwritten' },
    ]);
  });

  it('implied parents are not listed, and a lower explicit directory stays as it is', () => {
    const stack = stackLayers(
      layers([file('/usr/bin/env', 'e')], [dir('/opt', { mode: 0o700, uid: 5 })], [file('/opt/lib/x', 'x')]),
    );
    expect(lines(stack, 0)).toEqual(['added /usr/bin/env']);
    expect(stack.final.get('/usr')).toMatchObject({ type: 'dir', mode: 0o755, uid: 0, gid: 0, entry: null });
    expect(lines(stack, 2)).toEqual(['added /opt/lib/x']);
    expect(stack.final.get('/opt')).toMatchObject({ type: 'dir', mode: 0o700, uid: 5, layer: 1 });
    expect(stack.final.get('/opt/lib')).toMatchObject({ entry: null, layer: 2 });
  });

  it('a removed path reports what was removed', () => {
    const stack = stackLayers(layers([symlink('/l', '/target', { uid: 3 })], [whiteout('/l')]));
    expect(change(stack, 1, '/l')).toEqual({
      path: '/l',
      status: 'removed',
      type: 'symlink',
      size: 0,
      mode: 0o777,
      uid: 3,
      gid: 0,
      linkTarget: '/target',
      layer: 1,
    });
  });
});

describe('stackLayers: ordering', () => {
  it('lists changes in bytewise (UTF-8) order, not UTF-16 order', () => {
    const stack = stackLayers(
      layers([
        file('/a/x', '1'),
        file('/a-b', '2'),
        file('/\u{1F600}', '3'),
        file('/\uFFFD', '4'),
        file('/B', '5'),
        file('/a', '6'),
      ]),
    );
    // '/a' is a file entry sorted before '/a/x', which then needs '/a' as a directory (implied, replacing it).
    expect(stack.layers[0]!.list().map((c) => c.path)).toEqual(['/B', '/a', '/a-b', '/a/x', '/\uFFFD', '/\u{1F600}']);
  });
});

describe('LayerChanges: the compact list', () => {
  const stack = stackLayers(
    layers(
      [dir('/etc'), file('/etc/a', 'aaa'), file('/etc/b', 'b'), symlink('/etc/l', 'a')],
      [whiteout('/etc/a'), file('/etc/b', 'bb'), file('/etc/c', 'c'), symlink('/etc/l', 'b')],
    ),
  );
  const changes = stack.layers[1]!;

  it('lists, indexes and visits the same changes, in path order', () => {
    const listed = changes.list();
    expect(listed.map((c) => `${c.status} ${c.path}`)).toEqual([
      'removed /etc/a',
      'modified /etc/b',
      'added /etc/c',
      'modified /etc/l',
    ]);
    expect(changes.count).toBe(4);
    expect(Array.from({ length: changes.count }, (_, i) => changes.change(i))).toEqual(listed);
    const visited: string[] = [];
    changes.forEach((path, status, shown) =>
      visited.push(`${status} ${path} ${shown.type} ${shown.size} ${shown.linkTarget ?? ''}`),
    );
    expect(visited).toEqual(listed.map((c) => `${c.status} ${c.path} ${c.type} ${c.size} ${c.linkTarget ?? ''}`));
  });

  it('dates every change by its layer; a removed path shows what was removed', () => {
    expect(changes.list().every((c) => c.layer === 1)).toBe(true);
    expect(changes.change(0)).toEqual({
      path: '/etc/a',
      status: 'removed',
      type: 'file',
      size: 3,
      mode: 0o644,
      uid: 0,
      gid: 0,
      layer: 1,
    });
    let removedShown: unknown;
    changes.forEach((_path, status, shown) => {
      if (status === 'removed') removedShown = shown;
    });
    expect(removedShown).toMatchObject({ type: 'file', size: 3, layer: 0 });
  });

  it('makes a new object on each call, and refuses an index out of range', () => {
    expect(changes.change(1)).not.toBe(changes.change(1));
    expect(changes.list()).not.toBe(changes.list());
    expect(() => changes.change(4)).toThrow(RangeError);
    expect(() => changes.change(-1)).toThrow(RangeError);
  });
});
