import { useEffect, useState } from 'preact/hooks';
import { api, isSignedOut, routeFor, type Problem } from '../api/client';
import { LockState } from '../components/help';
import { ErrorSummary, Loading, Notice, StepIndicator, TextField, Title } from '../components/ui';
import { focusField, type Outcome, useForm, useSubmit } from '../form';
import { handledElsewhere, showLocked, signedOut, useStep } from '../guard';
import { useT } from '../i18n';
import { LOCK_MINUTES } from '../lock';
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
    const { data, error, response } = await api.GET('/api/v1/onboarding/terms');
    if (data) setTerms(data);
    else if (isSignedOut(error)) signedOut(app);
    else showLocked(app, error, response);
  };

  useEffect(() => {
    loadTerms().catch(() => form.setGeneral(t.networkError));
  }, []);

  const submit = useSubmit(form, async (): Promise<Outcome> => {
    if (!terms) return 'stop';
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
      return 'done';
    }
    const problem = error as Problem;
    if (handledElsewhere(app, response, problem)) return 'stop';
    if (problem.code === 'terms_outdated') {
      form.set('agree_to_terms', '');
      await loadTerms();
      setTermsUpdated(true);
      focusField('terms-title');
      return 'stop';
    }
    if (problem.code !== 'identity_mismatch') return { problem, response };
    // In the screen's own words (the server's detail may count the tries too), and from the third
    // failure in a row, how many tries are left before the lock.
    const left = problem.remaining_attempts;
    return {
      problem: { ...problem, title: t.identity.mismatchTitle, detail: t.identity.mismatch },
      response,
      note: typeof left === 'number' && left > 0 ? t.lock.remaining(left, LOCK_MINUTES) : undefined,
    };
  });
  const locked = submit.locked;
  const onSubmit = (e: Event) => {
    setTermsUpdated(false);
    return submit.onSubmit(e);
  };

  const agreeError = form.error('agree_to_terms', (c) => t.field[c]);

  return (
    <>
      <StepIndicator current={1} />
      <Title>{t.identity.title}</Title>
      <LockState submit={submit} />
      <ErrorSummary items={form.summary(labels)} general={form.general} />
      {termsUpdated && <Notice>{t.identity.termsUpdated}</Notice>}
      <p>{t.identity.intro}</p>
      <form onSubmit={onSubmit} noValidate>
        <fieldset class="form-body" disabled={!!locked}>
          <TextField
            {...form.bind('insurer_number')}
            label={labels.insurer_number}
            hint={t.identity.insurerNumberHint}
            inputMode="numeric"
            autoComplete="off"
            class="input--short"
            required
          />
          <TextField
            {...form.bind('birth_date')}
            label={labels.birth_date}
            hint={t.identity.birthDateHint}
            inputMode="numeric"
            autoComplete="bday"
            class="input--short"
            required
          />
        </fieldset>
        {/* The terms stay readable (and their box scrollable by keyboard) while the form is locked. */}
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
        <fieldset class="form-body" disabled={!!locked}>
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
          <button type="submit" class="button button--primary" disabled={submit.busy || !terms || !!locked}>
            {t.identity.submit}
          </button>
        </fieldset>
      </form>
    </>
  );
}
