import prettyBytes from 'pretty-bytes';

const formatted = new Map<number, string>();

/**
 * SI sizes (kB, MB) rounded to 3 significant digits ("52.9 MB", "316 kB"), pretty-bytes' default;
 * its fraction-digit option truncates instead ("52.8 MB") and is slow. Memoized, because a screen
 * shows the same sizes frame after frame.
 */
export function formatBytes(bytes: number): string {
  let text = formatted.get(bytes);
  if (text === undefined) {
    if (formatted.size >= 50_000) formatted.clear();
    text = prettyBytes(bytes);
    formatted.set(bytes, text);
  }
  return text;
}

/** "1 match", "4 matches": a count with its noun. */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

export function formatPercent(fraction: number): string {
  return `${(fraction * 100).toFixed(1)} %`;
}

/**
 * A Dockerfile step as one line, as a person would have written it: `/bin/sh -c #(nop)` dropped,
 * `/bin/sh -c` shown as RUN, the build-arg prefix Docker and buildah add (`|3 A=1 B=2 /bin/sh -c`)
 * dropped (the full command stays in the layer details), newlines shown as ↵.
 */
export function oneLineCommand(command: string): string {
  return command
    .replace(/^\|\d+ [^]*?(?=\/bin\/sh -c )/, '')
    .replace(/^\/bin\/sh -c #\(nop\)\s*/, '')
    .replace(/^\/bin\/sh -c /, 'RUN ')
    .replace(/\s*\r?\n\s*/g, ' ↵ ')
    .replace(/\s+# buildkit$/, '')
    .trim();
}

/** "YYYY-MM-DD HH:MM" from an ISO timestamp; the text as given when it does not parse. */
export function formatTimestamp(iso: string | null): string {
  if (!iso) return 'unknown';
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
  return m ? `${m[1]} ${m[2]}` : iso;
}

/** Shortens to `width` columns with an ellipsis, never mid-character. */
export function truncate(text: string, width: number): string {
  const chars = [...text];
  if (chars.length <= width) return text;
  return width <= 1 ? '…'.slice(0, width) : chars.slice(0, width - 1).join('') + '…';
}

/** Shortens from the left ("…/lists/file"), for paths whose end says the most. */
export function truncateStart(text: string, width: number): string {
  const chars = [...text];
  if (chars.length <= width) return text;
  return width <= 1 ? '…'.slice(0, width) : '…' + chars.slice(chars.length - width + 1).join('');
}

/** "3 days ago", from an ISO date. */
export function formatAge(iso: string | null, now: Date = new Date()): string {
  if (!iso) return 'age unknown';
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) return 'age unknown';
  const days = Math.floor((now.getTime() - t) / 86_400_000);
  if (days < 0) return 'created in the future';
  if (days === 0) return 'created today';
  if (days < 60) return `${days} day${days === 1 ? '' : 's'} old`;
  if (days < 730) return `${Math.floor(days / 30)} months old`;
  return `${Math.floor(days / 365)} years old`;
}

/** USER as configured: empty, 0 and root (with any group) all mean root. */
export function runsAsRoot(user: string): boolean {
  const name = user.split(':')[0] ?? '';
  return name === '' || name === '0' || name === 'root';
}

/** Shortens in the middle ("debian.mirr…amd64_Packages"): both ends of a file name carry meaning. */
export function truncateMiddle(text: string, width: number): string {
  const chars = [...text];
  if (chars.length <= width) return text;
  if (width <= 1) return '…'.slice(0, width);
  const tail = Math.floor((width - 1) / 2);
  const head = width - 1 - tail;
  return chars.slice(0, head).join('') + '…' + chars.slice(chars.length - tail).join('');
}
