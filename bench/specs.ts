/**
 * The synthetic benchmark images. Changing anything here changes the spec hash, so the cached
 * archive is regenerated on the next run.
 */
import type { ImageSpec } from './plan.js';

const MB = 1_000_000;

const runConfig = (app: string): Record<string, unknown> => ({
  Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'LANG=C.UTF-8', `APP=${app}`],
  Cmd: ['/opt/app/bin/run'],
  WorkingDir: '/opt/app',
  Labels: { 'org.opencontainers.image.title': app, 'org.opencontainers.image.source': 'strata bench (synthetic)' },
});

/** Many small files: the per-entry cost of reading and indexing (tar headers, paths, the tree). */
export const FILES_50K: ImageSpec = {
  name: 'files50k',
  seed: 'strata-bench/files50k/v1',
  repoTag: 'strata-bench/files50k:latest',
  created: '2024-06-01T12:00:00Z',
  layers: 20,
  files: 50_000,
  baseShare: 0.3,
  medianSize: 2048,
  sigma: 1.0,
  maxSize: 1024 * 1024,
  emptyShare: 0.02,
  overwriteShare: 0.08,
  identicalShare: 0.25,
  whiteoutsPerLayer: 30,
  dirWhiteoutShare: 0.2,
  opaqueEvery: 5,
  symlinkShare: 0.02,
  hardlinksPerLayer: 2,
  longNameShare: 0.03,
  large: [],
  emptySteps: [
    { after: 0, createdBy: '/bin/sh -c #(nop)  ENV LANG=C.UTF-8' },
    { after: 10, createdBy: '/bin/sh -c #(nop) WORKDIR /opt/app' },
    { after: 19, createdBy: '/bin/sh -c #(nop)  CMD ["/opt/app/bin/run"]' },
  ],
  runConfig: runConfig('files50k'),
};

/**
 * Shaped like a real 1.2 GB application image: ~34k mostly small files, a few large ones holding
 * most of the bytes (one deleted again, one rewritten), overwrites and ~100 whiteouts per layer.
 */
export const REALISTIC_1G: ImageSpec = {
  name: 'realistic1g',
  seed: 'strata-bench/realistic1g/v1',
  repoTag: 'strata-bench/realistic1g:latest',
  created: '2024-06-01T12:00:00Z',
  layers: 12,
  files: 34_000,
  baseShare: 0.35,
  medianSize: 2048,
  sigma: 1.3,
  maxSize: 8 * 1024 * 1024,
  emptyShare: 0.02,
  overwriteShare: 0.06,
  identicalShare: 0.25,
  whiteoutsPerLayer: 100,
  dirWhiteoutShare: 0.15,
  opaqueEvery: 4,
  symlinkShare: 0.02,
  hardlinksPerLayer: 3,
  longNameShare: 0.03,
  large: [
    { path: 'usr/lib/x86_64-linux-gnu/libLLVM-15.so.1', size: 118 * MB, layer: 0 },
    { path: 'usr/lib/jvm/java-17-openjdk-amd64/lib/modules', size: 135 * MB, layer: 0 },
    { path: 'opt/conda/pkgs/cudatoolkit-11.8.0-h6a678d5_0.tar.bz2', size: 170 * MB, layer: 2, removedIn: 4 },
    { path: 'opt/models/base/model.onnx', size: 210 * MB, layer: 3 },
    { path: 'var/cache/app/index.db', size: 85 * MB, layer: 5, overwrittenIn: { layer: 9, size: 92 * MB } },
    { path: 'opt/app/data/embeddings.bin', size: 140 * MB, layer: 7 },
    { path: 'usr/share/dataset/train.parquet', size: 55 * MB, layer: 10 },
  ],
  emptySteps: [
    { after: 0, createdBy: '/bin/sh -c #(nop)  ENV LANG=C.UTF-8' },
    { after: 0, createdBy: '/bin/sh -c #(nop)  ARG PYTHON_VERSION=3.11' },
    { after: 3, createdBy: '/bin/sh -c #(nop)  LABEL org.opencontainers.image.title=realistic1g' },
    { after: 6, createdBy: '/bin/sh -c #(nop) WORKDIR /opt/app' },
    { after: 11, createdBy: '/bin/sh -c #(nop)  EXPOSE 8080/tcp' },
    { after: 11, createdBy: '/bin/sh -c #(nop)  CMD ["/opt/app/bin/run"]' },
  ],
  runConfig: runConfig('realistic1g'),
};

export const SYNTHETIC: readonly ImageSpec[] = [FILES_50K, REALISTIC_1G];
