import { useEffect, useLayoutEffect, useMemo, useState } from 'preact/hooks';
import { api, routeFor, setApiLanguage, setMaintenanceHandler, type Problem } from './api/client';
import { ContactBlock, hasContact } from './components/help';
import { Link, Loading } from './components/ui';
import { I18n, messages, type Lang, type Messages } from './i18n';
import { currentPath, navigate, usePath } from './router';
import { ChangeEmail, PasswordChange, VerifyEmail } from './screens/Account';
import { Locked, Maintenance } from './screens/Closed';
import { Confirm } from './screens/Confirm';
import { Done } from './screens/Done';
import { Identity } from './screens/Identity';
import { Login } from './screens/Login';
import { Medical } from './screens/Medical';
import { Menu } from './screens/Menu';
import { Notices, NoticeView } from './screens/Notices';
import { ForgotId, ForgotPassword } from './screens/Recovery';
import { Register } from './screens/Register';
import { SecondFactor } from './screens/SecondFactor';
import { Security } from './screens/Security';
import { NotFound, Terms } from './screens/Static';
import {
  AppContext,
  emptyDraft,
  type AppState,
  type Checked,
  type Draft,
  type FlashKey,
  type LockedAt,
  type MaintenanceStatus,
  type Session,
} from './state';

const SCREENS: Record<string, () => preact.JSX.Element | null> = {
  '/': Root,
  '/login': Login,
  '/login/second-factor': SecondFactor,
  '/forgot-id': ForgotId,
  '/forgot-password': ForgotPassword,
  '/onboarding/identity': Identity,
  '/onboarding/register': Register,
  '/onboarding/confirm': Confirm,
  '/onboarding/done': Done,
  '/menu': Menu,
  '/menu/email': ChangeEmail,
  '/menu/security': Security,
  '/menu/notices': Notices,
  '/menu/notice': NoticeView,
  '/menu/medical': Medical,
  '/password/change': PasswordChange,
  '/verify-email': VerifyEmail,
  '/terms': Terms,
  '/maintenance': Maintenance,
  '/locked': Locked,
};

/** Screens that show the kenpo's contact in their own text: the footer does not repeat it. */
const CONTACT_IN_MAIN = new Set(['/forgot-id', '/forgot-password', '/maintenance', '/locked']);

/**
 * The language is the one thing kept across page loads (a reload, an e-mailed link, a new tab):
 * the choice alone, never anything about the member or the session.
 */
const LANG_KEY = 'madoguchi.lang';

function storedLang(): Lang {
  try {
    return localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'ja';
  } catch {
    return 'ja';
  }
}

function storeLang(lang: Lang): void {
  try {
    localStorage.setItem(LANG_KEY, lang);
  } catch {
    // Storage refused (private mode, a full quota): the choice lasts for this page only.
  }
}

/**
 * The maintenance screen, remembering the screen to come back to when the window ends (with its
 * query: an e-mailed verification link opened during a window still works after it).
 */
function toMaintenance(): void {
  if (currentPath() === '/maintenance') return;
  const from = window.location.pathname + window.location.search;
  navigate(`/maintenance?from=${encodeURIComponent(from)}`, true);
}

setMaintenanceHandler(toMaintenance);

/** `/`: resume where the session is, or sign in. */
function Root() {
  useEffect(() => {
    api
      .GET('/api/v1/session')
      .then(({ data, response }) => {
        if (data) navigate(routeFor(data.next_step), true);
        else if (response.status !== 503) navigate('/login', true);
      })
      .catch(() => navigate('/login', true));
  }, []);
  return <Loading />;
}

export function App() {
  const path = usePath();
  const [lang, setLangState] = useState<Lang>(() => {
    const stored = storedLang();
    setApiLanguage(stored);
    return stored;
  });
  const [session, setSessionState] = useState<Session | null>(null);
  const [maintenance, setMaintenance] = useState<MaintenanceStatus | null>(null);
  // The first screen waits for the maintenance check, so a bookmarked form never shows in a window.
  const [opened, setOpened] = useState(false);
  const [temporaryId, setTemporaryId] = useState<string | null>(null);
  const [locked, setLocked] = useState<LockedAt | null>(null);
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const [checked, setChecked] = useState<Checked | null>(null);
  const [registered, setRegistered] = useState<{ email: string } | null>(null);
  const [carried, setCarried] = useState<Problem | null>(null);
  const [flash, setFlash] = useState<FlashKey | null>(null);
  const t = messages[lang];

  const setLang = (l: Lang) => {
    setLangState(l);
    setApiLanguage(l);
    storeLang(l);
  };

  // A token answer names the kenpo but not its contact: keep the contact already known for it.
  const setSession = (s: Session | null) =>
    setSessionState((old) =>
      s && s.contact === undefined && old?.tenantName === s.tenantName ? { ...s, contact: old.contact } : s,
    );

  // A layout effect runs in the same commit as the new text, before the browser paints: the
  // page's `lang` (what screen readers and the browser's hyphenation go by) never lags the words.
  useLayoutEffect(() => {
    const page = pageOf(path, t);
    document.documentElement.lang = lang;
    document.title = `${page.title} | ${t.appName}`;
    document.querySelector('meta[name="description"]')?.setAttribute('content', page.description);
  }, [lang, path]);

  // Every screen asks whether the portal is in a maintenance window as it appears.
  useEffect(() => {
    if (path === '/maintenance') return setOpened(true);
    api
      .GET('/api/v1/maintenance')
      .then(({ data }) => {
        if (!data) return;
        setMaintenance(data);
        if (data.active) toMaintenance();
      })
      .catch(() => {})
      .finally(() => setOpened(true));
  }, [path]);

  // After a sign-in the token answer has no contact: ask the session for it once.
  useEffect(() => {
    if (!session || session.contact !== undefined) return;
    api
      .GET('/api/v1/session')
      .then(({ data }) => {
        if (!data) return;
        const contact = data.tenant_contact ?? null;
        setSessionState((old) => (old && old.tenantName === data.tenant_name ? { ...old, contact } : old));
      })
      .catch(() => {});
  }, [session]);

  const state: AppState = useMemo(
    () => ({
      lang,
      setLang,
      session,
      setSession,
      maintenance,
      temporaryId,
      setTemporaryId,
      locked,
      setLocked,
      draft,
      setDraft,
      checked,
      setChecked,
      registered,
      setRegistered,
      carried,
      setCarried,
      flash,
      setFlash,
    }),
    [lang, session, maintenance, temporaryId, locked, draft, checked, registered, carried, flash],
  );

  const Screen = SCREENS[path] ?? NotFound;
  const showTenant = session && path !== '/login' && path !== '/maintenance';
  const footerContact = showTenant && hasContact(session.contact) && !CONTACT_IN_MAIN.has(path);

  return (
    <I18n.Provider value={t}>
      <AppContext.Provider value={state}>
        <a class="skip-link" href="#main">
          {t.skipToMain}
        </a>
        <header class="site-header">
          <div class="site-header__inner">
            <p class="brand">
              <span class="brand__name">{t.appName}</span>
              <span class="brand__tagline">{t.appTagline}</span>
            </p>
            <button
              type="button"
              class="lang-switch"
              lang={lang === 'ja' ? 'en' : 'ja'}
              aria-label={t.switchLanguageLabel}
              onClick={() => setLang(lang === 'ja' ? 'en' : 'ja')}
            >
              {t.switchLanguage}
            </button>
          </div>
          {showTenant && (
            <p class="tenant" id="tenant-name">
              {session.tenantName}
            </p>
          )}
        </header>
        <main id="main" class="page">
          {opened ? <Screen key={path} /> : <Loading />}
        </main>
        <footer class="site-footer">
          {footerContact && (
            <div id="site-contact">
              <ContactBlock contact={session.contact} />
            </div>
          )}
          <Link href="/terms">{t.footerTerms}</Link>
          <p class="small">Madoguchi</p>
        </footer>
      </AppContext.Provider>
    </I18n.Provider>
  );
}

/** The title and the `<meta name="description">` of a screen. */
function pageOf(path: string, t: Messages): { title: string; description: string } {
  const pages: Record<string, { title: string; description: string }> = {
    '/login': t.login,
    '/login/second-factor': t.secondFactor,
    '/forgot-id': t.forgotId,
    '/forgot-password': t.forgotPassword,
    '/onboarding/identity': t.identity,
    '/onboarding/register': t.register,
    '/onboarding/confirm': t.confirm,
    '/onboarding/done': t.done,
    '/menu': t.menu,
    '/menu/email': t.changeEmail,
    '/menu/security': t.security,
    '/menu/notices': t.notices,
    '/menu/notice': t.notices.detail,
    '/menu/medical': t.medical,
    '/password/change': t.passwordChange,
    '/verify-email': t.verifyEmail,
    '/terms': t.terms,
    '/maintenance': t.maintenance,
    '/locked': t.lock,
  };
  const page = pages[path] ?? (SCREENS[path] ? t.login : t.notFound);
  return { title: page.title, description: page.description };
}
