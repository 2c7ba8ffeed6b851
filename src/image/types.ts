import type { LayerIndex } from '../layers/types.js';

export type SourceKind = 'docker-archive' | 'oci-archive' | 'oci-dir' | 'registry' | 'engine';

/** An image's platform, as image indexes and configs name it. */
export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

/** How far the reading of an image has come, as progress displays show it. */
export interface Progress {
  /** Stored bytes read so far, of `totalBytes` when known. */
  bytesRead: number;
  totalBytes: number | null;
  layersDone: number;
  layersTotal: number | null;
}

/** One entry of the config's history, as written. */
export interface HistoryEntry {
  created: string | null;
  createdBy: string;
  comment?: string;
  emptyLayer: boolean;
}

/** Facts about the image taken from its config (and manifest). */
export interface ImageConfig {
  os: string;
  architecture: string;
  variant?: string;
  created: string | null;
  user: string;
  labels: Record<string, string>;
  env: string[];
  cmd: string[] | null;
  entrypoint: string[] | null;
  workingDir: string;
  exposedPorts: string[];
  /** The HEALTHCHECK test, or null when the image has none. */
  healthcheck: string[] | null;
  history: HistoryEntry[];
  /** rootfs.diff_ids, in layer order. */
  diffIds: string[];
}

/** A layer of the image: its index plus where it sits in the history. */
export interface ImageLayer extends LayerIndex {
  index: number;
  /** `created_by` of the matching non-empty history entry, "" when the history is missing. */
  command: string;
  created: string | null;
}

/** A fully read and verified image. */
export interface ImageIndex {
  source: SourceKind;
  /** What the user asked for (a path or a reference), or a reference name found in the archive. */
  reference: string | null;
  manifestDigest: string | null;
  configDigest: string;
  config: ImageConfig;
  layers: ImageLayer[];
  /** False when the user asked not to verify digests (--no-verify). */
  verified: boolean;
}
