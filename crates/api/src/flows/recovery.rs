//! 「IDを忘れた方」 and 「パスワードを忘れた方」 (DESIGN §3). The route checks the shape of
//! the input, applies the throttles and records the request; it never looks an account up, so
//! every request gets the same 202 in the same time. The outbox worker then matches it
//! ([`process`]) and queues the e-mail in the transaction that marks it processed.
//!
//! Throttles: per client address (429, which tells nothing about any account) and per
//! submitted identifier (silently: the same 202, nothing recorded).

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use madoguchi_domain::birth_date::BirthDate;
use madoguchi_domain::calendar;
use madoguchi_domain::email::Email;
use madoguchi_domain::onboarding::AccountState;
use madoguchi_domain::temporary::{EMAIL_REISSUE_HOURS, TemporaryPassword};
use madoguchi_domain::user_id::UserId;
use madoguchi_persistence::accounts::{self, AccountView};
use madoguchi_persistence::audit::{self, NewAuditEvent};
use madoguchi_persistence::recovery::{self, Pending, Request};
use madoguchi_persistence::temporary_credentials::{self, NewTemporaryCredential, Purpose};
use madoguchi_persistence::{Conn, Pool, StoreError, throttle, write_tx};

use crate::error::ApiError;
use crate::flows::email::issue;
use crate::hashing::HashPool;
use crate::mail;

/// Requests per client address in [`window`], then 429. Generous, like the login throttle: a
/// company's employees often share one address; the per-identifier limit guards each member.
pub const ADDRESS_LIMIT: u64 = 60;
/// Requests per submitted identifier in [`window`]; more are answered alike and dropped.
pub const IDENTIFIER_LIMIT: u64 = 3;

pub fn window() -> Duration {
    Duration::hours(1)
}

/// 「IDを忘れた方」: the e-mail address and the birth date.
pub fn parse_user_id_request(
    email: Option<&str>,
    birth_date: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Request, ApiError> {
    let today = now.with_timezone(&calendar::jst()).date_naive();
    let email = Email::parse(email.unwrap_or("")).map_err(|e| issue("email", e));
    let birth =
        BirthDate::parse(birth_date.unwrap_or(""), today).map_err(|e| issue("birth_date", e));
    match (email, birth) {
        (Ok(email), Ok(birth)) => Ok(Request::UserId {
            email: email.as_str().to_owned(),
            birth_date: birth.to_compact(),
        }),
        (email, birth) => Err(ApiError::Validation(
            [email.err(), birth.err()].into_iter().flatten().collect(),
        )),
    }
}

/// 「パスワードを忘れた方」: the user ID and the e-mail address.
pub fn parse_password_request(
    user_id: Option<&str>,
    email: Option<&str>,
) -> Result<Request, ApiError> {
    let user_id = UserId::parse(user_id.unwrap_or("")).map_err(|e| issue("user_id", e));
    let email = Email::parse(email.unwrap_or("")).map_err(|e| issue("email", e));
    match (user_id, email) {
        (Ok(user_id), Ok(email)) => Ok(Request::Password {
            user_id: user_id.canonical(),
            email: email.as_str().to_owned(),
        }),
        (user_id, email) => Err(ApiError::Validation(
            [user_id.err(), email.err()].into_iter().flatten().collect(),
        )),
    }
}

fn identifier(request: &Request) -> String {
    match request {
        Request::UserId { email, .. } => format!("recovery-email:{}", email.to_lowercase()),
        Request::Password { user_id, .. } => format!("recovery-user:{user_id}"),
    }
}

fn kind(request: &Request) -> &'static str {
    match request {
        Request::UserId { .. } => "user_id",
        Request::Password { .. } => "password",
    }
}

/// Throttles, records and audits one request. Runs in one transaction.
pub fn record(
    conn: &mut Conn,
    request: &Request,
    client: &str,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    write_tx(conn, |c| {
        let by_address = throttle::hit(c, &format!("recovery-address:{client}"), window(), now)?;
        if by_address.hits > ADDRESS_LIMIT {
            return Err(ApiError::TooManyAttempts {
                retry_after: u64::try_from((by_address.resets_at - now).num_seconds())
                    .unwrap_or(1)
                    .max(1),
            });
        }
        let by_identifier = throttle::hit(c, &identifier(request), window(), now)?;
        let accepted = by_identifier.hits <= IDENTIFIER_LIMIT;
        if accepted {
            recovery::record(c, request, client, now)?;
        }
        audit::record(
            c,
            &NewAuditEvent {
                tenant_id: None,
                member_code: None,
                actor: "anonymous",
                action: if accepted {
                    "recovery_requested"
                } else {
                    "recovery_throttled"
                },
                detail: serde_json::json!({ "kind": kind(request), "client": client }),
            },
            now,
        )?;
        Ok(())
    })
}

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
