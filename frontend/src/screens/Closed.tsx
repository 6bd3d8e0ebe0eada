// When the portal or the account is closed for a while: the maintenance screen and the lock
// screen. Both say until when, name whom to ask, and take the member back to the screen they
// came from once it is open again, without a reload.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api/client';
import { ContactBlock } from '../components/help';
import { Link, Loading, Title } from '../components/ui';
import { formatJst, formatUntil, useT } from '../i18n';
import { navigate } from '../router';
import { useApp } from '../state';

/** How often the maintenance screen asks whether the window is over. */
const CHECK_EVERY_MS = 30_000;

/** A path of this SPA to go back to (never another site, never the closed screen itself). */
export function backTo(raw: string | null | undefined, closed: string): string {
  // `//host` and `/\host` would name another site.
  if (!raw || !raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) return '/';
  return raw.split('?')[0] === closed ? '/' : raw;
}

/**
 * `/maintenance?from=/menu`: while a window lasts, when it ends; checks again every 30 s, when
 * the window's end passes and when the page is shown again, then goes back to `from`.
 */
export function Maintenance() {
  const t = useT();
  const app = useApp();
  const [from] = useState(() => backTo(new URLSearchParams(window.location.search).get('from'), '/maintenance'));
  // undefined: not known yet; null: closed, end unknown.
  const [ends, setEnds] = useState<string | null | undefined>(
    app.maintenance?.active ? (app.maintenance.current?.ends_at ?? null) : undefined,
  );
  const [tick, setTick] = useState(0);
  const again = () => setTick((n) => n + 1);

  useEffect(() => {
    let live = true;
    (async () => {
      const { data } = await api.GET('/api/v1/maintenance');
      if (!live || !data) return;
      if (data.active) return setEnds(data.current?.ends_at ?? null);
      // No window now; a kenpo's nightly closure still answers its members' sessions with 503.
      const { response } = await api.GET('/api/v1/session');
      if (!live) return;
      if (response.status !== 503) return navigate(from, true);
      const seconds = Number(response.headers.get('Retry-After'));
      setEnds(seconds > 0 ? new Date(Date.now() + seconds * 1000).toISOString() : null);
    })().catch(() => live && setEnds((old) => (old === undefined ? null : old)));
    return () => {
      live = false;
    };
  }, [tick]);

  useEffect(() => {
    const every = setInterval(again, CHECK_EVERY_MS);
    const onShow = () => document.visibilityState === 'visible' && again();
    document.addEventListener('visibilitychange', onShow);
    return () => {
      clearInterval(every);
      document.removeEventListener('visibilitychange', onShow);
    };
  }, []);

  // The moment the window should end, one more check; past its end, every 5 s (the servers
  // re-read their windows within 5 s) until it is over.
  useEffect(() => {
    if (!ends) return;
    const left = Date.parse(ends) - Date.now();
    const id = setTimeout(again, left > 0 ? left + 1000 : 5000);
    return () => clearTimeout(id);
  }, [ends, tick]);

  if (ends === undefined) return <Loading />;
  return (
    <>
      <Title>{t.maintenance.title}</Title>
      <p>{t.maintenance.body}</p>
      {ends && <p id="maintenance-until">{t.maintenance.until(formatJst(ends, t, true))}</p>}
      <p>{t.maintenance.back}</p>
      <div class="actions">
        <button type="button" class="button button--primary" onClick={again}>
          {t.maintenance.retry}
        </button>
      </div>
      <ContactBlock contact={app.session?.contact} />
    </>
  );
}

/** `/locked`: a screen's load answered 423; until when, whom to ask, then back where it was. */
export function Locked() {
  const t = useT();
  const app = useApp();
  const locked = app.locked;

  useEffect(() => {
    if (!locked) return navigate('/login', true);
    const id = setTimeout(
      () => {
        app.setLocked(null);
        navigate(backTo(locked.from, '/locked'), true);
      },
      Math.max(0, locked.opensAt - Date.now()),
    );
    return () => clearTimeout(id);
  }, [locked]);

  if (!locked) return null;
  return (
    <>
      <Title>{t.lock.title}</Title>
      <p id="lock-until">{t.lock.until(formatUntil(locked.until, t))}</p>
      <p>{t.lock.reason}</p>
      <ContactBlock contact={locked.contact ?? app.session?.contact} lead={t.lock.help} />
      <p>
        <Link href="/login">{t.lock.toLogin}</Link>
      </p>
    </>
  );
}
