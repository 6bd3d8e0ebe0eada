//! Two-step login's use cases (DESIGN §9, ADR 0017 and 0018): what a password sign-in asks
//! next ([`sign_in::decide`]), the second factor ([`sign_in::verify`]), the e-mailed code
//! ([`sign_in::send_email_code`]), the member's own settings ([`manage`]), passkeys
//! ([`passkeys`]) and the keys that keep the factors' secrets ([`keys`]).

mod browser;
pub mod keys;
pub mod manage;
pub mod passkeys;
pub mod sign_in;

pub use browser::browser_label;
pub use keys::TwoStepKeys;
pub use passkeys::RelyingParty;

use chrono::{DateTime, Utc};
use madoguchi_domain::two_step::{Outcome, SignInMethod};
use madoguchi_persistence::Conn;
use madoguchi_persistence::accounts::AccountView;
use madoguchi_persistence::two_step::history::{self, Attempt};

use crate::error::AppError;
use crate::mail;

/// Where a sign-in comes from, for the login history and the login notice.
#[derive(Debug, Clone, Default)]
pub struct Client {
    /// The client address (as the throttle counts it).
    pub address: String,
    /// A short label of the browser from its User-Agent (「Chrome（Android）」).
    pub browser: String,
}

/// Records an attempt in the account's login history. Refusals of a locked account are
/// recorded once in a row: nothing limits them (the lock gives the address's try back), and a
/// stranger hammering a locked account must not fill the table.
pub(crate) fn record(
    conn: &mut Conn,
    view: &AccountView,
    client: &Client,
    outcome: Outcome,
    method: SignInMethod,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    if outcome == Outcome::Locked
        && history::last_outcome(conn, &view.account.id)? == Some(Outcome::Locked)
    {
        return Ok(());
    }
    history::record(
        conn,
        &view.account.id,
        &Attempt {
            at: now,
            outcome,
            method,
            address: client.address.clone(),
            browser: client.browser.clone(),
        },
    )?;
    Ok(())
}

/// A successful sign-in from a browser that is not remembered: the login notice, unless the
/// member turned it off. Only to a verified address (an unverified one may be a typo that
/// reaches a stranger).
pub(crate) fn notify_login(
    conn: &mut Conn,
    view: &AccountView,
    client: &Client,
    domain: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let account = &view.account;
    if !account.notify_on_login || !account.email_verified {
        return Ok(());
    }
    if let Some(email) = &account.email {
        let notice = mail::templates::login_notice(
            email,
            &view.tenant.name,
            now,
            &client.browser,
            &client.address,
        );
        mail::enqueue(conn, &notice, &view.tenant, domain, now)?;
    }
    Ok(())
}
