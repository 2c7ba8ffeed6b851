/**
 * Text from an image (names, labels, commands) is untrusted: it reaches the page only through these.
 * Control characters are shown as `\xNN`, as on the terminal, so none can hide in a name.
 */
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return visibleControls(text).replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

// Control characters are what it finds.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

function visibleControls(text: string): string {
  return text.replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** JSON inside a `<script type="application/json">`: `<` escaped so no `</script>` can close it. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
