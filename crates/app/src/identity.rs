//! The identity check (本人確認, DESIGN §2): insurer number and birth date against the roster,
//! and the terms agreed. A well-formed number of another tenant or another birth date is
//! `IdentityMismatch` and counts toward the lockout; malformed input never reaches here (the
//! caller parses it into domain types first and reports every bad field at once).

use chrono::{DateTime, Utc};
use madoguchi_domain::birth_date::BirthDate;
use madoguchi_domain::insurer_number::InsurerNumber;
use madoguchi_domain::onboarding::{Event, Flow};
use madoguchi_persistence::{accounts, terms as stored_terms, write_tx};

use crate::error::AppError;
use crate::lockout::{self, Failed};
use crate::services::Services;
use crate::signed_in::{Opened, SignedIn};
use crate::throttle;

/// What the member entered, parsed: the terms were agreed to the version the screen showed.
#[derive(Debug, Clone)]
pub struct IdentityClaim {
    pub insurer_number: InsurerNumber,
    pub birth_date: BirthDate,
    pub terms_version: String,
}

/// A member at the identity check: the state machine let `IdentityChecked` through.
pub struct Begun {
    signed_in: SignedIn,
    next: Flow,
}

/// The state machine's gate, before the input is looked at: a token of another step is told
/// which step to do.
pub fn begin(signed_in: SignedIn, now: DateTime<Utc>) -> Result<Begun, AppError> {
    let next = signed_in
        .flow()
        .next(Event::IdentityChecked, now)
        .map_err(AppError::refused)?;
    Ok(Begun { signed_in, next })
}

pub async fn check(
    state: &Services,
    begun: Begun,
    claim: IdentityClaim,
    client: String,
    now: DateTime<Utc>,
) -> Result<Opened, AppError> {
    let Begun { signed_in, next } = begun;
    let view = signed_in.view.clone();
    let tenant_id = view.tenant.id.clone();
    let current = state
        .db(move |c| Ok(stored_terms::current(c, Some(&tenant_id))?))
        .await?
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("no terms published")))?;
    if claim.terms_version.trim() != current.version.trim() {
        return Err(AppError::TermsOutdated {
            version: current.version,
        });
    }
    let matches = claim.insurer_number.as_str() == view.tenant.insurer_number
        && claim.birth_date.to_compact() == view.member.birth_date;
    let credential = signed_in.credential()?.clone();
    let domain = state.mail.mail_domain.clone();
    let version = current.version.clone();
    state
        .db(move |c| {
            write_tx(c, |c| {
                // Both reservations roll back together when either refuses.
                throttle::reserve(c, &throttle::FAILURES, &client, now)?;
                lockout::reserve(c, &view, now)
                    .map_err(|e| e.with_contact(&view.tenant.contact))?;
                if !matches {
                    // The address's reserved try stays counted: a failure. The member holds
                    // the postcard: tell them how many tries are left, and who to call.
                    return Ok(Err(
                        match lockout::failed(c, &view, "identity_mismatch", &domain, now)? {
                            Failed::Counted { warning } => AppError::IdentityMismatch {
                                remaining_attempts: warning,
                                lock_minutes: view.tenant.lockout_minutes,
                            },
                            Failed::Locked { until } => lockout::locked(&view, until, now)
                                .with_contact(&view.tenant.contact),
                        },
                    ));
                }
                throttle::give_back(c, &throttle::FAILURES, &client, now)?;
                accounts::clear_failures(c, &view.account.id)?;
                stored_terms::record_acceptance(c, &view.account.id, &version, now)?;
                lockout::audit(
                    c,
                    &view,
                    "identity_checked",
                    serde_json::json!({ "terms_version": version }),
                    now,
                )?;
                Ok(Ok(()))
            })
        })
        .await??;
    Ok(Opened {
        account_id: signed_in.view.account.id.clone(),
        step: next.step.ok_or(AppError::SessionRevoked)?,
        session_version: signed_in.session_version,
        credential_id: Some(credential.id),
        login_time: signed_in.login_time,
        tenant_name: signed_in.view.tenant.name.clone(),
    })
}
