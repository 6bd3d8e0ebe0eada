import { useEffect } from 'preact/hooks';
import { StepIndicator, Title } from '../components/ui';
import { useT } from '../i18n';
import { navigate } from '../router';
import { useApp } from '../state';

export function Done() {
  const t = useT();
  const app = useApp();
  const registered = app.registered;
  useEffect(() => {
    // Shown once, right after the registration; a reload goes to the menu.
    if (!registered) navigate('/menu', true);
  }, []);
  if (!registered) return null;
  return (
    <>
      <StepIndicator current={4} />
      <Title>{t.done.title}</Title>
      <p>{t.done.intro}</p>
      <ul class="notes">
        <li id="done-mail-sent">{t.done.mailSent(registered.email)}</li>
        {t.done.notes.map((note) => (
          <li key={note}>{note}</li>
        ))}
      </ul>
      <div class="actions">
        <button
          type="button"
          class="button button--primary"
          onClick={() => {
            app.setRegistered(null);
            navigate('/menu');
          }}
        >
          {t.done.toMenu}
        </button>
      </div>
    </>
  );
}
