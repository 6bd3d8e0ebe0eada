import { useEffect, useState } from 'preact/hooks';
import { api, type Problem } from '../api/client';
import {
  ErrorSummary,
  Loading,
  NotifyChoice,
  PasswordField,
  RuleList,
  StepIndicator,
  TextField,
  Title,
} from '../components/ui';
import { type Outcome, useForm, useSubmit } from '../form';
import { handledElsewhere, useStep } from '../guard';
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
  const form = useForm<F>(
    REGISTER_FIELDS,
    {
      user_id: app.draft.user_id,
      password: app.draft.password,
      password_confirmation: app.draft.password_confirmation,
      email: app.draft.email,
    },
    {
      user_id: (v) => checkUserId(v.user_id, app.temporaryId),
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

  // Errors the server gave on the confirmation screen (実行) are shown here, beside the fields.
  useEffect(() => {
    const carried = app.carried;
    if (!carried) return;
    app.setCarried(null);
    showProblem(carried);
  }, []);

  // A taken user ID comes as a 409 without field errors: it is shown beside the field.
  const fieldErrors = (p: Problem) =>
    p.errors && p.errors.length > 0
      ? p.errors
      : p.code === 'user_id_taken'
        ? [{ field: 'user_id', code: 'user_id_taken' as const, message: t.field.user_id_taken }]
        : [];
  const showProblem = (p: Problem) => form.showProblem(p, fieldErrors(p));

  const { busy, onSubmit } = useSubmit(form, async (): Promise<Outcome> => {
    const body = { ...form.values, notify_on_update: notify };
    app.setDraft(body);
    const { data, error, response } = await api.POST('/api/v1/onboarding/credentials/check', { body });
    if (data) {
      app.setChecked(data);
      navigate('/onboarding/confirm');
      return 'done';
    }
    const p = error as Problem;
    return handledElsewhere(app, response, p) ? 'stop' : { problem: p, errors: fieldErrors(p), response };
  });

  const idRules = userIdChecklist(form.values.user_id, app.temporaryId);
  const pwRules = passwordChecklist(form.values.password);

  return (
    <>
      <StepIndicator current={2} />
      <Title>{t.register.title}</Title>
      <ErrorSummary items={form.summary(labels)} general={form.general} />
      <p>{t.register.intro}</p>
      <form onSubmit={onSubmit} noValidate>
        <TextField
          {...form.bind('user_id')}
          label={labels.user_id}
          hint={
            <RuleList
              rules={[
                { text: t.register.userIdRules.characters, met: idRules.characters },
                { text: t.register.userIdRules.length, met: idRules.length },
                { text: t.register.userIdRules.notTemporary, met: idRules.notTemporary },
              ]}
            />
          }
          autoComplete="username"
          autoCapitalize="off"
          spellcheck={false}
          required
        />
        <PasswordField
          {...form.bind('password')}
          label={labels.password}
          hint={
            <RuleList
              rules={[
                { text: t.register.passwordRules.length, met: pwRules.length },
                { text: t.register.passwordRules.letterAndDigit, met: pwRules.letterAndDigit },
                { text: t.register.passwordRules.characters, met: pwRules.characters },
                { text: t.register.passwordRules.notSame, met: null },
              ]}
            />
          }
          autoComplete="new-password"
          required
        />
        <PasswordField
          {...form.bind('password_confirmation')}
          label={labels.password_confirmation}
          hint={t.register.passwordConfirmationHint}
          autoComplete="new-password"
          required
        />
        <TextField
          {...form.bind('email')}
          label={labels.email}
          hint={t.register.emailHint}
          type="text"
          inputMode="email"
          autoComplete="email"
          autoCapitalize="off"
          spellcheck={false}
          required
        />
        <NotifyChoice
          legend={t.register.notifyLegend}
          label={t.register.notify}
          checked={notify}
          onChange={setNotify}
        />
        <button type="submit" class="button button--primary" disabled={busy}>
          {t.register.submit}
        </button>
      </form>
    </>
  );
}
