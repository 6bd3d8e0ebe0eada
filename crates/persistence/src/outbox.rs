//! The e-mail outbox: messages are written in the same transaction as the change that causes
//! them and sent later by a worker, so a mail-server outage loses nothing (DESIGN §6).
//!
//! A claim is a committed lease (`locked_until = now + lease`): a message claimed by a server
//! that dies is sent by the next one. Delivery is at least once, with a stable Message-ID.

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text, Timestamp};

use crate::db::{Conn, write_tx};
use crate::error::StoreError;
use crate::schema::email_outbox as ob;
use crate::time::{from_db, new_id, to_db};

/// A message about to be queued (its `Debug` shows the kind only).
#[derive(Clone)]
pub struct NewEmail<'a> {
    /// Stable snake_case name of the message, e.g. `registration_confirmation`.
    pub kind: &'a str,
    pub recipient: &'a str,
    pub subject: &'a str,
    pub body_text: &'a str,
    pub body_html: Option<&'a str>,
}

impl std::fmt::Debug for NewEmail<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewEmail")
            .field("kind", &self.kind)
            .finish_non_exhaustive()
    }
}

/// A message in the outbox. Its `Debug` leaves the address and the bodies out: a body may carry
/// a temporary password or a verification link.
#[derive(Clone, PartialEq, Eq)]
pub struct QueuedEmail {
    pub id: String,
    pub message_id: String,
    pub kind: String,
    pub recipient: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: Option<String>,
    pub attempts: i64,
}

impl std::fmt::Debug for QueuedEmail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("QueuedEmail")
            .field("id", &self.id)
            .field("kind", &self.kind)
            .field("attempts", &self.attempts)
            .finish_non_exhaustive()
    }
}

/// The `outbox` row as diesel reads it (never leaves this crate).
#[derive(Queryable, Selectable)]
#[diesel(table_name = ob)]
struct QueuedRow {
    id: String,
    message_id: String,
    kind: String,
    recipient: String,
    subject: String,
    body_text: String,
    body_html: Option<String>,
    attempts: i64,
}

impl From<QueuedRow> for QueuedEmail {
    fn from(r: QueuedRow) -> Self {
        Self {
            id: r.id,
            message_id: r.message_id,
            kind: r.kind,
            recipient: r.recipient,
            subject: r.subject,
            body_text: r.body_text,
            body_html: r.body_html,
            attempts: r.attempts,
        }
    }
}

/// Queues a message; `domain` names the sender's host in the Message-ID.
pub fn enqueue(
    conn: &mut Conn,
    email: &NewEmail<'_>,
    domain: &str,
    now: DateTime<Utc>,
) -> Result<String, StoreError> {
    let id = new_id();
    diesel::insert_into(ob::table)
        .values((
            ob::id.eq(&id),
            ob::message_id.eq(format!("<{id}@{domain}>")),
            ob::kind.eq(email.kind),
            ob::recipient.eq(email.recipient),
            ob::subject.eq(email.subject),
            ob::body_text.eq(email.body_text),
            ob::body_html.eq(email.body_html),
            ob::attempts.eq(0_i64),
            ob::next_attempt_at.eq(to_db(now)),
            ob::created_at.eq(to_db(now)),
        ))
        .execute(conn)?;
    Ok(id)
}

#[derive(QueryableByName)]
struct ClaimedId {
    #[diesel(sql_type = Text)]
    id: String,
}

/// Leases up to `limit` due messages for `lease`; other servers skip them until it ends.
pub fn claim_due(
    conn: &mut Conn,
    now: DateTime<Utc>,
    lease: Duration,
    limit: i64,
) -> Result<Vec<QueuedEmail>, StoreError> {
    let until = to_db(now + lease);
    let ids: Vec<String> = match conn {
        // Several servers may share one PostgreSQL: SKIP LOCKED lets each take other rows.
        Conn::Postgresql(pg) => diesel::sql_query(
            "UPDATE email_outbox SET locked_until = $1 WHERE id IN (\
               SELECT id FROM email_outbox WHERE sent_at IS NULL AND next_attempt_at <= $2 \
               AND (locked_until IS NULL OR locked_until <= $2) \
               ORDER BY next_attempt_at, id LIMIT $3 FOR UPDATE SKIP LOCKED) RETURNING id",
        )
        .bind::<Timestamp, _>(until)
        .bind::<Timestamp, _>(to_db(now))
        .bind::<BigInt, _>(limit)
        .load::<ClaimedId>(pg)?
        .into_iter()
        .map(|c| c.id)
        .collect(),
        // SQLite has one writer at a time: BEGIN IMMEDIATE is the lock.
        Conn::Sqlite(_) => write_tx(conn, |conn| -> Result<Vec<String>, StoreError> {
            let ids: Vec<String> = ob::table
                .filter(ob::sent_at.is_null())
                .filter(ob::next_attempt_at.le(to_db(now)))
                .filter(
                    ob::locked_until
                        .is_null()
                        .or(ob::locked_until.le(to_db(now))),
                )
                .order((ob::next_attempt_at.asc(), ob::id.asc()))
                .limit(limit)
                .select(ob::id)
                .load(conn)?;
            diesel::update(ob::table.filter(ob::id.eq_any(&ids)))
                .set(ob::locked_until.eq(until))
                .execute(conn)?;
            Ok(ids)
        })?,
    };
    let mut claimed: Vec<QueuedEmail> = ob::table
        .filter(ob::id.eq_any(&ids))
        .select(QueuedRow::as_select())
        .load::<QueuedRow>(conn)?
        .into_iter()
        .map(QueuedEmail::from)
        .collect();
    claimed.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(claimed)
}

/// Marks a message sent and clears its body: a body may carry a temporary password or a
/// verification link, and no secret rests in the database once it has left (DESIGN §6). The
/// row itself (kind, recipient, subject, Message-ID, when) stays until [`purge_sent`].
pub fn mark_sent(conn: &mut Conn, id: &str, now: DateTime<Utc>) -> Result<(), StoreError> {
    diesel::update(ob::table.find(id))
        .set((
            ob::sent_at.eq(to_db(now)),
            ob::locked_until.eq(None::<NaiveDateTime>),
            ob::last_error.eq(None::<String>),
            ob::body_text.eq(""),
            ob::body_html.eq(None::<String>),
        ))
        .execute(conn)?;
    Ok(())
}

/// Deletes the messages sent before `before` (housekeeping); returns how many.
pub fn purge_sent(conn: &mut Conn, before: DateTime<Utc>) -> Result<usize, StoreError> {
    Ok(diesel::delete(ob::table.filter(ob::sent_at.le(to_db(before)))).execute(conn)?)
}

/// Deletes the messages of `kind` not yet sent and not being sent now (no lease running at
/// `now`) whose text contains `needle`: a withdrawn notice's e-mails still waiting. How many.
pub fn cancel_unsent(
    conn: &mut Conn,
    kind: &str,
    needle: &str,
    now: DateTime<Utc>,
) -> Result<usize, StoreError> {
    let escaped: String = needle
        .chars()
        .flat_map(|c| match c {
            '%' | '_' | '\\' => vec!['\\', c],
            c => vec![c],
        })
        .collect();
    Ok(diesel::delete(
        ob::table
            .filter(ob::kind.eq(kind))
            .filter(ob::sent_at.is_null())
            .filter(
                ob::locked_until
                    .is_null()
                    .or(ob::locked_until.lt(to_db(now))),
            )
            .filter(ob::body_text.like(format!("%{escaped}%")).escape('\\')),
    )
    .execute(conn)?)
}

/// Gives back the leases of claimed messages that were not sent (a server stopping): another
/// server, or this one after its restart, sends them at once instead of after the lease.
/// Returns how many were released.
pub fn release(conn: &mut Conn, ids: &[String]) -> Result<usize, StoreError> {
    Ok(diesel::update(
        ob::table
            .filter(ob::id.eq_any(ids))
            .filter(ob::sent_at.is_null()),
    )
    .set(ob::locked_until.eq(None::<NaiveDateTime>))
    .execute(conn)?)
}

/// The wait before the next attempt: 1 s doubling to a 60 s cap.
pub fn backoff(attempts: i64) -> Duration {
    let exponent = u32::try_from(attempts.clamp(1, 7) - 1).unwrap_or(6);
    Duration::seconds((1_i64 << exponent).min(60))
}

/// Records a failed attempt and schedules the next one.
pub fn mark_failed(
    conn: &mut Conn,
    email: &QueuedEmail,
    error: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let attempts = email.attempts + 1;
    diesel::update(ob::table.find(&email.id))
        .set((
            ob::attempts.eq(attempts),
            ob::next_attempt_at.eq(to_db(now + backoff(attempts))),
            ob::locked_until.eq(None::<NaiveDateTime>),
            ob::last_error.eq(Some(error)),
        ))
        .execute(conn)?;
    Ok(())
}

/// How many messages wait, and since when the oldest has (for the metrics).
pub fn pending_summary(conn: &mut Conn) -> Result<(i64, Option<DateTime<Utc>>), StoreError> {
    let (count, oldest): (i64, Option<NaiveDateTime>) = ob::table
        .filter(ob::sent_at.is_null())
        .select((diesel::dsl::count_star(), diesel::dsl::min(ob::created_at)))
        .first(conn)?;
    Ok((count, oldest.map(from_db)))
}

/// Messages not yet sent (for status output and tests).
pub fn pending_count(conn: &mut Conn) -> Result<i64, StoreError> {
    Ok(ob::table
        .filter(ob::sent_at.is_null())
        .count()
        .get_result(conn)?)
}

pub fn get(conn: &mut Conn, id: &str) -> Result<(QueuedEmail, Option<DateTime<Utc>>), StoreError> {
    let (email, sent): (QueuedRow, Option<NaiveDateTime>) = ob::table
        .find(id)
        .select((QueuedRow::as_select(), ob::sent_at))
        .first(conn)?;
    Ok((email.into(), sent.map(from_db)))
}

/// Every message queued for `recipient`, oldest first (what the member was sent).
pub fn to_recipient(conn: &mut Conn, recipient: &str) -> Result<Vec<QueuedEmail>, StoreError> {
    Ok(ob::table
        .filter(ob::recipient.eq(recipient))
        .order((ob::created_at.asc(), ob::id.asc()))
        .select(QueuedRow::as_select())
        .load::<QueuedRow>(conn)?
        .into_iter()
        .map(QueuedEmail::from)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{TestDatabase, each_backend};

    #[test]
    fn debug_output_carries_no_secret_and_no_address() {
        let new = NewEmail {
            kind: "password_reissue",
            recipient: "ichiro@example.jp",
            subject: "仮パスワード",
            body_text: "仮パスワード: Ab3dEf5GhK",
            body_html: Some("<p>Ab3dEf5GhK</p>"),
        };
        let queued = QueuedEmail {
            id: "m1".into(),
            message_id: "<m1@example.jp>".into(),
            kind: "password_reissue".into(),
            recipient: "ichiro@example.jp".into(),
            subject: "仮パスワード".into(),
            body_text: "仮パスワード: Ab3dEf5GhK".into(),
            body_html: None,
            attempts: 0,
        };
        let registration = crate::accounts::Registration {
            user_id: "takahashi01",
            user_id_canonical: "takahashi01",
            password_hash: "$argon2id$v=19$secret",
            email: "ichiro@example.jp",
            notify_on_update: true,
        };
        let credential = crate::temporary_credentials::NewTemporaryCredential {
            account_id: "a1",
            login_id: Some("4821093756102"),
            password_hash: "$argon2id$v=19$secret",
            purpose: crate::temporary_credentials::Purpose::Postcard,
            expires_at: Utc::now(),
        };
        let request = crate::recovery::Request::UserId {
            email: "ichiro@example.jp".into(),
            birth_date: "19790822".into(),
        };
        let shown = format!("{new:?} {queued:?} {registration:?} {credential:?} {request:?}");
        for secret in [
            "Ab3dEf5GhK",
            "ichiro@example.jp",
            "argon2id",
            "4821093756102",
            "takahashi01",
            "19790822",
        ] {
            assert!(!shown.contains(secret), "{secret} in {shown}");
        }
        assert!(shown.contains("password_reissue"), "{shown}");
    }

    fn mail(to: &str) -> NewEmail<'_> {
        NewEmail {
            kind: "registration_confirmation",
            recipient: to,
            subject: "登録完了",
            body_text: "本文",
            body_html: None,
        }
    }

    #[test]
    fn backoff_doubles_from_one_second_to_a_minute() {
        let secs: Vec<i64> = (1..=9).map(|a| backoff(a).num_seconds()).collect();
        assert_eq!(secs, [1, 2, 4, 8, 16, 32, 60, 60, 60]);
    }

    each_backend!(a_claim_is_a_lease_and_failures_retry_later);
    fn a_claim_is_a_lease_and_failures_retry_later(db: TestDatabase) {
        let mut conn = db.conn();
        let now = Utc::now();
        let id = enqueue(&mut conn, &mail("a@example.jp"), "madoguchi.test", now).unwrap();
        let listed = to_recipient(&mut conn, "a@example.jp").unwrap();
        assert_eq!(listed.len(), 1, "{}", db.backend);
        assert_eq!(listed[0].subject, "登録完了");
        assert!(to_recipient(&mut conn, "b@example.jp").unwrap().is_empty());
        let claimed = claim_due(&mut conn, now, Duration::seconds(60), 10).unwrap();
        assert_eq!(claimed.len(), 1, "{}", db.backend);
        assert_eq!(claimed[0].message_id, format!("<{id}@madoguchi.test>"));
        assert!(
            claim_due(&mut conn, now, Duration::seconds(60), 10)
                .unwrap()
                .is_empty(),
            "{}: leased",
            db.backend
        );
        // The lease of a server that died runs out; the next server sends it.
        let again = claim_due(
            &mut conn,
            now + Duration::seconds(61),
            Duration::seconds(60),
            10,
        )
        .unwrap();
        assert_eq!(again.len(), 1, "{}", db.backend);

        mark_failed(&mut conn, &again[0], "connection refused", now).unwrap();
        assert!(
            claim_due(&mut conn, now, Duration::seconds(60), 10)
                .unwrap()
                .is_empty(),
            "{}: backing off",
            db.backend
        );
        let retried = claim_due(
            &mut conn,
            now + Duration::seconds(1),
            Duration::seconds(60),
            10,
        )
        .unwrap();
        assert_eq!(retried[0].attempts, 1, "{}", db.backend);
        mark_sent(&mut conn, &id, now).unwrap();
        assert_eq!(pending_count(&mut conn).unwrap(), 0);
        let (stored, sent_at) = get(&mut conn, &id).unwrap();
        assert_eq!(
            (stored.message_id, sent_at.is_some()),
            (retried[0].message_id.clone(), true)
        );
        assert!(
            claim_due(
                &mut conn,
                now + Duration::hours(1),
                Duration::seconds(60),
                10
            )
            .unwrap()
            .is_empty()
        );
    }

    each_backend!(a_sent_message_keeps_no_body_and_goes_after_a_week);
    fn a_sent_message_keeps_no_body_and_goes_after_a_week(db: TestDatabase) {
        let mut conn = db.conn();
        let now = Utc::now();
        let secret = NewEmail {
            body_text: "仮パスワード: TRLBpYE8r9",
            body_html: Some("<p>仮パスワード: TRLBpYE8r9</p>"),
            ..mail("a@example.jp")
        };
        let sent = enqueue(&mut conn, &secret, "madoguchi.test", now).unwrap();
        let waiting = enqueue(&mut conn, &secret, "madoguchi.test", now).unwrap();
        mark_sent(&mut conn, &sent, now).unwrap();
        let (stored, _) = get(&mut conn, &sent).unwrap();
        assert_eq!(
            (
                stored.body_text.as_str(),
                stored.body_html,
                stored.subject.as_str()
            ),
            ("", None, "登録完了"),
            "{}: the body left with the message",
            db.backend
        );
        let (unsent, _) = get(&mut conn, &waiting).unwrap();
        assert!(
            unsent.body_text.contains("TRLBpYE8r9"),
            "{}: still to send",
            db.backend
        );
        assert_eq!(purge_sent(&mut conn, now - Duration::days(7)).unwrap(), 0);
        assert_eq!(
            purge_sent(&mut conn, now + Duration::seconds(1)).unwrap(),
            1
        );
        assert!(get(&mut conn, &sent).is_err(), "{}", db.backend);
        assert!(
            get(&mut conn, &waiting).is_ok(),
            "{}: unsent is kept",
            db.backend
        );
    }

    fn conn_of(pooled: &mut crate::db::PooledConn) -> &mut Conn {
        pooled
    }

    each_backend!(waiting_messages_of_a_kind_are_cancelled_by_their_text);
    fn waiting_messages_of_a_kind_are_cancelled_by_their_text(db: TestDatabase) {
        let mut conn = db.conn();
        let now = Utc::now();
        let mut queue = |kind: &'static str, to: &'static str, text: &'static str| {
            let email = NewEmail {
                kind,
                recipient: to,
                subject: "s",
                body_text: text,
                body_html: None,
            };
            enqueue(&mut conn, &email, "example.jp", now).unwrap()
        };
        queue(
            "notice_published",
            "waiting@example.jp",
            "https://x/menu/notice?id=n-1\n",
        );
        let sent = queue(
            "notice_published",
            "sent@example.jp",
            "https://x/menu/notice?id=n-1",
        );
        queue(
            "notice_published",
            "other@example.jp",
            "https://x/menu/notice?id=n-2",
        );
        queue(
            "notice_published",
            "wildcard@example.jp",
            "https://x/menu/notice?id=nX1",
        );
        queue(
            "registration_confirmation",
            "kind@example.jp",
            "/menu/notice?id=n-1",
        );
        let leased = queue(
            "notice_published",
            "leased@example.jp",
            "/menu/notice?id=n-1",
        );
        mark_sent(&mut conn, &sent, now).unwrap();
        diesel::update(ob::table.find(&leased))
            .set(ob::locked_until.eq(Some(to_db(now + Duration::seconds(60)))))
            .execute(conn_of(&mut conn))
            .unwrap();

        let cancelled = cancel_unsent(&mut conn, "notice_published", "/menu/notice?id=n_1", now);
        assert_eq!(cancelled.unwrap(), 0, "[{}] `_` is no wildcard", db.backend);
        let cancelled = cancel_unsent(&mut conn, "notice_published", "/menu/notice?id=n-1", now);
        assert_eq!(cancelled.unwrap(), 1, "[{}]", db.backend);
        let left: Vec<String> = ob::table
            .order(ob::recipient.asc())
            .select(ob::recipient)
            .load(conn_of(&mut conn))
            .unwrap();
        assert_eq!(
            left,
            [
                "kind@example.jp",
                "leased@example.jp",
                "other@example.jp",
                "sent@example.jp",
                "wildcard@example.jp"
            ],
            "[{}] only the waiting message of that notice goes",
            db.backend
        );
    }

    each_backend!(released_leases_are_claimed_again_at_once);
    fn released_leases_are_claimed_again_at_once(db: TestDatabase) {
        let mut conn = db.conn();
        let now = Utc::now();
        let id = enqueue(&mut conn, &mail("a@example.jp"), "madoguchi.test", now).unwrap();
        let sent = enqueue(&mut conn, &mail("b@example.jp"), "madoguchi.test", now).unwrap();
        let claimed = claim_due(&mut conn, now, Duration::seconds(60), 10).unwrap();
        assert_eq!(claimed.len(), 2, "{}", db.backend);
        mark_sent(&mut conn, &sent, now).unwrap();
        assert_eq!(
            release(&mut conn, &[id.clone(), sent.clone()]).unwrap(),
            1,
            "{}: only the unsent one",
            db.backend
        );
        let again = claim_due(&mut conn, now, Duration::seconds(60), 10).unwrap();
        assert_eq!(
            again.iter().map(|m| m.id.clone()).collect::<Vec<_>>(),
            [id],
            "{}: not after the lease, at once",
            db.backend
        );
    }

    each_backend!(concurrent_claims_are_disjoint);
    /// Two servers claiming at once never get the same message.
    fn concurrent_claims_are_disjoint(db: TestDatabase) {
        let now = Utc::now();
        {
            let mut conn = db.conn();
            for i in 0..40 {
                enqueue(
                    &mut conn,
                    &mail(&format!("m{i}@example.jp")),
                    "madoguchi.test",
                    now,
                )
                .unwrap();
            }
        }
        let workers: Vec<_> = (0..4)
            .map(|_| {
                let pool = db.pool.clone();
                std::thread::spawn(move || {
                    let mut conn = pool.get().unwrap();
                    let mut mine = Vec::new();
                    loop {
                        let batch = claim_due(&mut conn, now, Duration::seconds(60), 3).unwrap();
                        if batch.is_empty() {
                            return mine;
                        }
                        mine.extend(batch.into_iter().map(|m| m.id));
                    }
                })
            })
            .collect();
        let mut all: Vec<String> = workers
            .into_iter()
            .flat_map(|w| w.join().unwrap())
            .collect();
        let total = all.len();
        all.sort();
        all.dedup();
        assert_eq!(
            (total, all.len()),
            (40, 40),
            "{}: every message claimed exactly once",
            db.backend
        );
    }
}
