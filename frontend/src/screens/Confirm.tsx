import { useEffect, useState } from 'preact/hooks';
import { api, closedForMaintenance, isSignedOut, routeFor, type Problem } from '../api/client';
import { ErrorSummary, type General, Loading, StepIndicator, Title } from '../components/ui';
import { focusField } from '../form';
import { showLocked, signedOut, useStep } from '../guard';
import { useT } from '../i18n';
import { navigate } from '../router';
import { useApp } from '../state';

export function Confirm() {
  const app = useApp();
  const ready = useStep('register_credentials');
  useEffect(() => {
    // After a reload nothing typed is left in memory: start the form again.
    if (ready && !app.checked) navigate('/onboarding/register', true);
  }, [ready]);
  return ready && app.checked ? <ConfirmView /> : <Loading />;
}

function ConfirmView() {
  const t = useT();
  const app = useApp();
  const checked = app.checked!;
  const [general, setGeneral] = useState<General>(null);
  const [busy, setBusy] = useState(false);

  const back = () => navigate('/onboarding/register');

  const commit = async () => {
    setGeneral(null);
    setBusy(true);
    try {
      const { data, error, response } = await api.POST('/api/v1/onboarding/credentials', {
        body: app.draft,
      });
      if (data) {
        app.setSession({ nextStep: data.next_step, tenantName: data.tenant_name });
        app.setRegistered({ email: checked.email });
        app.setDraft({ ...app.draft, password: '', password_confirmation: '' });
        app.setChecked(null);
        navigate('/onboarding/done');
        return;
      }
      const p = error as Problem;
      if (closedForMaintenance(response, p)) return;
      if (isSignedOut(p)) return signedOut(app);
      if (showLocked(app, p, response)) return;
      if (p.code === 'already_registered') return navigate('/menu', true);
      if (p.code === 'wrong_step' && p.next_step) return navigate(routeFor(p.next_step), true);
      if (p.code === 'user_id_taken' || (p.errors && p.errors.length > 0)) {
        app.setCarried(p);
        app.setChecked(null);
        navigate('/onboarding/register');
        return;
      }
      setGeneral({ title: p.title, detail: p.detail });
      focusField('error-summary-title');
    } catch {
      setGeneral(t.networkError);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <StepIndicator current={3} />
      <Title>{t.confirm.title}</Title>
      <ErrorSummary items={[]} general={general} />
      <p>{t.confirm.intro}</p>
      <dl class="summary-list">
        <div>
          <dt>{t.register.userId}</dt>
          <dd id="confirm-user_id">{checked.user_id}</dd>
        </div>
        <div>
          <dt>{t.register.password}</dt>
          <dd id="confirm-password">
            <span aria-hidden="true">********</span>
            <span class="visually-hidden">{t.confirm.passwordMasked}</span>
          </dd>
        </div>
        <div>
          <dt>{t.register.email}</dt>
          <dd id="confirm-email">{checked.email}</dd>
        </div>
        <div>
          <dt>{t.register.notify}</dt>
          <dd id="confirm-notify">{checked.notify_on_update ? t.confirm.notifyOn : t.confirm.notifyOff}</dd>
        </div>
      </dl>
      <div class="actions">
        <button type="button" class="button button--primary" onClick={commit} disabled={busy}>
          {t.confirm.submit}
        </button>
        <button type="button" class="button button--secondary" onClick={back} disabled={busy}>
          {t.confirm.back}
        </button>
      </div>
    </>
  );
}
