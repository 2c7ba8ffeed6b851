import type { Progress } from './types.js';

/**
 * The progress of one read, told to `onProgress` as it changes: the source adds the bytes it reads
 * itself (a one-pass archive, an engine's export) and says what it expects; the reader adds the
 * layers it reads.
 */
export class ProgressMeter {
  private readonly progress: Progress = { bytesRead: 0, totalBytes: null, layersDone: 0, layersTotal: null };

  constructor(private readonly listener: (progress: Progress) => void) {}

  /** What the read will go through, as far as the source knows. */
  expect(totalBytes: number | null, layersTotal: number | null): void {
    this.progress.totalBytes = totalBytes;
    this.progress.layersTotal = layersTotal;
    this.report();
  }

  addBytes(bytes: number): void {
    this.progress.bytesRead += bytes;
    this.report();
  }

  layerDone(total: number): void {
    this.progress.layersDone++;
    this.progress.layersTotal = total;
    this.report();
  }

  private report(): void {
    this.listener({ ...this.progress });
  }
}
