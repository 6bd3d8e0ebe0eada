// お知らせ (DESIGN §10): the kenpo's notices, newest first with 未読 and 重要 marks, and one
// notice's plain-text body with its web addresses as links. The body is never parsed as HTML:
// it is split into text and links, and Preact writes both as text.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, type Problem } from '../api/client';
import type { components } from '../api/schema';
import { ErrorSummary, type General, Link, Loading, Title } from '../components/ui';
import { handledElsewhere, showLocked, useStep } from '../guard';
import { formatJst, useT } from '../i18n';
import { splitLinks } from '../links';
import { useApp } from '../state';

type Summary = components['schemas']['NoticeSummary'];
type Detail = components['schemas']['NoticeDetail'];

/** The body as text and links (only http and https: never `javascript:` or the like). */
function linkify(text: string): ComponentChildren[] {
  return splitLinks(text).map((part) =>
    'url' in part ? (
      <a href={part.url} target="_blank" rel="noopener noreferrer">
        {part.url}
      </a>
    ) : (
      part.text
    ),
  );
}

function Marks({ important, read }: { important: boolean; read: boolean }) {
  const s = useT().notices;
  return (
    <>
      {!read && <span class="badge badge--unread">{s.unread}</span>}
      {important && <span class="badge">{s.important}</span>}
    </>
  );
}

export function Notices() {
  const ready = useStep('menu');
  return ready ? <NoticeList /> : <Loading />;
}

function NoticeList() {
  const t = useT();
  const s = t.notices;
  const app = useApp();
  const [items, setItems] = useState<Summary[] | null>(null);
  const [general, setGeneral] = useState<General>(null);

  useEffect(() => {
    api
      .GET('/api/v1/me/notices')
      .then(({ data, error, response }) => {
        if (data) return setItems(data);
        if (response.status === 503 && !error) return;
        const p = error as Problem;
        if (showLocked(app, p, response) || handledElsewhere(app, response, p)) return;
        setGeneral({ title: p.title, detail: p.detail });
      })
      .catch(() => setGeneral(t.networkError));
  }, []);

  if (!items) return general ? <ErrorSummary items={[]} general={general} /> : <Loading />;
  const unread = items.filter((n) => !n.read).length;
  return (
    <>
      <Title>{s.title}</Title>
      <p id="notices-summary">{items.length === 0 ? s.none : s.summary(items.length, unread)}</p>
      {items.length > 0 && (
        <ul class="notice-list" id="notice-list">
          {items.map((n) => (
            <li key={n.id} class={n.read ? 'notice-item' : 'notice-item notice-item--unread'}>
              <Link href={`/menu/notice?id=${encodeURIComponent(n.id)}`} class="notice-item__link">
                <span class="notice-item__title">{n.title}</span>
                <Marks important={n.important} read={n.read} />
                <span class="notice-item__date">
                  <time dateTime={n.published_at}>{formatJst(n.published_at, t)}</time>
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}
      <ul class="links">
        <li>
          <Link href="/menu">{s.backToMenu}</Link>
        </li>
      </ul>
    </>
  );
}

export function NoticeView() {
  const ready = useStep('menu');
  return ready ? <NoticePage /> : <Loading />;
}

function NoticePage() {
  const t = useT();
  const s = t.notices;
  const app = useApp();
  const [notice, setNotice] = useState<Detail | null>(null);
  const [general, setGeneral] = useState<General>(null);
  const id = new URLSearchParams(window.location.search).get('id') ?? '';

  useEffect(() => {
    api
      .GET('/api/v1/me/notices/{id}', { params: { path: { id } } })
      .then(({ data, error, response }) => {
        if (data) return setNotice(data);
        if (response.status === 503 && !error) return;
        const p = error as Problem;
        if (showLocked(app, p, response) || handledElsewhere(app, response, p)) return;
        setGeneral(p.code === 'notice_not_found' ? s.notFound : { title: p.title, detail: p.detail });
      })
      .catch(() => setGeneral(t.networkError));
  }, [id]);

  const back = (
    <ul class="links">
      <li>
        <Link href="/menu/notices">{s.backToList}</Link>
      </li>
      <li>
        <Link href="/menu">{s.backToMenu}</Link>
      </li>
    </ul>
  );
  if (!notice) {
    if (!general) return <Loading />;
    return (
      <>
        <Title>{s.detail.title}</Title>
        <ErrorSummary items={[]} general={general} />
        {back}
      </>
    );
  }
  return (
    <>
      <Title>{notice.title}</Title>
      <p class="notice-meta">
        <time dateTime={notice.published_at}>{s.publishedAt(formatJst(notice.published_at, t))}</time>
        <Marks important={notice.important} read />
      </p>
      <div class="notice-body" id="notice-body">
        {linkify(notice.body)}
      </div>
      {back}
    </>
  );
}
