/**
 * Orders two package versions the way dpkg does (`dpkg --compare-versions`): epoch, then upstream
 * version, then revision, each compared as alternating runs of non-digits (where `~` sorts before
 * anything, even the end) and numbers. rpm and apk order the versions they use the same way in all
 * but corner cases, so one comparison serves the three.
 */
export function compareVersions(a: string, b: string): number {
  const [epochA, upstreamA, revisionA] = split(a);
  const [epochB, upstreamB, revisionB] = split(b);
  if (epochA !== epochB) return epochA < epochB ? -1 : 1;
  return compareParts(upstreamA, upstreamB) || compareParts(revisionA, revisionB);
}

function split(version: string): [number, string, string] {
  const colon = version.indexOf(':');
  const epoch = colon > 0 ? Number.parseInt(version.slice(0, colon), 10) || 0 : 0;
  const rest = colon > 0 ? version.slice(colon + 1) : version;
  const dash = rest.lastIndexOf('-');
  return dash > 0 ? [epoch, rest.slice(0, dash), rest.slice(dash + 1)] : [epoch, rest, ''];
}

/** Tilde first, then the end of the string, then letters, then everything else. */
function order(c: string | undefined): number {
  if (c === undefined) return 0;
  if (c === '~') return -1;
  if (/[A-Za-z]/.test(c)) return c.charCodeAt(0);
  return c.charCodeAt(0) + 256;
}

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';

function compareParts(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while ((i < a.length && !isDigit(a[i])) || (j < b.length && !isDigit(b[j]))) {
      const left = isDigit(a[i]) ? 0 : order(a[i]);
      const right = isDigit(b[j]) ? 0 : order(b[j]);
      if (left !== right) return left < right ? -1 : 1;
      i++;
      j++;
    }
    while (a[i] === '0') i++;
    while (b[j] === '0') j++;
    let first = 0;
    while (isDigit(a[i]) && isDigit(b[j])) {
      if (first === 0) first = a.charCodeAt(i) - b.charCodeAt(j);
      i++;
      j++;
    }
    if (isDigit(a[i])) return 1;
    if (isDigit(b[j])) return -1;
    if (first !== 0) return first < 0 ? -1 : 1;
  }
  return 0;
}
