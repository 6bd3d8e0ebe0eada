//! The member's own two-step settings (セキュリティ設定, DESIGN §9): the authenticator app,
//! recovery codes, remembered browsers and the login history. Adding or removing a factor
//! asks the current password first (answered as the password change does), is audited and
//! mailed to the member.

use chrono::{DateTime, Utc};
use madoguchi_domain::RuleError;
use madoguchi_domain::two_step::{CodeError, RecoveryCode, TotpSecret, TwoStepPolicy, totp};
use madoguchi_domain::user_id::UserId;
use madoguchi_persistence::accounts::AccountView;
use madoguchi_persistence::two_step::devices::{self, Device};
use madoguchi_persistence::two_step::history::{self, Attempt};
use madoguchi_persistence::two_step::passkeys::{self, PasskeySummary};
use madoguchi_persistence::two_step::{self as stored, recovery_codes};
use madoguchi_persistence::{Conn, write_tx};

use super::keys::TwoStepKeys;
use crate::error::AppError;
use crate::lockout::audit;
use crate::mail::{self, templates::FactorChange};
use crate::password::verify_current;
use crate::services::Services;

/// What `GET /me/security` shows.
#[derive(Debug, Clone)]
pub struct Security {
    pub policy: TwoStepPolicy,
    pub totp_enabled: bool,
    pub passkeys: Vec<PasskeySummary>,
    pub recovery_codes_left: usize,
    pub devices: Vec<Device>,
    pub notify_on_login: bool,
}

pub async fn security(
    state: &Services,
    view: &AccountView,
    now: DateTime<Utc>,
) -> Result<Security, AppError> {
    let view = view.clone();
    state
        .db(move |c| {
            let factors = stored::factors(c, &view.account.id, view.account.email_verified)?;
            Ok(Security {
                policy: view.tenant.two_step,
                totp_enabled: factors.totp,
                passkeys: passkeys::list(c, &view.account.id)?,
                recovery_codes_left: factors.recovery_codes_left,
                devices: devices::list(c, &view.account.id, now)?,
                notify_on_login: view.account.notify_on_login,
            })
        })
        .await
}

/// A pending authenticator app: what the member scans or types into the app.
pub struct Enrolment {
    /// Base32, for an app that cannot scan.
    pub secret: String,
    pub otpauth_uri: String,
    /// The URI as a QR code, an SVG made here (no outside service sees the secret).
    pub qr_svg: String,
}

impl std::fmt::Debug for Enrolment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Enrolment(<redacted>)")
    }
}

/// Starts enrolling an app (pending until [`confirm_totp`]); a pending one is replaced.
pub async fn begin_totp(
    state: &Services,
    view: &AccountView,
    current_password: String,
    client: String,
    now: DateTime<Utc>,
) -> Result<Enrolment, AppError> {
    if !view.tenant.two_step.offers_enrolment() {
        return Err(AppError::TwoStepOff);
    }
    verify_current(state, view, current_password, client, now).await?;
    let secret = TotpSecret::generate(&mut rand::rng());
    let sealed = state.keys.seal(&view.account.id, &secret);
    let user_id = view
        .account
        .user_id
        .as_deref()
        .and_then(|u| UserId::parse(u).ok())
        .ok_or(AppError::SessionRevoked)?;
    let otpauth_uri = secret.otpauth_uri(Some(&view.tenant.name), &user_id);
    let qr_svg = qr_svg(&otpauth_uri)?;
    let view = view.clone();
    state
        .db(move |c| {
            write_tx(c, |c| {
                if !stored::totp::begin(c, &view.account.id, &sealed, now)? {
                    return Err(AppError::TotpAlreadyEnabled);
                }
                audit(
                    c,
                    &view,
                    "totp_enrolment_started",
                    serde_json::json!({}),
                    now,
                )
            })
        })
        .await?;
    Ok(Enrolment {
        secret: secret.base32(),
        otpauth_uri,
        qr_svg,
    })
}

fn qr_svg(uri: &str) -> Result<String, AppError> {
    let code = qrcode::QrCode::new(uri.as_bytes())
        .map_err(|e| AppError::Internal(anyhow::anyhow!("QR code: {e}")))?;
    Ok(code
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .build())
}

/// The first right code of the pending app: it becomes active, and the member gets a fresh set
/// of recovery codes (shown once).
pub async fn confirm_totp(
    state: &Services,
    view: &AccountView,
    code: &str,
    now: DateTime<Utc>,
) -> Result<Vec<String>, AppError> {
    let keys = state.keys.clone();
    let domain = state.mail.mail_domain.clone();
    let code = code.to_owned();
    let view = view.clone();
    state
        .db(move |c| {
            write_tx(c, |c| {
                let id = &view.account.id;
                let pending = stored::totp::find(c, id)?.filter(|t| !t.confirmed);
                let Some(pending) = pending else {
                    return Err(AppError::TotpNotPending);
                };
                let secret = keys
                    .open(id, &pending.sealed_secret)
                    .ok_or(AppError::TotpNotPending)?;
                let step = match totp::check(&secret, &code, now, None) {
                    Ok(step) => step,
                    Err(CodeError::Required) => {
                        return Err(AppError::rule("code", RuleError::Required));
                    }
                    Err(CodeError::Format) => {
                        return Err(AppError::rule("code", RuleError::CodeFormat));
                    }
                    Err(_) => {
                        audit(
                            c,
                            &view,
                            "totp_confirmation_failed",
                            serde_json::json!({}),
                            now,
                        )?;
                        return Err(AppError::InvalidCode);
                    }
                };
                if !stored::totp::confirm(c, id, step, now)? {
                    return Err(AppError::TotpNotPending);
                }
                let codes = new_recovery_codes(c, &keys, &view, now)?;
                audit(c, &view, "totp_enabled", serde_json::json!({}), now)?;
                notice(c, &view, FactorChange::TotpAdded, &domain, now)?;
                Ok(codes)
            })
        })
        .await
}

/// Removes the app and its recovery codes.
pub async fn disable_totp(
    state: &Services,
    view: &AccountView,
    current_password: String,
    client: String,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    verify_current(state, view, current_password, client, now).await?;
    let domain = state.mail.mail_domain.clone();
    let view = view.clone();
    state
        .db(move |c| {
            write_tx(c, |c| {
                let id = &view.account.id;
                let had = stored::totp::find(c, id)?.is_some_and(|t| t.confirmed);
                stored::totp::remove(c, id)?;
                recovery_codes::remove_all(c, id)?;
                if had {
                    audit(c, &view, "totp_disabled", serde_json::json!({}), now)?;
                    notice(c, &view, FactorChange::TotpRemoved, &domain, now)?;
                }
                Ok(())
            })
        })
        .await
}

/// A new set of recovery codes; the old ones stop working.
pub async fn renew_recovery_codes(
    state: &Services,
    view: &AccountView,
    current_password: String,
    client: String,
    now: DateTime<Utc>,
) -> Result<Vec<String>, AppError> {
    verify_current(state, view, current_password, client, now).await?;
    let keys = state.keys.clone();
    let domain = state.mail.mail_domain.clone();
    let view = view.clone();
    state
        .db(move |c| {
            write_tx(c, |c| {
                let codes = new_recovery_codes(c, &keys, &view, now)?;
                audit(
                    c,
                    &view,
                    "recovery_codes_renewed",
                    serde_json::json!({}),
                    now,
                )?;
                notice(c, &view, FactorChange::RecoveryCodesRenewed, &domain, now)?;
                Ok(codes)
            })
        })
        .await
}

fn new_recovery_codes(
    conn: &mut Conn,
    keys: &TwoStepKeys,
    view: &AccountView,
    now: DateTime<Utc>,
) -> Result<Vec<String>, AppError> {
    let id = &view.account.id;
    let codes = RecoveryCode::generate_set(&mut rand::rng());
    let hashes: Vec<String> = codes
        .iter()
        .map(|code| keys.code_hash(id, code.expose()))
        .collect();
    recovery_codes::replace(conn, id, &hashes, now)?;
    Ok(codes.iter().map(|c| c.expose().to_owned()).collect())
}

pub(crate) fn notice(
    conn: &mut Conn,
    view: &AccountView,
    change: FactorChange,
    domain: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    if let Some(email) = &view.account.email {
        let message = mail::templates::factor_changed(email, &view.tenant.name, change, now);
        mail::enqueue(conn, &message, &view.tenant, domain, now)?;
    }
    Ok(())
}

/// Forgets one remembered browser of the member.
pub async fn forget_device(
    state: &Services,
    view: &AccountView,
    device_id: String,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let view = view.clone();
    state
        .db(move |c| {
            write_tx(c, |c| {
                if !devices::forget(c, &view.account.id, &device_id)? {
                    return Err(AppError::DeviceNotFound);
                }
                audit(
                    c,
                    &view,
                    "device_forgotten",
                    serde_json::json!({ "device_id": device_id }),
                    now,
                )
            })
        })
        .await
}

/// The last sign-in attempts, newest first.
pub async fn logins(state: &Services, view: &AccountView) -> Result<Vec<Attempt>, AppError> {
    let id = view.account.id.clone();
    state.db(move |c| Ok(history::recent(c, &id)?)).await
}
