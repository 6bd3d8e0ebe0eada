// Where a member was going when the portal asked them to sign in: a page behind the menu that an
// e-mail links to (`/menu/medical`, `/menu/notice?id=…`). After the sign-in (and its second
// step) the member lands there rather than on the menu. Kept for this tab only, and only for
// this site's `/menu/…` pages, so a crafted link can never send a member elsewhere.

const KEY = 'madoguchi.returnTo';

/** `path` if it is a page behind the menu worth coming back to, else null. */
export function returnPathOf(path: string): string | null {
  return /^\/menu\/[a-z][a-z-]*(\?[A-Za-z0-9_=&%.-]*)?$/.test(path) ? path : null;
}

function storage(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

/** Remembers the page the member asked for before being sent to sign in. */
export function rememberReturn(path: string): void {
  const kept = returnPathOf(path);
  if (kept) storage()?.setItem(KEY, kept);
}

/**
 * Where to go after a sign-in answered `route` (the route of its next step): the remembered
 * page when that is the menu, kept through the second step, forgotten on any other step.
 */
export function afterSignIn(route: string, store: Pick<Storage, 'getItem' | 'removeItem'> | null = storage()): string {
  if (route === '/login/second-factor') return route;
  const kept = store?.getItem(KEY) ?? null;
  store?.removeItem(KEY);
  return route === '/menu' ? (returnPathOf(kept ?? '') ?? route) : route;
}
