import { useEffect, useLayoutEffect, useMemo, useState } from 'preact/hooks';
import { api, routeFor, setApiLanguage, setMaintenanceHandler, type Problem } from './api/client';
import { Link, Loading } from './components/ui';
import { I18n, messages, type Lang } from './i18n';
import { navigate, usePath } from './router';
import { Confirm } from './screens/Confirm';
import { Done } from './screens/Done';
import { Identity } from './screens/Identity';
import { Login } from './screens/Login';
import { Menu } from './screens/Menu';
import { Register } from './screens/Register';
import { ChangeEmail, PasswordChange, VerifyEmail } from './screens/Account';
import { ForgotId, ForgotPassword } from './screens/Recovery';
import { Maintenance, NotFound, Terms } from './screens/Static';
import {
  AppContext,
  emptyDraft,
  type AppState,
  type Checked,
  type Draft,
  type FlashKey,
  type Session,
} from './state';

const SCREENS: Record<string, () => preact.JSX.Element | null> = {
  '/': Root,
  '/login': Login,
  '/forgot-id': ForgotId,
  '/forgot-password': ForgotPassword,
  '/onboarding/identity': Identity,
  '/onboarding/register': Register,
  '/onboarding/confirm': Confirm,
  '/onboarding/done': Done,
  '/menu': Menu,
  '/menu/email': ChangeEmail,
  '/password/change': PasswordChange,
  '/verify-email': VerifyEmail,
  '/terms': Terms,
  '/maintenance': Maintenance,
};

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
  const [lang, setLangState] = useState<Lang>('ja');
  const [session, setSession] = useState<Session | null>(null);
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const [checked, setChecked] = useState<Checked | null>(null);
  const [registered, setRegistered] = useState(false);
  const [carried, setCarried] = useState<Problem | null>(null);
  const [flash, setFlash] = useState<FlashKey | null>(null);
  const t = messages[lang];

  const setLang = (l: Lang) => {
    setLangState(l);
    setApiLanguage(l);
  };

  // A layout effect runs in the same commit as the new text, before the browser paints: the
  // page's `lang` (what screen readers and the browser's hyphenation go by) never lags the words.
  useLayoutEffect(() => {
    document.documentElement.lang = lang;
    document.title = `${(SCREENS[path] ? titleOf(path, t) : t.notFound.title) ?? ''} | ${t.appName}`;
  }, [lang, path]);

  useEffect(() => {
    setMaintenanceHandler(() => navigate('/maintenance', true));
  }, []);

  const state: AppState = useMemo(
    () => ({
      lang,
      setLang,
      session,
      setSession,
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
    [lang, session, draft, checked, registered, carried, flash],
  );

  const Screen = SCREENS[path] ?? NotFound;
  const showTenant = session && path !== '/login' && path !== '/maintenance';

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
          <Screen key={path} />
        </main>
        <footer class="site-footer">
          <Link href="/terms">{t.footerTerms}</Link>
          <p class="small">Madoguchi</p>
        </footer>
      </AppContext.Provider>
    </I18n.Provider>
  );
}

function titleOf(path: string, t: (typeof messages)['ja']): string | undefined {
  const titles: Record<string, string> = {
    '/login': t.login.title,
    '/forgot-id': t.forgotId.title,
    '/forgot-password': t.forgotPassword.title,
    '/onboarding/identity': t.identity.title,
    '/onboarding/register': t.register.title,
    '/onboarding/confirm': t.confirm.title,
    '/onboarding/done': t.done.title,
    '/menu': t.menu.title,
    '/menu/email': t.changeEmail.title,
    '/password/change': t.passwordChange.title,
    '/verify-email': t.verifyEmail.title,
    '/terms': t.terms.title,
    '/maintenance': t.maintenance.title,
  };
  return titles[path] ?? t.appName;
}
