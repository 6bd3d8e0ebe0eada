import { useEffect, useState } from 'preact/hooks';
import { api, isSignedOut, routeFor, type Problem } from '../api/client';
import { ErrorSummary, type General, Loading, Notice, StepIndicator, TextField, Title } from '../components/ui';
import { focusField, useForm } from '../form';
import { signedOut, useStep } from '../guard';
import { useT } from '../i18n';
import { navigate } from '../router';
import { checkBirthDate, checkInsurerNumber } from '../rules';
import { useApp } from '../state';

const FIELDS = ['insurer_number', 'birth_date', 'agree_to_terms'] as const;
type F = (typeof FIELDS)[number];

interface Terms {
  version: string;
  title: string;
  body: string;
}

export function Identity() {
  const ready = useStep('verify_identity');
  return ready ? <IdentityForm /> : <Loading />;
}

function IdentityForm() {
  const t = useT();
  const app = useApp();
  const [terms, setTerms] = useState<Terms | null>(null);
  const [termsUpdated, setTermsUpdated] = useState(false);
  const [general, setGeneral] = useState<General>(null);
  const [busy, setBusy] = useState(false);
  const form = useForm<F>(
    FIELDS,
    { insurer_number: '', birth_date: '', agree_to_terms: '' },
    {
      insurer_number: (v) => checkInsurerNumber(v.insurer_number),
      birth_date: (v) => checkBirthDate(v.birth_date),
      agree_to_terms: (v) => (v.agree_to_terms === 'agree' ? null : 'terms_not_agreed'),
    },
  );
  const labels: Record<F, string> = {
    insurer_number: t.identity.insurerNumber,
    birth_date: t.identity.birthDate,
    agree_to_terms: t.identity.agreeLegend,
  };

  const loadTerms = async () => {
    const { data, error } = await api.GET('/api/v1/onboarding/terms');
    if (data) setTerms(data);
    else if (isSignedOut(error)) signedOut(app);
  };

  useEffect(() => {
    loadTerms().catch(() => setGeneral(t.networkError));
  }, []);

  const onSubmit = async (e: Event) => {
    e.preventDefault();
    setGeneral(null);
    setTermsUpdated(false);
    const invalid = form.submit();
    if (invalid[0]) {
      focusField(idOf(invalid[0]));
      return;
    }
    if (!terms) return;
    setBusy(true);
    try {
      const { data, error, response } = await api.POST('/api/v1/onboarding/identity', {
        body: {
          insurer_number: form.values.insurer_number,
          birth_date: form.values.birth_date,
          agree_to_terms: true,
          terms_version: terms.version,
        },
      });
      if (data) {
        app.setSession({ nextStep: data.next_step, tenantName: data.tenant_name });
        navigate(routeFor(data.next_step));
        return;
      }
      if (response.status === 503) return;
      const problem = error as Problem;
      if (isSignedOut(problem)) return signedOut(app);
      if (problem.code === 'wrong_step' && problem.next_step) return navigate(routeFor(problem.next_step), true);
      if (problem.code === 'terms_outdated') {
        form.set('agree_to_terms', '');
        await loadTerms();
        setTermsUpdated(true);
        focusField('terms-title');
        return;
      }
      const rest = form.setServerErrors(problem.errors ?? []);
      const firstField = FIELDS.find((f) => problem.errors?.some((x) => x.field === f));
      if (firstField) {
        setGeneral(rest.length ? rest.map((r) => r.message).join(' ') : null);
        focusField(idOf(firstField));
      } else {
        setGeneral({ title: problem.title, detail: problem.detail });
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
    return message ? [{ id: idOf(f), label: labels[f], message }] : [];
  });
  const agreeError = form.error('agree_to_terms', (c) => t.field[c]);

  return (
    <>
      <StepIndicator current={1} />
      <Title>{t.identity.title}</Title>
      <ErrorSummary items={summary} general={general} />
      {termsUpdated && <Notice>{t.identity.termsUpdated}</Notice>}
      <p>{t.identity.intro}</p>
      <form onSubmit={onSubmit} noValidate>
        <TextField
          id="f-insurer_number"
          label={labels.insurer_number}
          hint={t.identity.insurerNumberHint}
          value={form.values.insurer_number}
          onValue={(v) => form.set('insurer_number', v)}
          onBlur={() => form.leave('insurer_number')}
          error={form.error('insurer_number', (c) => t.field[c])}
          inputMode="numeric"
          autoComplete="off"
          class="input--short"
          required
        />
        <TextField
          id="f-birth_date"
          label={labels.birth_date}
          hint={t.identity.birthDateHint}
          value={form.values.birth_date}
          onValue={(v) => form.set('birth_date', v)}
          onBlur={() => form.leave('birth_date')}
          error={form.error('birth_date', (c) => t.field[c])}
          inputMode="numeric"
          autoComplete="bday"
          placeholder="19790822"
          class="input--short"
          required
        />
        <p>{t.identity.termsIntro}</p>
        <section aria-labelledby="terms-title">
          <h2 id="terms-title" tabIndex={-1}>
            {t.identity.termsHeading}
          </h2>
          <div class="terms-box" tabIndex={0} role="region" aria-label={terms?.title ?? t.identity.termsHeading}>
            {terms ? (
              <>
                <h3>{terms.title}</h3>
                <div class="terms-body">{terms.body}</div>
              </>
            ) : (
              <Loading />
            )}
          </div>
        </section>
        <fieldset
          class={`field choice${agreeError ? ' field--error' : ''}`}
          aria-describedby={agreeError ? 'f-agree_to_terms-error' : undefined}
        >
          <legend class="field__label">
            {labels.agree_to_terms}
            <span class="badge">{t.required}</span>
          </legend>
          {agreeError && (
            <p id="f-agree_to_terms-error" class="field__error">
              {agreeError}
            </p>
          )}
          <label class="choice__option">
            <input
              id="f-agree_to_terms"
              type="radio"
              name="agree_to_terms"
              value="agree"
              checked={form.values.agree_to_terms === 'agree'}
              onChange={() => form.set('agree_to_terms', 'agree')}
            />
            {t.identity.agree}
          </label>
          <label class="choice__option">
            <input
              id="f-agree_to_terms-no"
              type="radio"
              name="agree_to_terms"
              value="disagree"
              checked={form.values.agree_to_terms === 'disagree'}
              onChange={() => {
                form.set('agree_to_terms', 'disagree');
                form.leave('agree_to_terms', true);
              }}
            />
            {t.identity.disagree}
          </label>
        </fieldset>
        <button type="submit" class="button button--primary" disabled={busy || !terms}>
          {t.identity.submit}
        </button>
      </form>
    </>
  );
}

function idOf(field: F): string {
  return `f-${field}`;
}
