import { useEffect, useState } from 'preact/hooks';
import { api, closedForMaintenance, routeFor, type Problem, type TokenResponse } from '../api/client';
import { LockState } from '../components/help';
import { ErrorSummary, Link, Notice, PasswordField, TextField, Title } from '../components/ui';
import { useForm, useSubmit } from '../form';
import { formatWindow, useT } from '../i18n';
import { LOCK_ATTEMPTS, LOCK_MINUTES } from '../lock';
import { passkeysSupported, getPasskey } from '../passkey';
import { afterSignIn } from '../returnTo';
import { navigate } from '../router';
import { checkRequired, ungrouped } from '../rules';
import { emptyDraft, useApp } from '../state';

const FIELDS = ['login_id', 'password'] as const;
type F = (typeof FIELDS)[number];

export function Login() {
  const t = useT();
  const app = useApp();
  const [flash] = useState(app.flash);
  const next = app.maintenance?.next ?? null;
  const form = useForm<F>(FIELDS, { login_id: '', password: '' }, {
    login_id: (v) => checkRequired(v.login_id),
    password: (v) => checkRequired(v.password),
  });
  const labels: Record<F, string> = { login_id: t.login.loginId, password: t.login.password };

  useEffect(() => {
    app.setFlash(null);
  }, []);

  const signedIn = (data: TokenResponse, loginId: string) => {
    app.setSession({
      nextStep: data.next_step,
      tenantName: data.tenant_name,
      secondFactorMethods: data.second_factor_methods ?? undefined,
    });
    app.setRegistered(null);
    // The new user ID must not be the temporary one: remember it, as typed without the groups.
    app.setTemporaryId(data.next_step === 'verify_identity' ? ungrouped(loginId) : null);
    // Nothing typed by an earlier sign-in on this device is shown to this one.
    app.setDraft(emptyDraft);
    app.setChecked(null);
    app.setCarried(null);
    navigate(afterSignIn(routeFor(data.next_step)));
  };

  const submit = useSubmit(form, async () => {
    const { data, error, response } = await api.POST('/api/v1/auth/login', {
      body: { login_id: form.values.login_id, password: form.values.password },
    });
    if (data) {
      signedIn(data, form.values.login_id);
      return 'done';
    }
    const problem = error as Problem;
    if (closedForMaintenance(response, problem)) return 'stop';
    // The throttle says when to come back (Retry-After, seconds): say it in minutes.
    const retry = Number(response.headers.get('Retry-After'));
    const note = response.status === 429 && retry > 0 ? t.login.retryAfter(Math.ceil(retry / 60)) : undefined;
    return { problem, response, note };
  });
  const locked = submit.locked;

  // パスキーでログイン: nothing typed; the browser offers the member's passkeys for this site.
  const [passkeyBusy, setPasskeyBusy] = useState(false);
  const [passkeyNote, setPasskeyNote] = useState<string | null>(null);
  const signInWithPasskey = async () => {
    setPasskeyBusy(true);
    setPasskeyNote(null);
    try {
      const begun = await api.POST('/api/v1/auth/passkey/options');
      if (!begun.data) {
        const problem = begun.error as Problem;
        if (!closedForMaintenance(begun.response, problem)) setPasskeyNote(problem.detail);
        return;
      }
      let credential: Record<string, unknown>;
      try {
        credential = await getPasskey(begun.data.public_key);
      } catch {
        setPasskeyNote(t.login.passkeyCancelled);
        return;
      }
      const { data, error, response } = await api.POST('/api/v1/auth/passkey', {
        body: { challenge_id: begun.data.challenge_id, credential },
      });
      if (data) return signedIn(data, '');
      const problem = error as Problem;
      if (!closedForMaintenance(response, problem)) setPasskeyNote(problem.detail);
    } catch {
      setPasskeyNote(t.networkError);
    } finally {
      setPasskeyBusy(false);
    }
  };

  return (
    <>
      <Title>{t.login.title}</Title>
      {flash && <Notice>{t[flash]}</Notice>}
      <LockState submit={submit} />
      <ErrorSummary items={form.summary(labels)} general={form.general} />
      <p>{t.login.intro}</p>
      <p>{t.login.firstTime}</p>
      <form onSubmit={submit.onSubmit} noValidate>
        <fieldset class="form-body" disabled={!!locked}>
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
          <p id="login-lock-rule">{t.login.lockRule(LOCK_ATTEMPTS, LOCK_MINUTES)}</p>
          <button type="submit" class="button button--primary" disabled={submit.busy || !!locked}>
            {t.login.submit}
          </button>
        </fieldset>
      </form>
      {passkeysSupported() && (
        <section aria-labelledby="passkey-title">
          <h2 id="passkey-title">{t.login.passkeyHeading}</h2>
          <p>{t.login.passkeyIntro}</p>
          {passkeyNote && (
            <p class="field__error" role="alert" id="passkey-note">
              {passkeyNote}
            </p>
          )}
          <button
            type="button"
            class="button button--secondary"
            id="passkey-sign-in"
            disabled={passkeyBusy || !!locked}
            onClick={() => void signInWithPasskey()}
          >
            {t.login.passkey}
          </button>
        </section>
      )}
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
