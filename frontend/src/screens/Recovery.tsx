// Forgot user ID / forgot password: the API always answers 202 (it never tells whether an
// account exists), so the screen says what happens if the entries match, and what to do if no
// e-mail arrives: ask the kenpo, whose contact is printed on the postcard (the tenant is not
// known before sign-in; when it is, its contact is shown).
import { useState } from 'preact/hooks';
import { api, type Problem } from '../api/client';
import { ContactBlock } from '../components/help';
import { ErrorSummary, InfoPage, Link, TextField, Title } from '../components/ui';
import { type Form, type Outcome, useForm, useSubmit } from '../form';
import { useT } from '../i18n';
import { checkBirthDate, checkEmail, checkUserId } from '../rules';
import { useApp } from '../state';

/** What to do without a working e-mail address: whom to ask. */
function AskTheKenpo({ lead }: { lead: string }) {
  const app = useApp();
  return <ContactBlock contact={app.session?.contact} lead={lead} />;
}

/** A recovery form's submit: 202 shows the "sent" page; anything else but 503 is shown. */
function useRecovery<K extends string>(
  form: Form<K>,
  send: () => Promise<{ response: Response; error?: unknown }>,
) {
  const [sent, setSent] = useState(false);
  const { busy, onSubmit } = useSubmit(form, async (): Promise<Outcome> => {
    const { response, error } = await send();
    if (response.status === 202) {
      setSent(true);
      return 'done';
    }
    return response.status === 503 || !error ? 'stop' : { problem: error as Problem };
  });
  return { busy, sent, onSubmit };
}

const ID_FIELDS = ['email', 'birth_date'] as const;

export function ForgotId() {
  const t = useT();
  const form = useForm<(typeof ID_FIELDS)[number]>(ID_FIELDS, { email: '', birth_date: '' }, {
    email: (v) => checkEmail(v.email),
    birth_date: (v) => checkBirthDate(v.birth_date),
  });
  const { busy, sent, onSubmit } = useRecovery(form, () =>
    api.POST('/api/v1/recovery/user-id', { body: form.values }),
  );
  if (sent) {
    return (
      <InfoPage title={t.forgotId.sentTitle} body={t.forgotId.sent} back={t.forgotId.back}>
        <AskTheKenpo lead={t.forgotId.noMail} />
      </InfoPage>
    );
  }
  const labels = { email: t.forgotId.email, birth_date: t.forgotId.birthDate };
  return (
    <>
      <Title>{t.forgotId.title}</Title>
      <ErrorSummary items={form.summary(labels)} general={form.general} />
      <p>{t.forgotId.intro}</p>
      <form onSubmit={onSubmit} noValidate>
        <TextField
          {...form.bind('email')}
          label={labels.email}
          hint={t.forgotId.emailHint}
          inputMode="email"
          autoComplete="email"
          autoCapitalize="off"
          spellcheck={false}
          required
        />
        <TextField
          {...form.bind('birth_date')}
          label={labels.birth_date}
          hint={t.forgotId.birthDateHint}
          inputMode="numeric"
          autoComplete="bday"
          class="input--short"
          required
        />
        <button type="submit" class="button button--primary" disabled={busy}>
          {t.forgotId.submit}
        </button>
      </form>
      <AskTheKenpo lead={t.forgotId.noMail} />
      <p>
        <Link href="/login">{t.forgotId.back}</Link>
      </p>
    </>
  );
}

const PW_FIELDS = ['user_id', 'email'] as const;

export function ForgotPassword() {
  const t = useT();
  const form = useForm<(typeof PW_FIELDS)[number]>(PW_FIELDS, { user_id: '', email: '' }, {
    user_id: (v) => checkUserId(v.user_id),
    email: (v) => checkEmail(v.email),
  });
  const { busy, sent, onSubmit } = useRecovery(form, () =>
    api.POST('/api/v1/recovery/password', { body: form.values }),
  );
  if (sent) {
    return (
      <InfoPage title={t.forgotPassword.sentTitle} body={t.forgotPassword.sent} back={t.forgotPassword.back}>
        <AskTheKenpo lead={t.forgotPassword.noMail} />
      </InfoPage>
    );
  }
  const labels = { user_id: t.forgotPassword.userId, email: t.forgotPassword.email };
  return (
    <>
      <Title>{t.forgotPassword.title}</Title>
      <ErrorSummary items={form.summary(labels)} general={form.general} />
      <p>{t.forgotPassword.intro}</p>
      <form onSubmit={onSubmit} noValidate>
        <TextField
          {...form.bind('user_id')}
          label={labels.user_id}
          hint={t.forgotPassword.userIdHint}
          autoComplete="username"
          autoCapitalize="off"
          spellcheck={false}
          required
        />
        <TextField
          {...form.bind('email')}
          label={labels.email}
          hint={t.forgotPassword.emailHint}
          inputMode="email"
          autoComplete="email"
          autoCapitalize="off"
          spellcheck={false}
          required
        />
        <button type="submit" class="button button--primary" disabled={busy}>
          {t.forgotPassword.submit}
        </button>
      </form>
      <AskTheKenpo lead={t.forgotPassword.noMail} />
      <p>
        <Link href="/login">{t.forgotPassword.back}</Link>
      </p>
    </>
  );
}
