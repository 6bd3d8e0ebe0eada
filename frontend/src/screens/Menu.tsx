import { useEffect, useState } from 'preact/hooks';
import { api, isSignedOut, routeFor, type Problem } from '../api/client';
import type { components } from '../api/schema';
import { ContactBlock, hasContact } from '../components/help';
import { ErrorSummary, type General, Link, Loading, Notice, NotifyChoice, Title } from '../components/ui';
import { focusField } from '../form';
import { showLocked } from '../guard';
import { formatJst, type Messages, useT } from '../i18n';
import { navigate } from '../router';
import { emptyDraft, useApp } from '../state';

type Me = components['schemas']['Me'];

/** The roster's address as one line: `〒100-0001 東京都…`, or null when none is on file. */
function addressOf(me: Me, t: Messages): string | null {
  const postal = me.postal_code?.trim();
  const address = me.address?.trim();
  if (postal && address) return t.menu.postalAddress(postal, address);
  if (address) return address;
  return postal ? t.menu.postalCodeOnly(postal) : null;
}

export function Menu() {
  const t = useT();
  const app = useApp();
  const [me, setMe] = useState<Me | null>(null);
  const [general, setGeneral] = useState<General>(null);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [notify, setNotify] = useState(false);

  useEffect(() => {
    api
      .GET('/api/v1/me')
      .then(({ data, error, response }) => {
        if (data) {
          setMe(data);
          setNotify(data.notify_on_update);
          app.setSession({ nextStep: 'menu', tenantName: data.tenant.name, contact: data.tenant.contact ?? null });
          return;
        }
        if (response.status === 503 || showLocked(app, error, response)) return;
        const p = error as Problem;
        if (p.code === 'wrong_step' && p.next_step) return navigate(routeFor(p.next_step), true);
        if (isSignedOut(p)) {
          app.setSession(null);
          app.setFlash(p.code === 'unauthenticated' ? null : 'sessionExpired');
          return navigate('/login', true);
        }
        setGeneral({ title: p.title, detail: p.detail });
      })
      .catch(() => setGeneral(t.networkError));
  }, []);

  /** Runs one member request; 401 and 503 leave the menu, other problems show at the top. */
  const act = async (request: () => Promise<{ ok: boolean; response: Response; problem?: Problem }>, done: string) => {
    setBusy(true);
    setGeneral(null);
    setNotice(null);
    try {
      const { ok, response, problem } = await request();
      if (ok) {
        setNotice(done);
        return;
      }
      if (response.status === 503 || !problem || showLocked(app, problem, response)) return;
      if (isSignedOut(problem)) {
        app.setSession(null);
        app.setFlash('sessionExpired');
        return navigate('/login', true);
      }
      setGeneral({ title: problem.title, detail: problem.detail });
      focusField('error-summary-title');
    } catch {
      setGeneral(t.networkError);
    } finally {
      setBusy(false);
    }
  };

  const saveNotify = (e: Event) => {
    e.preventDefault();
    return act(async () => {
      const { data, error, response } = await api.PUT('/api/v1/me/notifications', {
        body: { notify_on_update: notify },
      });
      if (data) setMe(data);
      return { ok: !!data, response, problem: error as Problem | undefined };
    }, t.menu.notifySaved);
  };

  const resend = () =>
    act(async () => {
      const { error, response } = await api.POST('/api/v1/me/email/verification');
      return { ok: response.status === 202, response, problem: error as Problem | undefined };
    }, t.menu.resent);

  const logout = async () => {
    setBusy(true);
    try {
      const { response, error } = await api.POST('/api/v1/auth/logout');
      if (response.status === 503) return;
      if (response.ok || isSignedOut(error as Problem)) {
        app.setSession(null);
        app.setDraft(emptyDraft);
        app.setFlash('loggedOut');
        navigate('/login');
        return;
      }
      setGeneral({ title: (error as Problem).title, detail: (error as Problem).detail });
    } catch {
      setGeneral(t.networkError);
    } finally {
      setBusy(false);
    }
  };

  if (!me) return general ? <ErrorSummary items={[]} general={general} /> : <Loading />;
  const address = addressOf(me, t);
  const contact = me.tenant.contact;
  return (
    <>
      <Title>{t.menu.title}</Title>
      <ErrorSummary items={[]} general={general} />
      {notice && <Notice>{notice}</Notice>}
      <p id="menu-welcome">{t.menu.welcome(me.name || me.user_id)}</p>
      <p id="menu-last-login">
        {me.last_login_at ? t.menu.lastLogin(formatJst(me.last_login_at, t)) : t.menu.firstLogin}
      </p>
      <section aria-labelledby="can-do-title">
        <h2 id="can-do-title">{t.menu.canDoHeading}</h2>
        <ul>
          {t.menu.canDo.map((item) => (
            <li key={item}>{item}</li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="profile-title">
        <h2 id="profile-title">{t.menu.profile}</h2>
        <dl class="summary-list">
          <div>
            <dt>{t.menu.insurer}</dt>
            <dd>
              {me.tenant.name}（{me.tenant.insurer_number}）
            </dd>
          </div>
          <div>
            <dt>{t.menu.name}</dt>
            <dd id="menu-name">{me.name || t.menu.notRegistered}</dd>
          </div>
          <div>
            <dt>{t.menu.address}</dt>
            <dd id="menu-address">{address ?? t.menu.notRegistered}</dd>
          </div>
          <div>
            <dt>{t.menu.userId}</dt>
            <dd id="menu-user_id">{me.user_id}</dd>
          </div>
          <div>
            <dt>{t.menu.email}</dt>
            <dd id="menu-email">
              {me.email}
              <br />
              <small>{me.email_verified ? t.menu.emailVerified : t.menu.emailUnverified}</small>
              {me.pending_email && (
                <>
                  <br />
                  <small id="menu-pending_email">{t.menu.pendingEmail(me.pending_email)}</small>
                </>
              )}
            </dd>
          </div>
          <div>
            <dt>{t.menu.notify}</dt>
            <dd>{me.notify_on_update ? t.menu.notifyOn : t.menu.notifyOff}</dd>
          </div>
        </dl>
      </section>
      {(!me.email_verified || me.pending_email) && (
        <button type="button" class="button button--secondary" onClick={resend} disabled={busy}>
          {t.menu.resend}
        </button>
      )}
      <section aria-labelledby="changes-title">
        <h2 id="changes-title">{t.menu.changesHeading}</h2>
        <p>{t.menu.changes}</p>
        {hasContact(contact) ? (
          <p>
            <a href="#site-contact">{t.menu.contactBelow}</a>
          </p>
        ) : (
          <ContactBlock contact={contact} level={3} />
        )}
      </section>
      <form onSubmit={saveNotify}>
        <NotifyChoice legend={t.menu.notifyLegend} label={t.menu.notify} checked={notify} onChange={setNotify}>
          <button type="submit" class="button button--secondary" disabled={busy}>
            {t.menu.notifySave}
          </button>
        </NotifyChoice>
      </form>
      <ul class="links">
        <li>
          <Link href="/menu/notices">
            <span id="menu-notices">{t.notices.menuLink(me.unread_notices)}</span>
          </Link>
        </li>
        <li>
          <Link href="/menu/medical">
            <span id="menu-medical">{t.medical.menuLink}</span>
          </Link>
        </li>
        <li>
          <Link href="/menu/security">{t.menu.security}</Link>
        </li>
        <li>
          <Link href="/menu/email">{t.menu.changeEmail}</Link>
        </li>
        <li>
          <Link href="/password/change">{t.menu.changePassword}</Link>
        </li>
      </ul>
      <div class="actions">
        <button type="button" class="button button--secondary" onClick={logout} disabled={busy}>
          {t.menu.logout}
        </button>
      </div>
      <p class="small">{t.menu.logoutNote}</p>
    </>
  );
}
