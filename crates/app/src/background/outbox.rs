//! The outbox worker of `madoguchi serve` (DESIGN §6): claims due messages with a committed
//! lease, delivers them, and marks each sent or schedules its retry (1 s doubling to 60 s).
//! A mail server that is down loses nothing: the rows wait in the outbox until it answers.
//! Each pass first answers the pending recovery requests (forgot user ID or password), whose
//! e-mails then go out in the same pass, and queues one batch of a published notice's e-mail.

use std::sync::{Arc, Mutex};
use std::time::Duration as StdDuration;

use chrono::Duration;
use lettre::message::Mailbox;
use madoguchi_persistence::outbox;
use madoguchi_persistence::{Pool, StoreError};

use super::recovery::{Processor, on_pool};
use crate::clock::Clock;
use crate::mail::Mailer;
use crate::services::Services;

/// How long a claim holds a message: another server sends it only after this.
pub const LEASE: Duration = Duration::seconds(60);
/// Messages claimed at once.
const BATCH: i64 = 20;
/// The wait when nothing is due.
const IDLE: StdDuration = StdDuration::from_millis(500);
/// How often old throttle counters and answered recovery requests are deleted.
const HOUSEKEEPING_EVERY: Duration = Duration::hours(1);
/// Answered recovery requests are kept this long (the audit trail keeps their record).
const RECOVERY_KEPT: Duration = Duration::days(7);
/// Sent messages are kept this long (without their bodies) for an operator's questions.
const SENT_KEPT: Duration = Duration::days(7);
/// Throttle counters whose window started this long ago are over (the longest window is an hour).
const COUNTERS_KEPT: Duration = Duration::days(1);

pub struct OutboxWorker {
    /// Messages claimed and not yet marked: released when the server stops.
    in_hand: Arc<Mutex<Vec<String>>>,
    pool: Pool,
    mailer: Arc<Mailer>,
    from: Mailbox,
    clock: Arc<dyn Clock>,
    recovery: Arc<Processor>,
}

/// What one pass over the outbox did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Pass {
    pub sent: usize,
    pub failed: usize,
}

/// How long sign-ins beyond the last 20 of an account are kept.
const LOGINS_KEPT_DAYS: i64 = 90;

impl OutboxWorker {
    pub fn new(state: &Services, mailer: Mailer, from: Mailbox) -> Self {
        Self {
            in_hand: Arc::default(),
            pool: state.pool.clone(),
            mailer: Arc::new(mailer),
            from,
            clock: state.clock.clone(),
            recovery: Arc::new(Processor {
                pool: state.pool.clone(),
                hashes: Arc::clone(&state.hashes),
                public_url: state.mail.public_url.clone(),
                mail_domain: state.mail.mail_domain.clone(),
            }),
        }
    }

    /// Runs until the process stops.
    pub async fn run(self) {
        let mut housekept: Option<chrono::DateTime<chrono::Utc>> = None;
        loop {
            let now = self.clock.now();
            if housekept.is_none_or(|t| now - t >= HOUSEKEEPING_EVERY) {
                housekept = Some(now);
                if let Err(e) = self.housekeeping(now).await {
                    tracing::warn!(error = %e, "housekeeping failed; trying again in an hour");
                }
            }
            match self.pass().await {
                Ok(pass) if pass.sent + pass.failed == usize::try_from(BATCH).unwrap_or(0) => {}
                Ok(_) => tokio::time::sleep(IDLE).await,
                Err(e) => {
                    tracing::warn!(error = %e, "outbox: cannot read the queue; retrying");
                    tokio::time::sleep(IDLE * 4).await;
                }
            }
        }
    }

    /// Claims the due messages and tries each once.
    pub async fn pass(&self) -> Result<Pass, StoreError> {
        let now = self.clock.now();
        self.recovery.run_pending(now).await?;
        self.fan_out_notices(now).await?;
        let due = self
            .db(move |c| outbox::claim_due(c, now, LEASE, BATCH))
            .await?;
        if let Ok(mut held) = self.in_hand.lock() {
            held.extend(due.iter().map(|m| m.id.clone()));
        }
        let mut pass = Pass::default();
        for email in due {
            let now = self.clock.now();
            let result = self.mailer.send(&self.from, &email, now).await;
            match result {
                Ok(()) => {
                    let id = email.id.clone();
                    self.db(move |c| outbox::mark_sent(c, &id, now)).await?;
                    self.let_go(&email.id);
                    tracing::info!(outbox_id = %email.id, kind = %email.kind, "e-mail sent");
                    pass.sent += 1;
                }
                Err(error) => {
                    let text = error.to_string();
                    tracing::warn!(
                        outbox_id = %email.id,
                        kind = %email.kind,
                        attempt = email.attempts + 1,
                        retry_in_s = outbox::backoff(email.attempts + 1).num_seconds(),
                        error = %text,
                        "e-mail not delivered; it stays in the outbox"
                    );
                    let id = email.id.clone();
                    self.db(move |c| outbox::mark_failed(c, &email, &text, now))
                        .await?;
                    self.let_go(&id);
                    pass.failed += 1;
                }
            }
        }
        Ok(pass)
    }

    /// One batch of a published notice's e-mail (ADR 0021): a batch per pass, so a large
    /// tenant's fan-out never holds up the sending.
    async fn fan_out_notices(&self, now: chrono::DateTime<chrono::Utc>) -> Result<(), StoreError> {
        let url = self.recovery.public_url.clone();
        let domain = self.recovery.mail_domain.clone();
        let done = self
            .db(move |c| crate::notices::fan_out_next(c, &url, &domain, now))
            .await?;
        if let Some((notice, batch)) = done {
            tracing::info!(
                notice_id = %notice.id,
                queued = batch.queued,
                finished = batch.finished,
                "notice e-mail queued"
            );
        }
        Ok(())
    }

    fn let_go(&self, id: &str) {
        if let Ok(mut held) = self.in_hand.lock() {
            held.retain(|h| h != id);
        }
    }

    /// What gives back this worker's leases when the server stops.
    pub fn leases(&self) -> Leases {
        Leases {
            in_hand: Arc::clone(&self.in_hand),
            pool: self.pool.clone(),
        }
    }

    /// Deletes throttle counters that are over, recovery requests answered a week ago,
    /// messages sent a week ago, old sign-ins, passkey ceremonies that expired and medical
    /// expenses older than their tenant keeps.
    pub async fn housekeeping(&self, now: chrono::DateTime<chrono::Utc>) -> Result<(), StoreError> {
        let today = now
            .with_timezone(&madoguchi_domain::calendar::Tokyo)
            .date_naive();
        let (counters, requests, messages, logins, ceremonies, medical) = self
            .db(move |c| {
                Ok((
                    madoguchi_persistence::throttle::prune(c, COUNTERS_KEPT, now)?,
                    madoguchi_persistence::recovery::purge_processed(c, now - RECOVERY_KEPT)?,
                    outbox::purge_sent(c, now - SENT_KEPT)?,
                    // The member sees the last 20 sign-ins; older ones go after 90 days.
                    madoguchi_persistence::two_step::history::prune_all(
                        c,
                        now - chrono::Duration::days(LOGINS_KEPT_DAYS),
                    )?,
                    madoguchi_persistence::two_step::passkeys::purge_ceremonies(c, now)?,
                    madoguchi_persistence::medical::purge_expired(c, today)?,
                ))
            })
            .await?;
        tracing::info!(
            counters,
            requests,
            messages,
            logins,
            ceremonies,
            medical,
            "housekeeping: old throttle counters, recovery requests, sent e-mails, sign-ins, expired passkey ceremonies and medical expenses past retention deleted"
        );
        Ok(())
    }

    async fn db<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut madoguchi_persistence::Conn) -> Result<T, StoreError> + Send + 'static,
    {
        on_pool(&self.pool, f).await
    }
}

/// The leases an outbox worker holds, to give back when the server stops (SIGTERM): the
/// messages it claimed and did not send go out at once from the next server instead of after
/// the whole lease.
pub struct Leases {
    in_hand: Arc<Mutex<Vec<String>>>,
    pool: Pool,
}

impl Leases {
    /// Releases them; returns how many.
    pub fn release(&self) -> Result<usize, StoreError> {
        let ids: Vec<String> = self
            .in_hand
            .lock()
            .map(|mut held| std::mem::take(&mut *held))
            .unwrap_or_default();
        if ids.is_empty() {
            return Ok(0);
        }
        let mut conn = self.pool.get()?;
        outbox::release(&mut conn, &ids)
    }
}
