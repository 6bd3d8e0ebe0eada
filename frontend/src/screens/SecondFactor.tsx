// 二段階認証: the code after the password (DESIGN §9). The methods come with the login's answer,
// or after a reload with `GET /session`'s.
import { useState } from 'preact/hooks';
import { api, routeFor, type Problem } from '../api/client';
import { afterSignIn } from '../returnTo';
import { LockState } from '../components/help';
import { ErrorSummary, Loading, Notice, TextField, Title } from '../components/ui';
import { useForm, useSubmit } from '../form';
import { handledElsewhere, useStep } from '../guard';
import { useT } from '../i18n';
import { navigate } from '../router';
import { checkRequired } from '../rules';
import { useApp } from '../state';

type Method = 'totp' | 'email_code' | 'recovery_code';
const ALL: Method[] = ['totp', 'email_code', 'recovery_code'];
const FIELDS = ['code'] as const;
type F = (typeof FIELDS)[number];

export function SecondFactor() {
  const ready = useStep('second_factor');
  return ready ? <SecondFactorForm /> : <Loading />;
}

function SecondFactorForm() {
  const t = useT();
  const app = useApp();
  const offered = (app.session?.secondFactorMethods ?? ALL).filter((m): m is Method =>
    ALL.includes(m as Method),
  );
  const [method, setMethod] = useState<Method>(offered[0] ?? 'totp');
  const [remember, setRemember] = useState(false);
  const [sent, setSent] = useState<'no' | 'busy' | 'yes'>('no');
  const form = useForm<F>(FIELDS, { code: '' }, { code: (v) => checkRequired(v.code) });
  const labels: Record<F, string> = { code: t.secondFactor.code[method] };

  const submit = useSubmit(form, async () => {
    const { data, error, response } = await api.POST('/api/v1/auth/second-factor', {
      body: { method, code: form.values.code, remember_device: remember },
    });
    if (data) {
      app.setSession({ nextStep: data.next_step, tenantName: data.tenant_name });
      navigate(afterSignIn(routeFor(data.next_step)));
      return 'done';
    }
    const problem = error as Problem;
    if (handledElsewhere(app, response, problem)) return 'stop';
    return { problem, response };
  });

  const sendCode = async () => {
    setSent('busy');
    form.setGeneral(null);
    const { error, response } = await api.POST('/api/v1/auth/second-factor/email-code', {});
    if (response.status === 202) return setSent('yes');
    setSent('no');
    const problem = error as Problem;
    if (!handledElsewhere(app, response, problem)) form.showProblem(problem);
  };

  return (
    <>
      <Title>{t.secondFactor.title}</Title>
      <LockState submit={submit} />
      <ErrorSummary items={form.summary(labels)} general={form.general} />
      <p>{t.secondFactor.intro}</p>
      {sent === 'yes' && <Notice>{t.secondFactor.sent}</Notice>}
      <form onSubmit={submit.onSubmit} noValidate>
        <fieldset class="form-body" disabled={!!submit.locked}>
          {offered.length > 1 && (
            <fieldset class="field choice">
              <legend class="field__label">{t.secondFactor.method}</legend>
              {offered.map((m) => (
                <label class="choice__option" key={m}>
                  <input
                    type="radio"
                    name="method"
                    value={m}
                    checked={method === m}
                    onChange={() => setMethod(m)}
                  />
                  {t.secondFactor.methods[m]}
                </label>
              ))}
            </fieldset>
          )}
          {method === 'email_code' && (
            <p>
              <button type="button" class="button" onClick={sendCode} disabled={sent === 'busy'}>
                {sent === 'yes' ? t.secondFactor.sendAgain : t.secondFactor.send}
              </button>
            </p>
          )}
          <TextField
            {...form.bind('code')}
            label={labels.code}
            hint={t.secondFactor.hint[method]}
            autoComplete="one-time-code"
            inputMode={method === 'recovery_code' ? 'text' : 'numeric'}
            autoCapitalize="characters"
            spellcheck={false}
            required
          />
          <fieldset class="field choice">
            <legend class="field__label">{t.secondFactor.rememberLegend}</legend>
            <label class="choice__option">
              <input
                id="f-remember_device"
                type="checkbox"
                checked={remember}
                onChange={(e) => setRemember(e.currentTarget.checked)}
              />
              {t.secondFactor.remember}
            </label>
          </fieldset>
          <button type="submit" class="button button--primary" disabled={submit.busy || !!submit.locked}>
            {t.secondFactor.submit}
          </button>
        </fieldset>
      </form>
    </>
  );
}
