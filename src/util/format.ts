import prettyBytes from 'pretty-bytes';

/** SI sizes (kB, MB) as dive and most registries show them. */
export function formatBytes(bytes: number): string {
  return prettyBytes(bytes, { maximumFractionDigits: 1 });
}

export function formatPercent(fraction: number): string {
  return `${(fraction * 100).toFixed(1)} %`;
}

/** A Dockerfile step as one line: newlines shown as ↵, buildah/docker noise trimmed. */
export function oneLineCommand(command: string): string {
  return command
    .replace(/^\/bin\/sh -c #\(nop\)\s*/, '')
    .replace(/^\/bin\/sh -c /, 'RUN ')
    .replace(/\s*\r?\n\s*/g, ' ↵ ')
    .trim();
}

/** Shortens to `width` columns with an ellipsis, never mid-character. */
export function truncate(text: string, width: number): string {
  const chars = [...text];
  if (chars.length <= width) return text;
  return width <= 1 ? '…'.slice(0, width) : chars.slice(0, width - 1).join('') + '…';
}
