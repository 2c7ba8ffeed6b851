import { describe, expect, it } from 'vitest';
import { analyzeImage } from '../../src/analysis/analyze.js';
import type { ImageIndex } from '../../src/image/types.js';
import type { LayerIndex } from '../../src/layers/types.js';
import { buildJsonReport, type JsonReportV1 } from '../../src/report/json.js';
import { dir, file, hardlink, imageOf as imageOfLayers, layers, sized, symlink, whiteout } from '../helpers/layers.js';

function imageOf(layerList: LayerIndex[], commands: string[] = []): ImageIndex {
  return imageOfLayers(layerList, {
    commands,
    created: (i) => (commands[i] === undefined ? null : '2024-01-01T00:00:00Z'),
    image: { reference: 'demo:latest', manifestDigest: 'sha256:' + 'm'.repeat(64) },
    config: {
      created: '2024-01-02T00:00:00Z',
      user: 'app',
      labels: { 'org.z': '1', 'org.a': '2' },
      env: ['PATH=/usr/bin', 'A=1'],
      cmd: ['/bin/app'],
      workingDir: '/',
    },
  });
}

function report(layerList: LayerIndex[], commands?: string[]): JsonReportV1 {
  const image = imageOf(layerList, commands);
  return buildJsonReport(image, analyzeImage(image));
}

describe('buildJsonReport', () => {
  const layerList = layers(
    [
      dir('/app', { mode: 0o750 }),
      sized('/app/big.bin', 1000),
      file('/app/conf', 'v1'),
      symlink('/app/current', 'conf'),
      file('/tmp/x', 'xx'),
    ],
    [whiteout('/app/big.bin'), file('/app/conf', 'v2!'), hardlink('/app/conf-link', '/app/conf'), whiteout('/tmp')],
  );
  const json = report(layerList, ['ADD app /app', 'RUN tidy']);

  it('describes the image', () => {
    expect(json.schemaVersion).toBe(1);
    expect(json.image).toEqual({
      source: 'oci-archive',
      reference: 'demo:latest',
      manifestDigest: 'sha256:' + 'm'.repeat(64),
      configDigest: 'sha256:' + 'c'.repeat(64),
      os: 'linux',
      architecture: 'amd64',
      created: '2024-01-02T00:00:00Z',
      user: 'app',
      labels: { 'org.a': '2', 'org.z': '1' },
      env: ['PATH=/usr/bin', 'A=1'],
      layerCount: 2,
    });
    expect(Object.keys(json.image.labels)).toEqual(['org.a', 'org.z']);
  });

  it('lists each layer with its changes, counts and sizes', () => {
    const [first, second] = json.layers;
    expect(first).toMatchObject({
      index: 0,
      digest: layerList[0]!.digest,
      diffId: layerList[0]!.diffId,
      mediaType: 'application/vnd.oci.image.layer.v1.tar',
      compressedSize: 0,
      entries: 5,
      size: 1000 + 2 + 2,
      command: 'ADD app /app',
      created: '2024-01-01T00:00:00Z',
      counts: { added: 4, modified: 0, removed: 0, unmodified: 0 },
      hiddenLaterBytes: 1000 + 2 + 2,
    });
    // Implied /tmp is not listed; directories report size 0.
    expect(first!.files.map((f) => f.path)).toEqual(['/app', '/app/big.bin', '/app/conf', '/app/current', '/tmp/x']);
    expect(first!.files[0]).toEqual({
      path: '/app',
      status: 'added',
      type: 'dir',
      size: 0,
      mode: 0o750,
      uid: 0,
      gid: 0,
    });
    expect(first!.files[3]).toEqual({
      path: '/app/current',
      status: 'added',
      type: 'symlink',
      size: 0,
      mode: 0o777,
      uid: 0,
      gid: 0,
      linkTarget: 'conf',
    });
    expect('linkTarget' in first!.files[1]!).toBe(false);

    expect(second!.files).toEqual([
      { path: '/app/big.bin', status: 'removed', type: 'file', size: 1000, mode: 0o644, uid: 0, gid: 0 },
      { path: '/app/conf', status: 'modified', type: 'file', size: 3, mode: 0o644, uid: 0, gid: 0 },
      {
        path: '/app/conf-link',
        status: 'added',
        type: 'hardlink',
        size: 3,
        mode: 0o644,
        uid: 0,
        gid: 0,
        linkTarget: '/app/conf',
      },
      { path: '/tmp', status: 'removed', type: 'dir', size: 0, mode: 0o755, uid: 0, gid: 0 },
      { path: '/tmp/x', status: 'removed', type: 'file', size: 2, mode: 0o644, uid: 0, gid: 0 },
    ]);
    expect(second).toMatchObject({
      size: 3,
      command: 'RUN tidy',
      counts: { added: 1, modified: 1, removed: 2, unmodified: 0 },
      hiddenLaterBytes: 0,
    });
  });

  it('reports exact waste, consistent with the layers', () => {
    expect(json.waste).toEqual({
      totalBytes: 1007,
      visibleBytes: 3,
      hiddenBytes: 1004,
      efficiency: 3 / 1007,
      hidden: [
        { path: '/app/big.bin', size: 1000, layer: 0, hiddenBy: 1, reason: 'removed' },
        { path: '/app/conf', size: 2, layer: 0, hiddenBy: 1, reason: 'overwritten' },
        { path: '/tmp/x', size: 2, layer: 0, hiddenBy: 1, reason: 'removed' },
      ],
    });
    expect(json.layers.reduce((sum, l) => sum + l.size, 0)).toBe(json.waste.totalBytes);
    expect(json.layers.reduce((sum, l) => sum + l.hiddenLaterBytes, 0)).toBe(json.waste.hiddenBytes);
  });

  it("reports dive's figures", () => {
    // Leaves: layer 0 big.bin 1000, conf 2, current 0, x 2; layer 1: /tmp 0 (whiteout of a directory that
    // was only implied), big.bin 0 (whiteout of a file), conf 3, conf-link 0 (hardlink header size).
    // Minimums: big.bin 0, conf 2, current 0, x 2, /tmp 0, conf-link 0.
    expect(json.dive).toEqual({
      efficiency: (0 + 2 + 0 + 2 + 0 + 0) / (1000 + 5 + 0 + 2 + 0 + 0),
      wastedBytes: 1005,
      userWastedPercent: 1005 / 3,
      sizeBytes: 1007,
      userSizeBytes: 3,
      inefficientFiles: [
        { path: '/app/big.bin', count: 2, sizeBytes: 1000 },
        { path: '/app/conf', count: 2, sizeBytes: 5 },
      ],
    });
  });

  it('is plain JSON and stable', () => {
    const text = JSON.stringify(json);
    expect(JSON.parse(text)).toEqual(json);
    expect(JSON.stringify(report(layerList, ['ADD app /app', 'RUN tidy']))).toBe(text);
  });

  it('uses an empty command and null dates when the history is missing', () => {
    const bare = report(layers([file('/a', 'a')]));
    expect(bare.layers[0]).toMatchObject({ command: '', created: null });
    expect(bare.dive.userWastedPercent).toBeNull();
    expect(bare.waste).toMatchObject({ totalBytes: 1, visibleBytes: 1, efficiency: 1, hidden: [] });
  });
});
