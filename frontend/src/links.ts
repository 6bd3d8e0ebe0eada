// Web addresses in a notice's plain text (DESIGN §10): the text is split into plain parts and
// addresses, and the screen writes both as text nodes, so nothing in it is ever read as HTML.

export type Part = { text: string } | { url: string };

/**
 * http(s) addresses in running text. Spaces, quotes, angle brackets and Japanese punctuation end
 * one; other schemes (`javascript:`, `data:`) are never matched.
 */
const URL_PATTERN = /https?:\/\/[^\s<>"'「」『』（）()、。，．！？【】]+/g;

export function splitLinks(text: string): Part[] {
  const parts: Part[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    // A sentence's `.` or `,` right after an address is the sentence's.
    const url = match[0].replace(/[.,;:!?]+$/, '');
    const start = match.index ?? 0;
    if (!/^https?:\/\/./.test(url)) continue;
    if (start > last) parts.push({ text: text.slice(last, start) });
    parts.push({ url });
    last = start + url.length;
  }
  if (last < text.length) parts.push({ text: text.slice(last) });
  return parts;
}
