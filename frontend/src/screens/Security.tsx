// セキュリティ設定 (DESIGN §9): the authenticator app (QR code made by the server, recovery codes
// shown once to print or copy), passkeys, login notices, remembered devices and the login
// history.
import { useEffect, useState } from 'preact/hooks';
import { api, type Problem } from '../api/client';
import type { components } from '../api/schema';
import { LockState } from '../components/help';
import { ErrorSummary, Link, Loading, Notice, PasswordField, TextField, Title } from '../components/ui';
import { useForm, useSubmit } from '../form';
import { handledElsewhere, useStep } from '../guard';
import { formatJst, useT } from '../i18n';
import { makePasskey, passkeysSupported } from '../passkey';
import { checkRequired } from '../rules';
import { useApp } from '../state';
import { memberProblem } from './Account';

type SecurityView = components['schemas']['SecurityView'];
type Attempt = components['schemas']['LoginAttempt'];
type Enrolment = components['schemas']['TotpEnrolment'];

export function Security() {
  const ready = useStep('menu');
  return ready ? <SecurityPage /> : <Loading />;
}

function SecurityPage() {
  const t = useT();
  const app = useApp();
  const [view, setView] = useState<SecurityView | null>(null);
  const [logins, setLogins] = useState<Attempt[]>([]);
  const [codes, setCodes] = useState<string[] | null>(null);

  const load = async () => {
    const [s, l] = await Promise.all([api.GET('/api/v1/me/security'), api.GET('/api/v1/me/logins')]);
    if (s.data) setView(s.data);
    else if (s.error) handledElsewhere(app, s.response, s.error as Problem);
    if (l.data) setLogins(l.data);
  };
  useEffect(() => {
    void load();
  }, []);

  if (!view) return <Loading />;
  const s = t.security;
  return (
    <>
      <Title>{s.title}</Title>
      <p>{s.intro}</p>
      {codes && <RecoveryCodes codes={codes} />}
      <section aria-labelledby="totp-title">
        <h2 id="totp-title">{s.totpHeading}</h2>
        {view.totp_enabled ? (
          <>
            <p>{s.totpOn(view.recovery_codes_left)}</p>
            <PasswordAction
              id="renew"
              label={s.renewCodes}
              send={(current_password) => api.POST('/api/v1/me/recovery-codes', { body: { current_password } })}
              onDone={(data) => {
                setCodes((data as { recovery_codes: string[] }).recovery_codes);
                void load();
              }}
            />
            <PasswordAction
              id="disable"
              label={s.disable}
              send={(current_password) => api.POST('/api/v1/me/totp/disable', { body: { current_password } })}
              onDone={() => {
                setCodes(null);
                void load();
              }}
            />
          </>
        ) : view.two_step_policy === 'off' ? (
          <p>{s.policyOff}</p>
        ) : (
          <Enrol
            onDone={(c) => {
              setCodes(c);
              void load();
            }}
          />
        )}
      </section>
      <section aria-labelledby="passkeys-title">
        <h2 id="passkeys-title">{s.passkeysHeading}</h2>
        <p>{s.passkeysIntro}</p>
        {view.passkeys.length === 0 ? (
          <p>{s.passkeysNone}</p>
        ) : (
          <ul class="passkeys">
            {view.passkeys.map((p) => (
              <li key={p.id}>
                <span class="passkey__name">{p.name}</span>（{s.since(formatJst(p.created_at, t))}、
                {p.last_used_at ? s.passkeyUsed(formatJst(p.last_used_at, t)) : s.passkeyNeverUsed}）{' '}
                <button
                  type="button"
                  class="button button--secondary"
                  onClick={async () => {
                    await api.DELETE('/api/v1/me/passkeys/{id}', { params: { path: { id: p.id } } });
                    void load();
                  }}
                >
                  {s.removePasskey(p.name)}
                </button>
              </li>
            ))}
          </ul>
        )}
        {view.two_step_policy === 'off' ? (
          <p>{s.policyOff}</p>
        ) : passkeysSupported() ? (
          <AddPasskey onDone={() => void load()} />
        ) : (
          <p>{s.passkeyUnsupported}</p>
        )}
      </section>
      <section aria-labelledby="notice-title">
        <h2 id="notice-title">{s.noticeHeading}</h2>
        <label class="choice__option">
          <input
            type="checkbox"
            checked={view.notify_on_login}
            onChange={async (e) => {
              const notify_on_login = e.currentTarget.checked;
              await api.PUT('/api/v1/me/notifications', { body: { notify_on_login } });
              void load();
            }}
          />
          {s.notice}
        </label>
      </section>
      <section aria-labelledby="devices-title">
        <h2 id="devices-title">{s.devicesHeading}</h2>
        {view.remembered_devices.length === 0 ? (
          <p>{s.noDevices}</p>
        ) : (
          <ul>
            {view.remembered_devices.map((d) => (
              <li key={d.id}>
                {d.browser}（{s.since(formatJst(d.created_at, t))}）{' '}
                <button
                  type="button"
                  class="button button--secondary"
                  onClick={async () => {
                    await api.DELETE('/api/v1/me/devices/{id}', { params: { path: { id: d.id } } });
                    void load();
                  }}
                >
                  {s.forget}
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="logins-title">
        <h2 id="logins-title">{s.loginsHeading}</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">{s.at}</th>
              <th scope="col">{s.outcome}</th>
              <th scope="col">{s.method}</th>
              <th scope="col">{s.browser}</th>
            </tr>
          </thead>
          <tbody>
            {logins.map((a) => (
              <tr key={a.at + a.outcome}>
                <td>{formatJst(a.at, t)}</td>
                <td>{s.outcomes[a.outcome as keyof typeof s.outcomes] ?? a.outcome}</td>
                <td>{s.methods[a.method as keyof typeof s.methods] ?? a.method}</td>
                <td>
                  {a.browser} / {a.address}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <p>
        <Link href="/menu">{s.back}</Link>
      </p>
    </>
  );
}

function RecoveryCodes({ codes }: { codes: string[] }) {
  const t = useT();
  return (
    <section aria-labelledby="codes-title" class="notice">
      <h2 id="codes-title">{t.security.codesHeading}</h2>
      <p>{t.security.codesIntro}</p>
      <ol class="recovery-codes">
        {codes.map((c) => (
          <li key={c}>
            <code>{c}</code>
          </li>
        ))}
      </ol>
      <button type="button" class="button button--secondary" onClick={() => window.print()}>
        {t.security.print}
      </button>{' '}
      <button
        type="button"
        class="button button--secondary"
        onClick={() => void navigator.clipboard?.writeText(codes.join('\n'))}
      >
        {t.security.copy}
      </button>
    </section>
  );
}

/** Setting up the app: the current password, then the QR code and a code from the app. */
function Enrol({ onDone }: { onDone: (codes: string[]) => void }) {
  const t = useT();
  const app = useApp();
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);
  const form = useForm<'current_password' | 'code'>(
    ['current_password', 'code'],
    { current_password: '', code: '' },
    {
      current_password: (v) => (enrolment ? null : checkRequired(v.current_password)),
      code: (v) => (enrolment ? checkRequired(v.code) : null),
    },
  );
  const labels = { current_password: t.security.currentPassword, code: t.security.code };
  const submit = useSubmit(form, async () => {
    if (!enrolment) {
      const { data, error, response } = await api.POST('/api/v1/me/totp', {
        body: { current_password: form.values.current_password },
      });
      if (data) {
        setEnrolment(data);
        return 'done';
      }
      return memberProblem(app, response, error as Problem, t.security.currentWrong);
    }
    const { data, error, response } = await api.POST('/api/v1/me/totp/confirm', {
      body: { code: form.values.code },
    });
    if (data) {
      onDone(data.recovery_codes);
      return 'done';
    }
    return memberProblem(app, response, error as Problem, null);
  });
  return (
    <>
      <LockState submit={submit} />
      <ErrorSummary items={form.summary(labels)} general={form.general} />
      <p>{t.security.totpOff}</p>
      <form onSubmit={submit.onSubmit} noValidate>
        <fieldset class="form-body" disabled={!!submit.locked}>
          {enrolment ? (
            <>
              <p>{t.security.scan}</p>
              <img
                src={`data:image/svg+xml;base64,${btoa(enrolment.qr_svg)}`}
                alt={t.security.qrAlt}
                width={200}
                height={200}
              />
              <p>
                {t.security.secret} <code>{enrolment.secret}</code>
              </p>
              <TextField
                {...form.bind('code')}
                label={labels.code}
                autoComplete="one-time-code"
                inputMode="numeric"
                required
              />
            </>
          ) : (
            <PasswordField
              {...form.bind('current_password')}
              label={labels.current_password}
              autoComplete="current-password"
              required
            />
          )}
          <button type="submit" class="button button--primary" disabled={submit.busy || !!submit.locked}>
            {enrolment ? t.security.confirm : t.security.start}
          </button>
        </fieldset>
      </form>
    </>
  );
}

/** Adding a passkey: the current password (and a name), then the browser makes it. */
function AddPasskey({ onDone }: { onDone: () => void }) {
  const t = useT();
  const app = useApp();
  const [added, setAdded] = useState(false);
  const form = useForm<'current_password' | 'name'>(
    ['current_password', 'name'],
    { current_password: '', name: '' },
    { current_password: (v) => checkRequired(v.current_password), name: () => null },
  );
  const labels = { current_password: t.security.currentPassword, name: t.security.passkeyName };
  const submit = useSubmit(form, async () => {
    setAdded(false);
    const begun = await api.POST('/api/v1/me/passkeys/options', {
      body: { current_password: form.values.current_password },
    });
    if (!begun.data) return memberProblem(app, begun.response, begun.error as Problem, t.security.currentWrong);
    let credential: Record<string, unknown>;
    try {
      credential = await makePasskey(begun.data.public_key);
    } catch {
      form.setGeneral(t.security.passkeyCancelled);
      return 'stop';
    }
    const { error, response } = await api.POST('/api/v1/me/passkeys', {
      body: { challenge_id: begun.data.challenge_id, name: form.values.name, credential },
    });
    if (response.ok) {
      setAdded(true);
      form.reset();
      onDone();
      return 'done';
    }
    return memberProblem(app, response, error as Problem, null);
  });
  return (
    <form onSubmit={submit.onSubmit} noValidate aria-label={t.security.addPasskey} id="form-passkey">
      {added && <Notice>{t.security.passkeyAdded}</Notice>}
      <LockState submit={submit} />
      <ErrorSummary items={form.summary(labels)} general={form.general} />
      <fieldset class="form-body" disabled={!!submit.locked}>
        <PasswordField
          {...form.bind('current_password')}
          id="f-passkey-current_password"
          label={labels.current_password}
          autoComplete="current-password"
          required
        />
        <TextField
          {...form.bind('name')}
          id="f-passkey-name"
          label={labels.name}
          hint={t.security.passkeyNameHint}
          autoComplete="off"
          maxLength={40}
        />
        <button type="submit" class="button button--secondary" disabled={submit.busy || !!submit.locked}>
          {t.security.addPasskey}
        </button>
      </fieldset>
    </form>
  );
}

/** An action that asks the current password first (new recovery codes, removing the app). */
function PasswordAction({
  id,
  label,
  send,
  onDone,
}: {
  id: string;
  label: string;
  send: (current: string) => Promise<{ data?: unknown; error?: unknown; response: Response }>;
  onDone: (data: unknown) => void;
}) {
  const t = useT();
  const app = useApp();
  const [done, setDone] = useState(false);
  const form = useForm<'current_password'>(
    ['current_password'],
    { current_password: '' },
    { current_password: (v) => checkRequired(v.current_password) },
  );
  const submit = useSubmit(form, async () => {
    const { data, error, response } = await send(form.values.current_password);
    if (response.ok) {
      setDone(true);
      form.reset();
      onDone(data);
      return 'done';
    }
    return memberProblem(app, response, error as Problem, t.security.currentWrong);
  });
  return (
    <form onSubmit={submit.onSubmit} noValidate aria-label={label} id={`form-${id}`}>
      {done && <Notice>{t.security.done}</Notice>}
      <LockState submit={submit} />
      <fieldset class="form-body" disabled={!!submit.locked}>
        <PasswordField
          {...form.bind('current_password')}
          id={`f-${id}-current_password`}
          label={t.security.currentPassword}
          autoComplete="current-password"
          required
        />
        <button type="submit" class="button button--secondary" disabled={submit.busy}>
          {label}
        </button>
      </fieldset>
    </form>
  );
}
