// Password change (after a temporary-password login, or from the menu) and the landing page of
// the e-mail verification link.
import { useEffect, useState } from 'preact/hooks';
import { api, routeFor, type Problem } from '../api/client';
import { LockState } from '../components/help';
import {
  DoneToMenu,
  ErrorSummary,
  type General,
  Link,
  Loading,
  Notice,
  PasswordField,
  RuleList,
  TextField,
  Title,
} from '../components/ui';
import { type Outcome, useForm, useSubmit } from '../form';
import { handledElsewhere, sessionOf, showLocked, useStep } from '../guard';
import { useT } from '../i18n';
import { navigate } from '../router';
import { checkConfirmation, checkEmail, checkPassword, checkRequired, passwordChecklist } from '../rules';
import { type AppState, useApp } from '../state';

const FIELDS = ['current_password', 'new_password', 'new_password_confirmation'] as const;
type F = (typeof FIELDS)[number];

export function PasswordChange() {
  const app = useApp();
  const [step, setStep] = useState<string | null>(
    app.session && (app.session.nextStep === 'change_password' || app.session.nextStep === 'menu')
      ? app.session.nextStep
      : null,
  );
  useEffect(() => {
    if (step) return;
    api
      .GET('/api/v1/session')
      .then(({ data, error, response }) => {
        if (data) {
          app.setSession(sessionOf(data));
          if (data.next_step === 'change_password' || data.next_step === 'menu') setStep(data.next_step);
          else navigate(routeFor(data.next_step), true);
        } else if (response.status !== 503 && !showLocked(app, error, response)) {
          app.setFlash(error?.code === 'token_expired' || error?.code === 'session_revoked' ? 'sessionExpired' : null);
          navigate('/login', true);
        }
      })
      .catch(() => navigate('/login', true));
  }, []);
  return step ? <PasswordChangeForm temporary={step === 'change_password'} /> : <Loading />;
}

function PasswordChangeForm({ temporary }: { temporary: boolean }) {
  const t = useT();
  const app = useApp();
  const [done, setDone] = useState(false);
  const order = temporary ? FIELDS.slice(1) : FIELDS;
  const form = useForm<F>(
    order,
    { current_password: '', new_password: '', new_password_confirmation: '' },
    {
      current_password: (v) => (temporary ? null : checkRequired(v.current_password)),
      new_password: (v) => checkPassword(v.new_password),
      new_password_confirmation: (v) => checkConfirmation(v.new_password, v.new_password_confirmation),
    },
    { current_password: { invalid: t.passwordChange.currentWrong } },
  );
  const labels: Record<F, string> = {
    current_password: t.passwordChange.current,
    new_password: t.passwordChange.newPassword,
    new_password_confirmation: t.passwordChange.confirmation,
  };
  const submit = useSubmit(form, async () => {
    const { data, error, response } = await api.POST('/api/v1/account/password/change', {
      body: {
        current_password: temporary ? null : form.values.current_password,
        new_password: form.values.new_password,
        new_password_confirmation: form.values.new_password_confirmation,
      },
    });
    if (data) {
      app.setSession({ nextStep: data.next_step, tenantName: data.tenant_name });
      setDone(true);
      return 'done';
    }
    return memberProblem(app, response, error as Problem, temporary ? null : t.passwordChange.currentWrong);
  });

  if (done) return <DoneToMenu title={t.passwordChange.title} message={t.passwordChange.done} />;

  const rules = passwordChecklist(form.values.new_password);
  return (
    <>
      <Title>{t.passwordChange.title}</Title>
      <LockState submit={submit} />
      <ErrorSummary items={form.summary(labels)} general={form.general} />
      <p>{temporary ? t.passwordChange.introTemporary : t.passwordChange.introMember}</p>
      <form onSubmit={submit.onSubmit} noValidate>
        <fieldset class="form-body" disabled={!!submit.locked}>
          {!temporary && (
            <PasswordField
              {...form.bind('current_password')}
              label={labels.current_password}
              autoComplete="current-password"
              required
            />
          )}
          <PasswordField
            {...form.bind('new_password')}
            label={labels.new_password}
            hint={
              <RuleList
                rules={[
                  { text: t.register.passwordRules.length, met: rules.length },
                  { text: t.register.passwordRules.letterAndDigit, met: rules.letterAndDigit },
                  { text: t.register.passwordRules.characters, met: rules.characters },
                  { text: t.passwordChange.notSame, met: null },
                ]}
              />
            }
            autoComplete="new-password"
            required
          />
          <PasswordField
            {...form.bind('new_password_confirmation')}
            label={labels.new_password_confirmation}
            hint={t.passwordChange.confirmationHint}
            autoComplete="new-password"
            required
          />
          <button type="submit" class="button button--primary" disabled={submit.busy || !!submit.locked}>
            {t.passwordChange.submit}
          </button>
        </fieldset>
      </form>
      {!temporary && (
        <p>
          <Link href="/menu">{t.passwordChange.back}</Link>
        </p>
      )}
    </>
  );
}

/**
 * A member form's failed answer; a wrong current password (401 `invalid_credentials`, whose
 * text is the login screen's) is shown beside its field in the screen's words, `currentWrong`.
 */
export function memberProblem(app: AppState, response: Response, p: Problem, currentWrong: string | null): Outcome {
  if (handledElsewhere(app, response, p)) return 'stop';
  if (p.code === 'invalid_credentials' && currentWrong) {
    return { problem: p, errors: [{ field: 'current_password', code: 'invalid', message: currentWrong }], response };
  }
  return { problem: p, response };
}

/** `/verify-email?token=…`: posts only when the member presses the button (mail scanners open links). */
export function VerifyEmail() {
  const t = useT();
  const [token] = useState(() => new URLSearchParams(window.location.search).get('token') ?? '');
  const [state, setState] = useState<'ready' | 'busy' | 'done' | 'already' | 'invalid'>('ready');
  const [general, setGeneral] = useState<General>(null);
  useEffect(() => {
    // Keep the token out of the address bar and the history once it is read.
    if (token) window.history.replaceState(null, '', '/verify-email');
  }, []);
  const verify = async () => {
    setState('busy');
    setGeneral(null);
    try {
      const { data, error, response } = await api.POST('/api/v1/email/verify', { body: { token } });
      // A link used before, for an address that is confirmed: nothing left to do.
      if (data) return setState(data.already_verified ? 'already' : 'done');
      if (response.status === 503) return;
      if (response.status === 410 || response.status === 422) return setState('invalid');
      setGeneral({ title: (error as Problem).title, detail: (error as Problem).detail });
      setState('ready');
    } catch {
      setGeneral(t.networkError);
      setState('ready');
    }
  };
  return (
    <>
      <Title>{t.verifyEmail.title}</Title>
      <ErrorSummary items={[]} general={general} />
      {!token ? (
        <p>{t.verifyEmail.missing}</p>
      ) : state === 'done' ? (
        <Notice>{t.verifyEmail.done}</Notice>
      ) : state === 'already' ? (
        <Notice>{t.verifyEmail.already}</Notice>
      ) : state === 'invalid' ? (
        <p>{t.verifyEmail.invalid}</p>
      ) : (
        <>
          <p>{t.verifyEmail.intro}</p>
          <div class="actions">
            <button type="button" class="button button--primary" onClick={verify} disabled={state === 'busy'}>
              {t.verifyEmail.submit}
            </button>
          </div>
        </>
      )}
      <p>
        <Link href="/login">{t.verifyEmail.toLogin}</Link>
      </p>
    </>
  );
}

const EMAIL_FIELDS = ['email', 'current_password'] as const;
type E = (typeof EMAIL_FIELDS)[number];

/** `/menu/email`: a new address, confirmed by the current password; verified by its link. */
export function ChangeEmail() {
  const ready = useStep('menu');
  return ready ? <ChangeEmailForm /> : <Loading />;
}

function ChangeEmailForm() {
  const t = useT();
  const app = useApp();
  const [done, setDone] = useState(false);
  const form = useForm<E>(
    EMAIL_FIELDS,
    { email: '', current_password: '' },
    {
      email: (v) => checkEmail(v.email),
      current_password: (v) => checkRequired(v.current_password),
    },
    { current_password: { invalid: t.changeEmail.currentWrong } },
  );
  const labels: Record<E, string> = { email: t.changeEmail.email, current_password: t.changeEmail.currentPassword };
  const submit = useSubmit(form, async () => {
    const { data, error, response } = await api.PUT('/api/v1/me/email', { body: form.values });
    if (data) {
      setDone(true);
      return 'done';
    }
    return memberProblem(app, response, error as Problem, t.changeEmail.currentWrong);
  });

  if (done) return <DoneToMenu title={t.changeEmail.title} message={t.changeEmail.done} />;
  return (
    <>
      <Title>{t.changeEmail.title}</Title>
      <LockState submit={submit} />
      <ErrorSummary items={form.summary(labels)} general={form.general} />
      <p>{t.changeEmail.intro}</p>
      <form onSubmit={submit.onSubmit} noValidate>
        <fieldset class="form-body" disabled={!!submit.locked}>
          <TextField
            {...form.bind('email')}
            label={labels.email}
            hint={t.changeEmail.emailHint}
            inputMode="email"
            autoComplete="email"
            autoCapitalize="off"
            spellcheck={false}
            required
          />
          <PasswordField
            {...form.bind('current_password')}
            label={labels.current_password}
            autoComplete="current-password"
            required
          />
          <button type="submit" class="button button--primary" disabled={submit.busy || !!submit.locked}>
            {t.changeEmail.submit}
          </button>
        </fieldset>
      </form>
      <p>
        <Link href="/menu">{t.changeEmail.back}</Link>
      </p>
    </>
  );
}
