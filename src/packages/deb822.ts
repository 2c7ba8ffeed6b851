/**
 * Control-file paragraphs (deb822, as dpkg's status file writes them) and apk's installed database
 * share a shape: blank-line separated records of `Key: value` lines. This reads dpkg's flavour:
 * continuation lines start with a space or tab and are folded into the field.
 */
export function parseParagraphs(text: string): Array<Map<string, string>> {
  const records: Array<Map<string, string>> = [];
  let current = new Map<string, string>();
  let lastKey: string | null = null;
  for (const line of text.split('\n')) {
    if (line.trim() === '') {
      if (current.size > 0) records.push(current);
      current = new Map();
      lastKey = null;
      continue;
    }
    if ((line.startsWith(' ') || line.startsWith('\t')) && lastKey !== null) {
      current.set(lastKey, `${current.get(lastKey)}\n${line.slice(1)}`);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    lastKey = line.slice(0, colon);
    current.set(lastKey, line.slice(colon + 1).trim());
  }
  if (current.size > 0) records.push(current);
  return records;
}
