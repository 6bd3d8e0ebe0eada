// Forgot user ID / forgot password: the API always answers 202 (it never tells whether an
// account exists), so the screen says what happens if the entries match, and what to do if no
// e-mail arrives.
import { useState } from 'preact/hooks';
import { api, type Problem } from '../api/client';
import { ErrorSummary, type General, Link, TextField, Title } from '../components/ui';
import { focusField, useForm, type Form } from '../form';
import { useT } from '../i18n';
import { checkBirthDate, checkEmail, checkUserId } from '../rules';

type Sender = (values: Record<string, string>) => Promise<{ ok: boolean; problem?: Problem; status: number }>;

function useSubmit<K extends string>(fields: readonly K[], form: Form<K>, send: Sender) {
  const t = useT();
  const [general, setGeneral] = useState<General>(null);
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState(false);
  const onSubmit = async (e: Event) => {
    e.preventDefault();
    setGeneral(null);
    const invalid = form.submit();
    if (invalid[0]) return focusField(`f-${invalid[0]}`);
    setBusy(true);
    try {
      const { ok, problem, status } = await send(form.values);
      if (ok) return setSent(true);
      if (status === 503 || !problem) return;
      form.setServerErrors(problem.errors ?? []);
      const first = fields.find((f) => problem.errors?.some((x) => x.field === f));
      if (first) focusField(`f-${first}`);
      else {
        setGeneral({ title: problem.title, detail: problem.detail });
        focusField('error-summary-title');
      }
    } catch {
      setGeneral(t.networkError);
    } finally {
      setBusy(false);
    }
  };
  return { general, busy, sent, onSubmit };
}

function Sent({ title, body, back }: { title: string; body: string[]; back: string }) {
  return (
    <>
      <Title>{title}</Title>
      {body.map((p) => (
        <p key={p}>{p}</p>
      ))}
      <p>
        <Link href="/login">{back}</Link>
      </p>
    </>
  );
}

const ID_FIELDS = ['email', 'birth_date'] as const;

export function ForgotId() {
  const t = useT();
  const form = useForm<(typeof ID_FIELDS)[number]>(ID_FIELDS, { email: '', birth_date: '' }, {
    email: (v) => checkEmail(v.email),
    birth_date: (v) => checkBirthDate(v.birth_date),
  });
  const { general, busy, sent, onSubmit } = useSubmit(ID_FIELDS, form, async (v) => {
    const { response, error } = await api.POST('/api/v1/recovery/user-id', {
      body: { email: v.email ?? '', birth_date: v.birth_date ?? '' },
    });
    return { ok: response.status === 202, problem: error as Problem | undefined, status: response.status };
  });
  if (sent) return <Sent title={t.forgotId.sentTitle} body={t.forgotId.sent} back={t.forgotId.back} />;
  const labels = { email: t.forgotId.email, birth_date: t.forgotId.birthDate };
  const summary = ID_FIELDS.flatMap((f) => {
    const message = form.error(f, (c) => t.field[c]);
    return message ? [{ id: `f-${f}`, label: labels[f], message }] : [];
  });
  return (
    <>
      <Title>{t.forgotId.title}</Title>
      <ErrorSummary items={summary} general={general} />
      <p>{t.forgotId.intro}</p>
      <form onSubmit={onSubmit} noValidate>
        <TextField
          id="f-email"
          label={labels.email}
          hint={t.forgotId.emailHint}
          value={form.values.email}
          onValue={(v) => form.set('email', v)}
          onBlur={() => form.leave('email')}
          error={form.error('email', (c) => t.field[c])}
          inputMode="email"
          autoComplete="email"
          autoCapitalize="off"
          spellcheck={false}
          required
        />
        <TextField
          id="f-birth_date"
          label={labels.birth_date}
          hint={t.forgotId.birthDateHint}
          value={form.values.birth_date}
          onValue={(v) => form.set('birth_date', v)}
          onBlur={() => form.leave('birth_date')}
          error={form.error('birth_date', (c) => t.field[c])}
          inputMode="numeric"
          autoComplete="bday"
          class="input--short"
          required
        />
        <button type="submit" class="button button--primary" disabled={busy}>
          {t.forgotId.submit}
        </button>
      </form>
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
  const { general, busy, sent, onSubmit } = useSubmit(PW_FIELDS, form, async (v) => {
    const { response, error } = await api.POST('/api/v1/recovery/password', {
      body: { user_id: v.user_id ?? '', email: v.email ?? '' },
    });
    return { ok: response.status === 202, problem: error as Problem | undefined, status: response.status };
  });
  if (sent) return <Sent title={t.forgotPassword.sentTitle} body={t.forgotPassword.sent} back={t.forgotPassword.back} />;
  const labels = { user_id: t.forgotPassword.userId, email: t.forgotPassword.email };
  const summary = PW_FIELDS.flatMap((f) => {
    const message = form.error(f, (c) => t.field[c]);
    return message ? [{ id: `f-${f}`, label: labels[f], message }] : [];
  });
  return (
    <>
      <Title>{t.forgotPassword.title}</Title>
      <ErrorSummary items={summary} general={general} />
      <p>{t.forgotPassword.intro}</p>
      <form onSubmit={onSubmit} noValidate>
        <TextField
          id="f-user_id"
          label={labels.user_id}
          hint={t.forgotPassword.userIdHint}
          value={form.values.user_id}
          onValue={(v) => form.set('user_id', v)}
          onBlur={() => form.leave('user_id')}
          error={form.error('user_id', (c) => t.field[c])}
          autoComplete="username"
          autoCapitalize="off"
          spellcheck={false}
          required
        />
        <TextField
          id="f-email"
          label={labels.email}
          hint={t.forgotPassword.emailHint}
          value={form.values.email}
          onValue={(v) => form.set('email', v)}
          onBlur={() => form.leave('email')}
          error={form.error('email', (c) => t.field[c])}
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
      <p>
        <Link href="/login">{t.forgotPassword.back}</Link>
      </p>
    </>
  );
}
