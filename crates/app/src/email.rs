//! The member's e-mail address (DESIGN §3): verification links (single use, 24 hours, only an
//! argon2id hash of the secret stored), a change of address, and sending the link again.
//! While the current address is verified it stays the address of record, and the recovery
//! address, until the new one's link is used.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Duration, Utc};
use madoguchi_domain::email::Email;
use madoguchi_domain::normalize::normalize;
use madoguchi_persistence::accounts::{self, AccountView};
use madoguchi_persistence::{Conn, StoreError, email_verifications, reads, throttle, write_tx};
use rand::RngCore;

use crate::error::AppError;
use crate::lockout::audit;
use crate::mail;
use crate::password::verify_current;
use crate::services::Services;
use crate::signed_in::SignedIn;

/// Verification links live 24 hours.
pub const LINK_HOURS: i64 = 24;
/// Verification e-mails (address changes and links sent again), per account and hour.
pub const RESEND_LIMIT: u64 = 5;

/// A fresh link secret and its hash (hashed on the pool, before any transaction).
pub struct NewLink {
    secret: String,
    hash: String,
    public_url: String,
    mail_domain: String,
}

impl NewLink {
    pub async fn generate(state: &Services) -> Result<Self, AppError> {
        let mut bytes = [0_u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        let secret = URL_SAFE_NO_PAD.encode(bytes);
        let hash = state.hashes.hash(secret.clone()).await?;
        Ok(Self {
            secret,
            hash,
            public_url: state.mail.public_url.clone(),
            mail_domain: state.mail.mail_domain.clone(),
        })
    }

    /// Stores the link and queues the verification e-mail to `address`.
    pub fn send(
        &self,
        conn: &mut Conn,
        view: &AccountView,
        address: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let url = self.store(conn, &view.account.id, address, now)?;
        let message = mail::templates::address_verification(address, &view.tenant.name, &url);
        mail::enqueue(conn, &message, &view.tenant, &self.mail_domain, now)?;
        Ok(())
    }

    /// Stores the link for `email` and returns its URL, `{PUBLIC_URL}/verify-email?token=…`.
    pub fn store(
        &self,
        conn: &mut Conn,
        account_id: &str,
        email: &str,
        now: DateTime<Utc>,
    ) -> Result<String, StoreError> {
        let id = email_verifications::create(
            conn,
            account_id,
            email,
            &self.hash,
            now + Duration::hours(LINK_HOURS),
            now,
        )?;
        Ok(format!(
            "{}/verify-email?token={id}.{}",
            self.public_url.trim_end_matches('/'),
            self.secret
        ))
    }
}

/// The address waiting for its link, if any: the newest open link's, when it is not the
/// account's address (whose own state `email_verified` tells).
pub fn pending_address(
    conn: &mut Conn,
    view: &AccountView,
    now: DateTime<Utc>,
) -> Result<Option<String>, StoreError> {
    let open = reads::menu(conn, &view.account.id, now)?.open_email;
    Ok(crate::me::pending(view, open))
}

/// What a verification link did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verified {
    /// The address is confirmed now.
    Now,
    /// The link was used before, and the address it confirmed is still the member's verified
    /// address: a member opening the e-mail again is told so, not that the link is broken.
    Already,
}

/// `POST /email/verify`: uses a link up. Unknown, expired, superseded and forged tokens, and
/// used ones whose address is no longer the member's, are all 410 `verification_token_invalid`.
pub async fn verify(
    state: &Services,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Verified, AppError> {
    let token = normalize(token);
    let (id, secret) = token
        .split_once('.')
        // Link IDs are UUIDs: anything else (a NUL byte, say) is unknown without a lookup.
        .filter(|(id, _)| !id.is_empty() && id.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-'))
        .ok_or(AppError::VerificationTokenInvalid)?;
    let id = id.to_owned();
    let found = {
        let id = id.clone();
        state
            .db(move |c| Ok(email_verifications::find(c, &id)?))
            .await?
    };
    let link = found
        .filter(|v| v.used_at.is_some() || v.expires_at > now)
        .ok_or(AppError::VerificationTokenInvalid)?;
    if !state
        .hashes
        .verify(secret.to_owned(), Some(link.secret_hash.clone()))
        .await?
    {
        return Err(AppError::VerificationTokenInvalid);
    }
    if link.used_at.is_some() {
        let view = state
            .db(move |c| Ok(accounts::view(c, &link.account_id)?))
            .await?
            .filter(|v| {
                v.account.email_verified && v.account.email.as_deref() == Some(link.email.as_str())
            });
        return view
            .map(|_| Verified::Already)
            .ok_or(AppError::VerificationTokenInvalid);
    }
    state
        .db(move |c| {
            write_tx(c, |c| {
                let view = accounts::view(c, &link.account_id)?
                    .ok_or(AppError::VerificationTokenInvalid)?;
                let current = view.account.email.as_deref() == Some(link.email.as_str());
                let newest = email_verifications::newest_open(c, &view.account.id, now)?
                    .is_some_and(|n| n.id == link.id);
                if !(current || newest) || !email_verifications::mark_used(c, &link.id, now)? {
                    return Err(AppError::VerificationTokenInvalid);
                }
                accounts::set_email(c, &view.account.id, &link.email, true, now)?;
                audit(c, &view, "email_verified", serde_json::json!({}), now)
            })
        })
        .await?;
    Ok(Verified::Now)
}

/// `PUT /me/email`: a new address, confirmed by the current password.
pub async fn change(
    state: &Services,
    member: &SignedIn,
    email: Email,
    current_password: String,
    client: String,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    verify_current(state, &member.view, current_password, client, now).await?;

    let view = member.view.clone();
    let new = email.as_str().to_owned();
    if view.account.email_verified && view.account.email.as_deref() == Some(new.as_str()) {
        return Ok(());
    }
    let link = NewLink::generate(state).await?;
    let domain = state.mail.mail_domain.clone();
    state
        .db(move |c| {
            write_tx(c, |c| {
                resend_allowed(c, &view.account.id, now)?;
                let old = view.account.email.clone().filter(|old| *old != new);
                if !view.account.email_verified {
                    accounts::set_email(c, &view.account.id, &new, false, now)?;
                }
                link.send(c, &view, &new, now)?;
                if let Some(old) = old {
                    let tenant = &view.tenant.name;
                    let notice =
                        mail::templates::address_change_notice(&old, tenant, &email.masked());
                    mail::enqueue(c, &notice, &view.tenant, &domain, now)?;
                }
                audit(
                    c,
                    &view,
                    "email_change_requested",
                    serde_json::json!({ "new": email.masked() }),
                    now,
                )
            })
        })
        .await
}

/// `POST /me/email/verification`: the link again, to the pending or unverified address;
/// nothing when the address is already verified.
pub async fn resend(
    state: &Services,
    member: &SignedIn,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let view = member.view.clone();
    let target = {
        let view = view.clone();
        state
            .db(move |c| {
                resend_allowed(c, &view.account.id, now)?;
                let pending = pending_address(c, &view, now)?;
                Ok(pending.or_else(|| {
                    view.account
                        .email
                        .clone()
                        .filter(|_| !view.account.email_verified)
                }))
            })
            .await?
    };
    let Some(address) = target else {
        return Ok(());
    };
    let link = NewLink::generate(state).await?;
    state
        .db(move |c| {
            write_tx(c, |c| {
                link.send(c, &view, &address, now)?;
                audit(
                    c,
                    &view,
                    "email_verification_resent",
                    serde_json::json!({}),
                    now,
                )
            })
        })
        .await
}

/// Verification e-mails (a new address, or the link again) per account and hour: 429 past
/// [`RESEND_LIMIT`].
fn resend_allowed(conn: &mut Conn, account_id: &str, now: DateTime<Utc>) -> Result<(), AppError> {
    let key = format!("verification-mail:{account_id}");
    let count = throttle::hit(conn, &key, Duration::hours(1), now)?;
    if count.hits > RESEND_LIMIT {
        return Err(AppError::TooManyAttempts {
            retry_after: u64::try_from((count.resets_at - now).num_seconds())
                .unwrap_or(1)
                .max(1),
        });
    }
    Ok(())
}
