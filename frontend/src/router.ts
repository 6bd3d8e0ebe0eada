// A tiny history router: the path is the screen. `madoguchi serve` answers every path that is
// not a file with index.html, so reloads and shared links land on the right screen.
import { useEffect, useState } from 'preact/hooks';

type Listener = (path: string) => void;
const listeners = new Set<Listener>();

export function currentPath(): string {
  return window.location.pathname;
}

/** Goes to `path` (which may carry a query: `/maintenance?from=%2Fmenu`); the screen is its path part. */
export function navigate(path: string, replace = false): void {
  if (path === currentPath()) {
    listeners.forEach((l) => l(path));
    return;
  }
  if (replace) window.history.replaceState(null, '', path);
  else window.history.pushState(null, '', path);
  window.scrollTo(0, 0);
  listeners.forEach((l) => l(currentPath()));
}

export function usePath(): string {
  const [path, setPath] = useState(currentPath());
  useEffect(() => {
    const onPop = () => setPath(currentPath());
    const listener: Listener = (p) => setPath(p);
    listeners.add(listener);
    window.addEventListener('popstate', onPop);
    return () => {
      listeners.delete(listener);
      window.removeEventListener('popstate', onPop);
    };
  }, []);
  return path;
}
