// Files the API sends as attachments (医療費のお知らせ's xlsx and CSV). The session travels in
// the HttpOnly cookie, so a plain fetch carries it; the answer becomes a Blob saved under the
// name the server gives in Content-Disposition. A problem (a lost session, no data for the
// year) comes back as JSON to show on the screen instead of being saved as a file.

/**
 * The file name of a `Content-Disposition` header: `filename*=UTF-8''…` (RFC 6266/8187) first,
 * else `filename="…"` or a bare `filename=…`; null when there is none. Any path is dropped.
 */
export function fileNameOf(header: string | null | undefined): string | null {
  if (!header) return null;
  let name: string | null = null;
  const extended = /filename\*\s*=\s*([^']*)'[^']*'([^;]+)/i.exec(header);
  if (extended?.[2]) {
    try {
      name = decodeURIComponent(extended[2].trim().replace(/^"|"$/g, ''));
    } catch {
      name = null;
    }
  }
  if (!name) {
    const quoted = /(?:^|;)\s*filename\s*=\s*"((?:[^"\\]|\\.)*)"/i.exec(header);
    const bare = /(?:^|;)\s*filename\s*=\s*([^;"\s]+)/i.exec(header);
    name = quoted?.[1] !== undefined ? quoted[1].replace(/\\(.)/g, '$1') : (bare?.[1] ?? null);
  }
  if (!name) return null;
  name = (name.split(/[\\/]/).pop() ?? '').trim();
  return name && name !== '.' && name !== '..' ? name : null;
}

/** Saves `blob` as `name` through a temporary object URL (the browser's download). */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  // Revoked once the browser has taken the file over (revoking at once can cancel it).
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
