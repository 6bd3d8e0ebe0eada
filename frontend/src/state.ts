// What the SPA remembers between screens, in memory only: the session summary the API gave
// (never the token), what the member typed on the personal-information screen (so 戻る on the
// confirmation screen keeps it), and a one-off notice for the next screen.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Problem } from './api/client';
import type { Lang } from './i18n';

export interface Session {
  nextStep: string;
  tenantName: string;
}

export interface Draft {
  user_id: string;
  password: string;
  password_confirmation: string;
  email: string;
  notify_on_update: boolean;
}

/** What the server accepted at 入力内容確認 (normalised), shown on the confirmation screen. */
export interface Checked {
  user_id: string;
  email: string;
  notify_on_update: boolean;
}

export const emptyDraft: Draft = {
  user_id: '',
  password: '',
  password_confirmation: '',
  email: '',
  notify_on_update: true,
};

export type FlashKey = 'sessionExpired' | 'loggedOut';

export interface AppState {
  lang: Lang;
  setLang: (lang: Lang) => void;
  session: Session | null;
  setSession: (s: Session | null) => void;
  draft: Draft;
  setDraft: (d: Draft) => void;
  checked: Checked | null;
  setChecked: (c: Checked | null) => void;
  /** Set right after the commit: the result screen is shown once, then the menu. */
  registered: boolean;
  setRegistered: (r: boolean) => void;
  /** A problem the commit (実行) answered, shown beside the fields after going back. */
  carried: Problem | null;
  setCarried: (p: Problem | null) => void;
  flash: FlashKey | null;
  setFlash: (f: FlashKey | null) => void;
}

export const AppContext = createContext<AppState | null>(null);

export function useApp(): AppState {
  const app = useContext(AppContext);
  if (!app) throw new Error('AppContext missing');
  return app;
}
