import { useEffect, useState } from 'preact/hooks';
import { api, isSignedOut, routeFor, type Problem } from '../api/client';
import {
  ErrorSummary,
  type General,
  Loading,
  PasswordField,
  RuleList,
  StepIndicator,
  TextField,
  Title,
} from '../components/ui';
import { focusField, useForm } from '../form';
import { signedOut, useStep } from '../guard';
import { useT } from '../i18n';
import { navigate } from '../router';
import {
  checkConfirmation,
  checkEmail,
  checkPassword,
  checkUserId,
  passwordChecklist,
  userIdChecklist,
} from '../rules';
import { useApp } from '../state';

export const REGISTER_FIELDS = ['user_id', 'password', 'password_confirmation', 'email'] as const;
type F = (typeof REGISTER_FIELDS)[number];

export function Register() {
  const ready = useStep('register_credentials');
  return ready ? <RegisterForm /> : <Loading />;
}

function RegisterForm() {
  const t = useT();
  const app = useApp();
  const [notify, setNotify] = useState(app.draft.notify_on_update);
  const [general, setGeneral] = useState<General>(null);
  const [busy, setBusy] = useState(false);
  const form = useForm<F>(
    REGISTER_FIELDS,
    {
      user_id: app.draft.user_id,
      password: app.draft.password,
      password_confirmation: app.draft.password_confirmation,
      email: app.draft.email,
    },
    {
      user_id: (v) => checkUserId(v.user_id),
      password: (v) => checkPassword(v.password, v.user_id),
      password_confirmation: (v) => checkConfirmation(v.password, v.password_confirmation),
      email: (v) => checkEmail(v.email),
    },
  );
  const labels: Record<F, string> = {
    user_id: t.register.userId,
    password: t.register.password,
    password_confirmation: t.register.passwordConfirmation,
    email: t.register.email,
  };
  const error = (f: F) => form.error(f, (c) => t.field[c]);

  // Errors the server gave on the confirmation screen (実行) are shown here, beside the fields.
  useEffect(() => {
    const carried = app.carried;
    if (!carried) return;
    app.setCarried(null);
    showProblem(carried);
  }, []);

  const showProblem = (p: Problem) => {
    const fieldErrors =
      p.errors && p.errors.length > 0
        ? p.errors
        : p.code === 'user_id_taken'
          ? [{ field: 'user_id', code: 'user_id_taken' as const, message: t.field.user_id_taken }]
          : [];
    const rest = form.setServerErrors(fieldErrors);
    const firstField = REGISTER_FIELDS.find((f) => fieldErrors.some((x) => x.field === f));
    if (firstField) {
      setGeneral(rest.length ? rest.map((r) => r.message).join(' ') : null);
      focusField(`f-${firstField}`);
    } else {
      setGeneral({ title: p.title, detail: p.detail });
      focusField('error-summary-title');
    }
  };

  const onSubmit = async (e: Event) => {
    e.preventDefault();
    setGeneral(null);
    const invalid = form.submit();
    if (invalid[0]) {
      focusField(`f-${invalid[0]}`);
      return;
    }
    const body = { ...form.values, notify_on_update: notify };
    app.setDraft(body);
    setBusy(true);
    try {
      const { data, error: problem, response } = await api.POST('/api/v1/onboarding/credentials/check', {
        body,
      });
      if (data) {
        app.setChecked(data);
        navigate('/onboarding/confirm');
        return;
      }
      if (response.status === 503) return;
      const p = problem as Problem;
      if (isSignedOut(p)) return signedOut(app);
      if (p.code === 'wrong_step' && p.next_step) return navigate(routeFor(p.next_step), true);
      showProblem(p);
    } catch {
      setGeneral(t.networkError);
    } finally {
      setBusy(false);
    }
  };

  const summary = REGISTER_FIELDS.flatMap((f) => {
    const message = error(f);
    return message ? [{ id: `f-${f}`, label: labels[f], message }] : [];
  });
  const idRules = userIdChecklist(form.values.user_id);
  const pwRules = passwordChecklist(form.values.password);

  return (
    <>
      <StepIndicator current={2} />
      <Title>{t.register.title}</Title>
      <ErrorSummary items={summary} general={general} />
      <p>{t.register.intro}</p>
      <form onSubmit={onSubmit} noValidate>
        <TextField
          id="f-user_id"
          label={labels.user_id}
          hint={
            <RuleList
              rules={[
                { text: t.register.userIdRules.characters, met: idRules.characters },
                { text: t.register.userIdRules.length, met: idRules.length },
                { text: t.register.userIdRules.notTemporary, met: null },
              ]}
            />
          }
          value={form.values.user_id}
          onValue={(v) => form.set('user_id', v)}
          onBlur={() => form.leave('user_id')}
          error={error('user_id')}
          autoComplete="username"
          autoCapitalize="off"
          spellcheck={false}
          required
        />
        <PasswordField
          id="f-password"
          label={labels.password}
          hint={
            <RuleList
              rules={[
                { text: t.register.passwordRules.length, met: pwRules.length },
                { text: t.register.passwordRules.characters, met: pwRules.characters },
                { text: t.register.passwordRules.letterAndDigit, met: pwRules.letterAndDigit },
                { text: t.register.passwordRules.notSame, met: null },
              ]}
            />
          }
          value={form.values.password}
          onValue={(v) => form.set('password', v)}
          onBlur={() => form.leave('password')}
          error={error('password')}
          autoComplete="new-password"
          required
        />
        <PasswordField
          id="f-password_confirmation"
          label={labels.password_confirmation}
          hint={t.register.passwordConfirmationHint}
          value={form.values.password_confirmation}
          onValue={(v) => form.set('password_confirmation', v)}
          onBlur={() => form.leave('password_confirmation')}
          error={error('password_confirmation')}
          autoComplete="new-password"
          required
        />
        <TextField
          id="f-email"
          label={labels.email}
          hint={t.register.emailHint}
          value={form.values.email}
          onValue={(v) => form.set('email', v)}
          onBlur={() => form.leave('email')}
          error={error('email')}
          type="text"
          inputMode="email"
          autoComplete="email"
          autoCapitalize="off"
          spellcheck={false}
          required
        />
        <fieldset class="field choice">
          <legend class="field__label">{t.register.notifyLegend}</legend>
          <label class="choice__option">
            <input
              id="f-notify_on_update"
              type="checkbox"
              checked={notify}
              onChange={(e) => setNotify(e.currentTarget.checked)}
            />
            {t.register.notify}
          </label>
        </fieldset>
        <button type="submit" class="button button--primary" disabled={busy}>
          {t.register.submit}
        </button>
      </form>
    </>
  );
}
