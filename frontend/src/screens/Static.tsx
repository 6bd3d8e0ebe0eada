// Screens without a form: terms, 404 (maintenance and the lock: `Closed.tsx`).
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api/client';
import type { components } from '../api/schema';
import { InfoPage, Loading, Title } from '../components/ui';
import { useT } from '../i18n';
import { navigate } from '../router';

export function NotFound() {
  const t = useT();
  return <InfoPage title={t.notFound.title} body={[t.notFound.body]} back={t.notFound.home} />;
}

type TermsView = components['schemas']['TermsView'];

export function Terms() {
  const t = useT();
  const [terms, setTerms] = useState<TermsView | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    api
      .GET('/api/v1/terms')
      .then(({ data }) => (data ? setTerms(data) : setFailed(true)))
      .catch(() => setFailed(true));
  }, []);
  return (
    <>
      <Title>{t.terms.title}</Title>
      {terms ? (
        <section aria-labelledby="terms-doc-title">
          <h2 id="terms-doc-title">{terms.title}</h2>
          <div class="terms-body">{terms.body}</div>
        </section>
      ) : failed ? (
        <p>{t.unexpectedError}</p>
      ) : (
        <Loading />
      )}
      <p>
        <a
          href="/"
          onClick={(e) => {
            e.preventDefault();
            if (window.history.length > 1) window.history.back();
            else navigate('/');
          }}
        >
          {t.terms.back}
        </a>
      </p>
    </>
  );
}
