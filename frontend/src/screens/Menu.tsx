import { useEffect, useState } from 'preact/hooks';
import { api, isSignedOut, routeFor, type Problem } from '../api/client';
import type { components } from '../api/schema';
import { ErrorSummary, type General, Link, Loading, Title } from '../components/ui';
import { formatJst, useT } from '../i18n';
import { navigate } from '../router';
import { useApp } from '../state';

type Me = components['schemas']['Me'];

export function Menu() {
  const t = useT();
  const app = useApp();
  const [me, setMe] = useState<Me | null>(null);
  const [general, setGeneral] = useState<General>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api
      .GET('/api/v1/me')
      .then(({ data, error, response }) => {
        if (data) {
          setMe(data);
          app.setSession({ nextStep: 'menu', tenantName: data.tenant.name });
          return;
        }
        if (response.status === 503) return;
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

  const logout = async () => {
    setBusy(true);
    try {
      const { response, error } = await api.POST('/api/v1/auth/logout');
      if (response.status === 503) return;
      if (response.ok || isSignedOut(error as Problem)) {
        app.setSession(null);
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
  return (
    <>
      <Title>{t.menu.title}</Title>
      <ErrorSummary items={[]} general={general} />
      <p>{t.menu.welcome(me.user_id)}</p>
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
            <dt>{t.menu.userId}</dt>
            <dd id="menu-user_id">{me.user_id}</dd>
          </div>
          <div>
            <dt>{t.menu.email}</dt>
            <dd id="menu-email">
              {me.email}
              <br />
              <small>{me.email_verified ? t.menu.emailVerified : t.menu.emailUnverified}</small>
            </dd>
          </div>
          <div>
            <dt>{t.menu.notify}</dt>
            <dd>{me.notify_on_update ? t.menu.notifyOn : t.menu.notifyOff}</dd>
          </div>
          <div>
            <dt>{t.menu.lastLogin}</dt>
            <dd>{me.last_login_at ? formatJst(me.last_login_at, t) : t.menu.firstLogin}</dd>
          </div>
        </dl>
      </section>
      <ul class="links">
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
