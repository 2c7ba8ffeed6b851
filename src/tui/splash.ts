import type { Progress } from '../image/types.js';
import { formatBytes, truncate } from '../util/format.js';

/**
 * The explorer's first frame, drawn with plain ANSI before React and Ink are even loaded (loading
 * them takes longer than the 300 ms a first frame may take). It shows what is being read and how far
 * along, and is redrawn as bytes arrive until the explorer takes the screen over.
 */
export class Splash {
  private last = 0;
  private stopped = false;

  constructor(
    private readonly stdout: NodeJS.WriteStream,
    private readonly target: string,
  ) {}

  draw(progress: Progress | null): void {
    if (this.stopped) return;
    const now = Date.now();
    if (progress && now - this.last < 100) return;
    this.last = now;
    const columns = this.stdout.columns || 80;
    const rows = this.stdout.rows || 24;
    const barWidth = Math.max(10, Math.min(60, columns - 10));
    const fraction = progress?.totalBytes ? Math.min(1, progress.bytesRead / progress.totalBytes) : 0;
    const filled = Math.round(fraction * barWidth);
    const bytes = progress
      ? progress.totalBytes
        ? `${formatBytes(progress.bytesRead)} of ${formatBytes(progress.totalBytes)}`
        : formatBytes(progress.bytesRead)
      : '';
    const layers = progress?.layersTotal ? ` · layer ${progress.layersDone} of ${progress.layersTotal}` : '';
    const lines = [
      'strata',
      truncate(this.target, columns - 4),
      '█'.repeat(filled) + '░'.repeat(barWidth - filled),
      truncate(`reading and verifying ${bytes}${layers}`, columns - 4),
    ];
    const top = Math.max(0, Math.floor((rows - lines.length) / 2));
    let frame = '\x1b[H\x1b[2J';
    lines.forEach((line, i) => {
      const left = Math.max(0, Math.floor((columns - [...line].length) / 2));
      frame += `\x1b[${top + i + 1};${left + 1}H${line}`;
    });
    this.stdout.write(frame);
  }

  /** The explorer takes over: no more redraws, and a clean screen with the cursor home for Ink. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.stdout.write('\x1b[H\x1b[2J');
  }
}
