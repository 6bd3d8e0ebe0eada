import { useEffect, useState } from 'preact/hooks';
import { api, routeFor, type Problem } from '../api/client';
import { ErrorSummary, type General, Link, Notice, PasswordField, TextField, Title } from '../components/ui';
import { focusField, useForm } from '../form';
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
  const [general, setGeneral] = useState<General>(null);
  const [busy, setBusy] = useState(false);
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

  const onSubmit = async (e: Event) => {
    e.preventDefault();
    setGeneral(null);
    const invalid = form.submit();
    if (invalid[0]) {
      focusField(`f-${invalid[0]}`);
      return;
    }
    setBusy(true);
    try {
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
        return;
      }
      if (response.status === 503) return;
      const problem = error as Problem;
      const rest = form.setServerErrors(problem.errors ?? []);
      const firstField = FIELDS.find((f) => problem.errors?.some((e) => e.field === f));
      if (firstField) {
        setGeneral(rest.length ? rest.map((r) => r.message).join(' ') : null);
        focusField(`f-${firstField}`);
      } else {
        // A lock or the throttle says when to come back (Retry-After, seconds): say it in minutes.
        const retry = Number(response.headers.get('Retry-After'));
        const wait =
          (response.status === 423 || response.status === 429) && retry > 0
            ? ` ${t.login.retryAfter(Math.ceil(retry / 60))}`
            : '';
        setGeneral({ title: problem.title, detail: problem.detail + wait });
        focusField('error-summary-title');
      }
    } catch {
      setGeneral(t.networkError);
    } finally {
      setBusy(false);
    }
  };

  const summary = FIELDS.flatMap((f) => {
    const message = form.error(f, (c) => t.field[c]);
    return message ? [{ id: `f-${f}`, label: labels[f], message }] : [];
  });

  return (
    <>
      <Title>{t.login.title}</Title>
      {flash && <Notice>{t[flash]}</Notice>}
      <ErrorSummary items={summary} general={general} />
      <p>{t.login.intro}</p>
      <p>{t.login.firstTime}</p>
      <form onSubmit={onSubmit} noValidate>
        <TextField
          id="f-login_id"
          label={labels.login_id}
          hint={t.login.loginIdHint}
          value={form.values.login_id}
          onValue={(v) => form.set('login_id', v)}
          onBlur={() => form.leave('login_id')}
          error={form.error('login_id', (c) => t.field[c])}
          autoComplete="username"
          autoCapitalize="off"
          spellcheck={false}
          required
        />
        <PasswordField
          id="f-password"
          label={labels.password}
          hint={t.login.passwordHint}
          value={form.values.password}
          onValue={(v) => form.set('password', v)}
          onBlur={() => form.leave('password')}
          error={form.error('password', (c) => t.field[c])}
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
