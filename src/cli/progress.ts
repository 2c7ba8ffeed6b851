import type { Progress } from '../image/open.js';
import { formatBytes } from '../util/format.js';

/**
 * Progress on stderr while an image is read, only when stderr is a terminal (never in pipes, logs
 * or CI). Redrawn at most every 100 ms on one line, and erased when done.
 */
export function stderrProgress(stream: NodeJS.WriteStream = process.stderr): {
  update: (p: Progress) => void;
  done: () => void;
} {
  if (!stream.isTTY) return { update: () => {}, done: () => {} };
  let last = 0;
  let drawn = false;
  return {
    update(p) {
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      const bytes = p.totalBytes
        ? `${formatBytes(p.bytesRead)} of ${formatBytes(p.totalBytes)}`
        : formatBytes(p.bytesRead);
      const layers = p.layersTotal ? `layer ${p.layersDone} of ${p.layersTotal}, ` : '';
      stream.write(`\r\x1b[2Kreading ${layers}${bytes}`);
      drawn = true;
    },
    done() {
      if (drawn) stream.write('\r\x1b[2K');
    },
  };
}
