import type { Progress } from '../image/types.js';
import { formatBytes } from '../util/format.js';

/** A progress sink: `done` erases what was drawn (an update after it draws again). */
export interface ProgressLine {
  update: (p: Progress) => void;
  done: () => void;
}

/**
 * Progress on stderr while an image is read, only when stderr is a terminal (never in pipes, logs
 * or CI). Redrawn at most every 100 ms on one line, and erased when done.
 */
export function stderrProgress(stream: NodeJS.WriteStream = process.stderr): ProgressLine {
  const line = statusLine(stream);
  return { update: (p) => line.draw(`reading ${progressText(p)}`), done: line.erase };
}

/**
 * Progress of images read at once, on one line ("reading A: layer 2 of 5, 10 MB · B: …"): a line
 * each would overwrite the other. Each image gets its own sink.
 */
export function stderrProgressOfEach(
  labels: readonly string[],
  stream: NodeJS.WriteStream = process.stderr,
): ProgressLine[] {
  const line = statusLine(stream);
  const latest: Array<Progress | undefined> = labels.map(() => undefined);
  return labels.map((_, i) => ({
    update(p) {
      latest[i] = p;
      const parts = labels.map((label, j) => `${label}: ${latest[j] ? progressText(latest[j]) : 'waiting'}`);
      line.draw(`reading ${parts.join(' · ')}`);
    },
    done: line.erase,
  }));
}

function progressText(p: Progress): string {
  const bytes = p.totalBytes ? `${formatBytes(p.bytesRead)} of ${formatBytes(p.totalBytes)}` : formatBytes(p.bytesRead);
  const layers = p.layersTotal ? `layer ${p.layersDone} of ${p.layersTotal}, ` : '';
  return `${layers}${bytes}`;
}

/** One line of stderr redrawn at most every 100 ms; nothing at all when stderr is not a terminal. */
function statusLine(stream: NodeJS.WriteStream): { draw: (text: string) => void; erase: () => void } {
  if (!stream.isTTY) return { draw: () => {}, erase: () => {} };
  let last = 0;
  let drawn = false;
  return {
    draw(text) {
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      stream.write(`\r\x1b[2K${text}`);
      drawn = true;
    },
    erase() {
      if (drawn) stream.write('\r\x1b[2K');
    },
  };
}
