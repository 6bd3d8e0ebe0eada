//! Answers the recorded recovery requests (「IDを忘れた方」, 「パスワードを忘れた方」): matches
//! each against the accounts and queues its e-mail in the transaction that marks it
//! processed. A match for a new password is the state machine's `Reissue`.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use madoguchi_domain::onboarding::{AccountState, Event, Flow};
use madoguchi_domain::temporary::{EMAIL_REISSUE_HOURS, TemporaryPassword};
use madoguchi_persistence::accounts::{self, AccountView};
use madoguchi_persistence::audit::{self, NewAuditEvent};
use madoguchi_persistence::recovery::{self, Pending, Request};
use madoguchi_persistence::temporary_credentials::{self, NewTemporaryCredential, Purpose};
use madoguchi_persistence::{Conn, Pool, StoreError, write_tx};

use crate::hashing::HashPool;
use crate::mail;

/// What the worker needs to answer requests.
pub struct Processor {
    pub pool: Pool,
    /// The server's argon2id pool: the e-mailed temporary password is hashed there like every
    /// other secret (DESIGN §6), never on a thread of its own.
    pub hashes: Arc<HashPool>,
    pub public_url: String,
    pub mail_domain: String,
}

impl Processor {
    /// Matches every pending request and queues its e-mail; returns how many were handled.
    pub async fn run_pending(&self, now: DateTime<Utc>) -> Result<usize, StoreError> {
        let pending = on_pool(&self.pool, |c| recovery::pending(c, 50)).await?;
        for request in &pending {
            self.answer(request.clone(), now).await?;
        }
        Ok(pending.len())
    }

    async fn answer(&self, p: Pending, now: DateTime<Utc>) -> Result<(), StoreError> {
        let login_url = format!("{}/", self.public_url.trim_end_matches('/'));
        let domain = self.mail_domain.clone();
        let Request::Password { user_id, email } = &p.request else {
            return on_pool(&self.pool, move |c| {
                answer_user_id(c, &p, &login_url, &domain, now)
            })
            .await;
        };
        let (user_id, email) = (user_id.clone(), email.clone());
        let matched = on_pool(&self.pool, move |c| {
            Ok(accounts::view_by_user_id(c, &user_id)?.filter(|v| {
                v.account.state == AccountState::Active
                    && v.account.email_verified
                    && v.account.email.as_deref().map(str::to_lowercase)
                        == Some(email.to_lowercase())
            }))
        })
        .await?;
        // Hashed before the transaction, which stays short.
        let reissue = match matched {
            Some(view) => {
                let password = TemporaryPassword::generate(&mut rand::rng());
                let hash = self
                    .hashes
                    .hash(password.expose().to_owned())
                    .await
                    .map_err(|e| StoreError::Connect(format!("hashing pool: {e}")))?;
                Some((view, password, hash))
            }
            None => None,
        };
        on_pool(&self.pool, move |c| {
            write_tx(c, |c| {
                if !recovery::take(c, &p.id, now)? {
                    return Ok(());
                }
                let Some((view, password, hash)) = &reissue else {
                    return Ok(());
                };
                let expires_at = now + Duration::hours(EMAIL_REISSUE_HOURS);
                // The state machine decides: a suspended account gets nothing.
                let pending = temporary_credentials::pending(c, &view.account.id, now)?;
                let flow = Flow::new(
                    view.account.state,
                    view.account.user_id.is_some(),
                    pending.map(|p| p.expires_at),
                );
                let Ok(next) = flow.next(Event::Reissue { expires_at }, now) else {
                    return Ok(());
                };
                let expires_at = next.temporary_expires_at.unwrap_or(expires_at);
                temporary_credentials::replace(
                    c,
                    &NewTemporaryCredential {
                        account_id: &view.account.id,
                        login_id: None,
                        password_hash: hash,
                        purpose: Purpose::EmailReissue,
                        expires_at,
                    },
                    now,
                )?;
                let address = view.account.email.clone().unwrap_or_default();
                let message = mail::templates::password_reissue(
                    &address,
                    &view.tenant.name,
                    password.expose(),
                    expires_at,
                    &login_url,
                );
                mail::enqueue(c, &message, &view.tenant, &domain, now)?;
                audited(c, view, "password_reissued_by_email", now)
            })
        })
        .await
    }
}

/// 「IDを忘れた方」: mails the user ID of every match, in the transaction that takes the request.
fn answer_user_id(
    conn: &mut Conn,
    p: &Pending,
    login_url: &str,
    domain: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let Request::UserId { email, birth_date } = &p.request else {
        return Ok(());
    };
    write_tx(conn, |c| {
        if !recovery::take(c, &p.id, now)? {
            return Ok(());
        }
        for view in accounts::active_by_verified_email_and_birth_date(c, email, birth_date)? {
            let Some(address) = view.account.email.clone() else {
                continue;
            };
            let user_id = view.account.user_id.clone().unwrap_or_default();
            let message =
                mail::templates::user_id_reminder(&address, &view.tenant.name, &user_id, login_url);
            mail::enqueue(c, &message, &view.tenant, domain, now)?;
            audited(c, &view, "user_id_reminder_sent", now)?;
        }
        Ok(())
    })
}

/// Runs storage work of the background worker on a blocking thread.
pub async fn on_pool<T, F>(pool: &Pool, f: F) -> Result<T, StoreError>
where
    T: Send + 'static,
    F: FnOnce(&mut Conn) -> Result<T, StoreError> + Send + 'static,
{
    let pool = pool.clone();
    tokio::task::spawn_blocking(move || {
        let mut conn = pool.get()?;
        f(&mut conn)
    })
    .await
    .map_err(|e| StoreError::Connect(format!("background task: {e}")))?
}

fn audited(
    conn: &mut Conn,
    view: &AccountView,
    action: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    audit::record(
        conn,
        &NewAuditEvent {
            tenant_id: Some(&view.tenant.id),
            member_code: Some(&view.member.member_code),
            actor: "system",
            action,
            detail: serde_json::json!({}),
        },
        now,
    )
}
