// What the SPA remembers between screens, in memory only: the session summary the API gave
// (never the token), what the member typed on the personal-information screen (so 戻る on the
// confirmation screen keeps it), and a one-off notice for the next screen. The one thing kept
// across page loads is the language choice (see `app.tsx`).
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Contact, Problem } from './api/client';
import type { components } from './api/schema';
import type { Lang } from './i18n';
import type { Lock } from './lock';

export interface Session {
  nextStep: string;
  tenantName: string;
  /** The kenpo's contact: `undefined` until `/session` or `/me` has said (null: none set). */
  contact?: Contact | null;
  /** At `second_factor`: the methods the login offered (unknown after a reload). */
  secondFactorMethods?: string[];
}

export type MaintenanceStatus = components['schemas']['MaintenanceStatus'];

/** A lock a screen's load ran into (423): the lock screen shows it, then goes back to `from`. */
export interface LockedAt extends Lock {
  from: string;
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
  /** Keeps the contact already known for the same kenpo when `s` does not carry one. */
  setSession: (s: Session | null) => void;
  /** What `GET /maintenance` said last (every screen asks when it appears). */
  maintenance: MaintenanceStatus | null;
  /** The temporary ID this browser signed in with (the new user ID must differ from it). */
  temporaryId: string | null;
  setTemporaryId: (id: string | null) => void;
  locked: LockedAt | null;
  setLocked: (l: LockedAt | null) => void;
  draft: Draft;
  setDraft: (d: Draft) => void;
  checked: Checked | null;
  setChecked: (c: Checked | null) => void;
  /** Set right after the commit (with the address the confirmation went to): the result screen is shown once, then the menu. */
  registered: { email: string } | null;
  setRegistered: (r: { email: string } | null) => void;
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
