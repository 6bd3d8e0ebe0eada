// Where a member can turn: the kenpo's contact (after sign-in, from the session) or, before
// sign-in, the note that it is printed on the postcard; and the notice of a locked account.
import { useId } from 'preact/hooks';
import type { Contact } from '../api/client';
import type { Submit } from '../form';
import { formatUntil, useT } from '../i18n';
import type { Lock } from '../lock';
import { normalize } from '../rules';
import { Notice } from './ui';

/** Whether the kenpo set any part of its contact. */
export function hasContact(contact: Contact | null | undefined): contact is Contact {
  return !!contact && !!(contact.name || contact.phone || contact.hours || contact.url);
}

/** A `tel:` address from a phone number as the kenpo wrote it (`03-1234-5678`, full-width too). */
export function telHref(phone: string): string | null {
  const digits = normalize(phone).replace(/[^0-9+]/g, '');
  return digits ? `tel:${digits}` : null;
}

/** The contact under a heading, or the postcard note when the kenpo (or the tenant) is unknown. */
export function ContactBlock({
  contact,
  lead,
  level = 2,
}: {
  contact: Contact | null | undefined;
  /** A paragraph before it: when to ask. */
  lead?: string;
  level?: 2 | 3;
}) {
  const t = useT();
  const id = useId();
  const Heading = level === 2 ? 'h2' : 'h3';
  const tel = contact?.phone ? telHref(contact.phone) : null;
  const web = contact?.url && /^https?:\/\//i.test(contact.url) ? contact.url : null;
  return (
    <div class="contact" aria-labelledby={id} role="group">
      <Heading id={id} class="contact__title">
        {t.contact.heading}
      </Heading>
      {lead && <p>{lead}</p>}
      {hasContact(contact) ? (
        <>
          {contact.name && <p class="contact__name">{contact.name}</p>}
          <dl class="contact__list">
            {contact.phone && (
              <div>
                <dt>{t.contact.phone}</dt>
                <dd>{tel ? <a href={tel}>{contact.phone}</a> : contact.phone}</dd>
              </div>
            )}
            {contact.hours && (
              <div>
                <dt>{t.contact.hours}</dt>
                <dd>{contact.hours}</dd>
              </div>
            )}
            {contact.url && (
              <div>
                <dt>{t.contact.url}</dt>
                <dd>
                  {web ? (
                    <a href={web} rel="noopener noreferrer">
                      {contact.url}
                    </a>
                  ) : (
                    contact.url
                  )}
                </dd>
              </div>
            )}
          </dl>
        </>
      ) : (
        <p class="contact__postcard">{t.contact.postcard}</p>
      )}
    </div>
  );
}

/** A 423 answer: until when, why, and whom to ask. Its heading takes the focus. */
export function LockNotice({ lock }: { lock: Lock }) {
  const t = useT();
  return (
    <div class="lock-notice" role="alert" aria-labelledby="lock-title">
      <h2 id="lock-title" tabIndex={-1}>
        {t.lock.title}
      </h2>
      <p id="lock-until">{t.lock.until(formatUntil(lock.until, t))}</p>
      <p>{t.lock.reason}</p>
      <ContactBlock contact={lock.contact} lead={t.lock.help} level={3} />
    </div>
  );
}

/** A form's lock (423) while it lasts, or the notice that it has just ended. */
export function LockState({ submit }: { submit: Submit }) {
  const t = useT();
  if (submit.locked) return <LockNotice lock={submit.locked} />;
  return submit.unlocked ? <Notice>{t.lock.ended}</Notice> : null;
}
