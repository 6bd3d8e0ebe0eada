import { useEffect, useState } from 'preact/hooks';
import { api, routeFor, type Problem } from '../api/client';
import { ErrorSummary, Link, Notice, PasswordField, TextField, Title } from '../components/ui';
import { useForm, useSubmit } from '../form';
import { formatWindow, useT } from '../i18n';
import { navigate } from '../router';
import { checkRequired } from '../rules';
import { emptyDraft, useApp } from '../state';

const FIELDS = ['login_id', 'password'] as const;
type F = (typeof FIELDS)[number];

export function Login() {
  const t = useT();
  const app = useApp();
  const [flash] = useState(app.flash);
  const [next, setNext] = useState<{ starts_at: string; ends_at: string } | null>(null);
  const form = useForm<F>(FIELDS, { login_id: '', password: '' }, {
    login_id: (v) => checkRequired(v.login_id),
    password: (v) => checkRequired(v.password),
  });
  const labels: Record<F, string> = { login_id: t.login.loginId, password: t.login.password };

  useEffect(() => {
    app.setFlash(null);
    api
      .GET('/api/v1/maintenance')
      .then(({ data }) => data && setNext(data.next))
      .catch(() => {});
  }, []);

  const { busy, onSubmit } = useSubmit(form, async () => {
    const { data, error, response } = await api.POST('/api/v1/auth/login', {
      body: { login_id: form.values.login_id, password: form.values.password },
    });
    if (data) {
      app.setSession({ nextStep: data.next_step, tenantName: data.tenant_name });
      app.setRegistered(false);
      // Nothing typed by an earlier sign-in on this device is shown to this one.
      app.setDraft(emptyDraft);
      app.setChecked(null);
      app.setCarried(null);
      navigate(routeFor(data.next_step));
      return 'done';
    }
    if (response.status === 503) return 'stop';
    const problem = error as Problem;
    // A lock or the throttle says when to come back (Retry-After, seconds): say it in minutes.
    const retry = Number(response.headers.get('Retry-After'));
    const wait =
      (response.status === 423 || response.status === 429) && retry > 0
        ? ` ${t.login.retryAfter(Math.ceil(retry / 60))}`
        : '';
    return { problem: { ...problem, detail: problem.detail + wait } };
  });

  return (
    <>
      <Title>{t.login.title}</Title>
      {flash && <Notice>{t[flash]}</Notice>}
      <ErrorSummary items={form.summary(labels)} general={form.general} />
      <p>{t.login.intro}</p>
      <p>{t.login.firstTime}</p>
      <form onSubmit={onSubmit} noValidate>
        <TextField
          {...form.bind('login_id')}
          label={labels.login_id}
          hint={t.login.loginIdHint}
          autoComplete="username"
          autoCapitalize="off"
          spellcheck={false}
          required
        />
        <PasswordField
          {...form.bind('password')}
          label={labels.password}
          hint={t.login.passwordHint}
          autoComplete="current-password"
          required
        />
        <button type="submit" class="button button--primary" disabled={busy}>
          {t.login.submit}
        </button>
      </form>
      <ul class="links">
        <li>
          <Link href="/forgot-id">{t.login.forgotId}</Link>
        </li>
        <li>
          <Link href="/forgot-password">{t.login.forgotPassword}</Link>
        </li>
      </ul>
      <section class="maintenance-note" aria-labelledby="maintenance-note-title">
        <h2 id="maintenance-note-title">{t.login.maintenanceHeading}</h2>
        <p>{t.login.maintenanceRule}</p>
        {next && <p>{t.login.nextMaintenance(formatWindow(next.starts_at, next.ends_at, t))}</p>}
      </section>
    </>
  );
}
