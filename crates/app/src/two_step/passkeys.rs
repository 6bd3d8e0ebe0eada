//! Passkeys (DESIGN §9, ADR 0020): a member adds them from the menu and signs in with one
//! alone, no user ID and no password. `webauthn-rs` runs the ceremonies: discoverable
//! credentials, user verification required, the RP ID the host of `MADOGUCHI_PUBLIC_URL`.
//!
//! Each ceremony is two requests. The first stores the library's state in the database (any
//! server of a deployment can finish what another began) and answers its ID with the options
//! for the browser; the second takes that state (deleted as it is read: used once) and checks
//! the browser's answer against it. A ceremony lives five minutes.
//!
//! A passkey sign-in counts as both factors. A failed one does not count toward the
//! account's lockout (an assertion cannot be guessed), and a locked account may still sign in
//! with its passkey: the lock stops password guessing, not the member who holds the key.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Duration, Utc};
use madoguchi_domain::onboarding::{Event, Flow, Refusal, Step};
use madoguchi_domain::two_step::{Outcome, SignInMethod, passkey};
use madoguchi_persistence::accounts::{self, AccountView};
use madoguchi_persistence::two_step::passkeys::{self as stored, NewPasskey, Purpose};
use madoguchi_persistence::{Conn, write_tx};
use serde_json::Value;
use webauthn_rs::prelude::{
    DiscoverableAuthentication, Passkey, PasskeyRegistration, PublicKeyCredential,
    RegisterPublicKeyCredential, Url, Uuid, Webauthn, WebauthnBuilder,
};

use super::{Client, notify_login, record, sign_in};
use crate::error::AppError;
use crate::lockout::audit;
use crate::mail::templates::FactorChange;
use crate::password::verify_current;
use crate::services::Services;
use crate::signed_in::Opened;
use crate::throttle;

/// How long a ceremony waits for the browser's answer (and what the browser is told).
const CEREMONY_MINUTES: i64 = 5;

/// The deployment's relying party: `None` when its public URL names no domain (an IP
/// address), which browsers refuse as an RP ID; passkeys are then unavailable.
pub struct RelyingParty {
    webauthn: Option<Webauthn>,
}

impl std::fmt::Debug for RelyingParty {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RelyingParty")
            .field("available", &self.webauthn.is_some())
            .finish()
    }
}

impl RelyingParty {
    /// The relying party of `public_url` (its host is the RP ID, its origin the only one
    /// accepted).
    pub fn for_public_url(public_url: &str) -> Self {
        let webauthn = Url::parse(public_url).ok().and_then(|origin| {
            let rp_id = origin.domain()?.to_owned();
            WebauthnBuilder::new(&rp_id, &origin)
                .ok()?
                .rp_name(&rp_id)
                .timeout(std::time::Duration::from_secs(
                    u64::try_from(CEREMONY_MINUTES * 60).unwrap_or(300),
                ))
                .build()
                .ok()
        });
        Self { webauthn }
    }

    /// Whether passkeys can be used here.
    pub fn available(&self) -> bool {
        self.webauthn.is_some()
    }

    fn get(&self) -> Result<&Webauthn, AppError> {
        self.webauthn.as_ref().ok_or(AppError::PasskeysUnavailable)
    }
}

/// A ceremony begun: its ID, and the options the browser's `navigator.credentials` takes
/// (`PublicKeyCredentialCreationOptions` or `…RequestOptions` as JSON, binary as base64url).
#[derive(Debug, Clone)]
pub struct Ceremony {
    pub challenge_id: String,
    pub public_key: Value,
}

/// A registration's stored state: the library's, and the user handle it was made for.
#[derive(serde::Serialize, serde::Deserialize)]
struct Registration {
    user_handle: String,
    state: PasskeyRegistration,
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String, AppError> {
    serde_json::to_string(value).map_err(|e| AppError::Internal(e.into()))
}

fn credential_id(raw: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(raw)
}

/// Starts adding a passkey: the current password first (answered as the password change
/// does), then the creation options. The authenticator is asked for a discoverable
/// credential, so that the sign-in needs no user ID.
pub async fn begin_registration(
    state: &Services,
    view: &AccountView,
    current_password: String,
    client: String,
    now: DateTime<Utc>,
) -> Result<Ceremony, AppError> {
    let webauthn = state.passkeys.get()?;
    if !view.tenant.two_step.offers_enrolment() {
        return Err(AppError::TwoStepOff);
    }
    verify_current(state, view, current_password, client, now).await?;
    let user_id = view
        .account
        .user_id
        .clone()
        .ok_or(AppError::SessionRevoked)?;
    let id = view.account.id.clone();
    let (handle, existing) = state
        .db(move |c| Ok((stored::user_handle(c, &id)?, stored::credentials(c, &id)?)))
        .await?;
    let handle = handle
        .and_then(|h| Uuid::parse_str(&h).ok())
        .unwrap_or_else(Uuid::new_v4);
    let exclude: Vec<_> = existing
        .iter()
        .filter_map(|json| serde_json::from_str::<Passkey>(json).ok())
        .map(|p| p.cred_id().clone())
        .collect();
    let display = format!("{user_id}（{}）", view.tenant.name);
    let (options, registration) = webauthn
        .start_passkey_registration(handle, &user_id, &display, Some(exclude))
        .map_err(|e| AppError::Internal(anyhow::anyhow!("passkey registration options: {e}")))?;
    let mut public_key =
        serde_json::to_value(&options.public_key).map_err(|e| AppError::Internal(e.into()))?;
    // A discoverable credential (a "resident key"): the sign-in then finds the account from
    // the passkey alone. The library's default leaves that to the authenticator.
    if let Some(selection) = public_key
        .get_mut("authenticatorSelection")
        .and_then(Value::as_object_mut)
    {
        selection.insert("residentKey".into(), "required".into());
        selection.insert("requireResidentKey".into(), true.into());
    }
    let state_json = to_json(&Registration {
        user_handle: handle.to_string(),
        state: registration,
    })?;
    let view = view.clone();
    let challenge_id = state
        .db(move |c| {
            write_tx(c, |c| {
                let id = stored::begin_ceremony(
                    c,
                    Purpose::Registration,
                    Some(&view.account.id),
                    &state_json,
                    now + Duration::minutes(CEREMONY_MINUTES),
                )?;
                audit(
                    c,
                    &view,
                    "passkey_registration_started",
                    serde_json::json!({}),
                    now,
                )?;
                Ok(id)
            })
        })
        .await?;
    Ok(Ceremony {
        challenge_id,
        public_key,
    })
}

/// What the member sends back to add the passkey.
pub struct NewPasskeyInput {
    pub challenge_id: String,
    /// What the member calls it; the browser's label when empty.
    pub name: String,
    /// The browser's `PublicKeyCredential` as JSON (`toJSON()`).
    pub credential: Value,
    pub browser: String,
}

/// A passkey added: its ID and name.
#[derive(Debug, Clone)]
pub struct Added {
    pub id: String,
    pub name: String,
}

/// Finishes adding a passkey begun by [`begin_registration`] for the same member.
pub async fn finish_registration(
    state: &Services,
    view: &AccountView,
    input: NewPasskeyInput,
    now: DateTime<Utc>,
) -> Result<Added, AppError> {
    let webauthn = state.passkeys.get()?;
    // The name first: a typo in it must not use up the ceremony.
    let name = passkey::name(&input.name, &input.browser).map_err(|e| AppError::rule("name", e))?;
    let credential: RegisterPublicKeyCredential =
        serde_json::from_value(input.credential).map_err(|_| AppError::PasskeyRejected)?;
    let (id, challenge) = (view.account.id.clone(), input.challenge_id);
    let ceremony = state
        .db(move |c| {
            write_tx(c, |c| {
                Ok(stored::take_ceremony(
                    c,
                    &challenge,
                    Purpose::Registration,
                    now,
                )?)
            })
        })
        .await?
        .filter(|t| t.account_id.as_deref() == Some(id.as_str()))
        .ok_or(AppError::PasskeyRejected)?;
    let Registration {
        user_handle,
        state: registration,
    } = serde_json::from_str(&ceremony.state).map_err(|e| AppError::Internal(e.into()))?;
    let verified = webauthn.finish_passkey_registration(&credential, &registration);
    let view = view.clone();
    let domain = state.mail.mail_domain.clone();
    state
        .db(move |c| {
            write_tx(c, |c| {
                let Ok(new) = verified else {
                    audit(
                        c,
                        &view,
                        "passkey_registration_failed",
                        serde_json::json!({}),
                        now,
                    )?;
                    return Err(AppError::PasskeyRejected);
                };
                let cred_id = credential_id(new.cred_id());
                if stored::by_credential_id(c, &cred_id)?.is_some() {
                    return Err(AppError::PasskeyRejected);
                }
                let id = stored::add(
                    c,
                    &NewPasskey {
                        account_id: &view.account.id,
                        user_handle: &user_handle,
                        credential_id: &cred_id,
                        credential: &to_json(&new)?,
                        sign_count: 0,
                        name: &name,
                    },
                    now,
                )?;
                audit(
                    c,
                    &view,
                    "passkey_added",
                    serde_json::json!({ "passkey_id": id, "name": name }),
                    now,
                )?;
                super::manage::notice(c, &view, FactorChange::PasskeyAdded, &domain, now)?;
                Ok(Added { id, name })
            })
        })
        .await
}

/// Removes one of the member's passkeys.
pub async fn remove(
    state: &Services,
    view: &AccountView,
    passkey_id: String,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let view = view.clone();
    let domain = state.mail.mail_domain.clone();
    state
        .db(move |c| {
            write_tx(c, |c| {
                let Some(name) = stored::remove(c, &view.account.id, &passkey_id)? else {
                    return Err(AppError::PasskeyNotFound);
                };
                audit(
                    c,
                    &view,
                    "passkey_removed",
                    serde_json::json!({ "passkey_id": passkey_id, "name": name }),
                    now,
                )?;
                super::manage::notice(c, &view, FactorChange::PasskeyRemoved, &domain, now)
            })
        })
        .await
}

/// Starts a passkey sign-in: anybody may, nothing names an account.
pub async fn begin_sign_in(
    state: &Services,
    client: String,
    now: DateTime<Utc>,
) -> Result<Ceremony, AppError> {
    let webauthn = state.passkeys.get()?;
    let (mut options, authentication) = webauthn
        .start_discoverable_authentication()
        .map_err(|e| AppError::Internal(anyhow::anyhow!("passkey sign-in options: {e}")))?;
    // A button asks the browser at once; the library's default waits for the autofill.
    options.mediation = None;
    let public_key =
        serde_json::to_value(&options.public_key).map_err(|e| AppError::Internal(e.into()))?;
    let state_json = to_json(&authentication)?;
    let challenge_id = state
        .db(move |c| {
            write_tx(c, |c| {
                throttle::reserve(c, &throttle::PASSKEY_CEREMONIES, &client, now)?;
                Ok(stored::begin_ceremony(
                    c,
                    Purpose::SignIn,
                    None,
                    &state_json,
                    now + Duration::minutes(CEREMONY_MINUTES),
                )?)
            })
        })
        .await?;
    Ok(Ceremony {
        challenge_id,
        public_key,
    })
}

/// What the browser sends back to sign in.
pub struct SignInInput {
    pub challenge_id: String,
    /// The browser's `PublicKeyCredential` as JSON (`toJSON()`).
    pub credential: Value,
    /// The `madoguchi_device` cookie of a remembered browser (no login notice then).
    pub device: Option<String>,
}

/// Signs a member in with a passkey: the menu, or why not (one answer, 401
/// `invalid_credentials`, for every ceremony or assertion that does not verify).
pub async fn sign_in(
    state: &Services,
    input: SignInInput,
    client: Client,
    now: DateTime<Utc>,
) -> Result<Opened, AppError> {
    let done = attempt(state, input, client, now).await;
    crate::metrics::second_factor(
        "passkey",
        match &done {
            Ok(_) => "success",
            Err(AppError::InvalidCredentials) => "rejected",
            Err(AppError::TooManyAttempts { .. }) => "throttled",
            Err(AppError::AccountSuspended) => "refused",
            Err(_) => "error",
        },
    );
    done
}

async fn attempt(
    state: &Services,
    input: SignInInput,
    client: Client,
    now: DateTime<Utc>,
) -> Result<Opened, AppError> {
    let webauthn = state.passkeys.get()?;
    let credential: Option<PublicKeyCredential> = serde_json::from_value(input.credential).ok();
    let identified = credential.as_ref().and_then(|cred| {
        let (handle, raw_id) = webauthn.identify_discoverable_authentication(cred).ok()?;
        Some((handle.to_string(), credential_id(raw_id)))
    });
    let (address, challenge) = (client.address.clone(), input.challenge_id);
    // The address's try is reserved before anything is checked, the ceremony taken (used
    // once whatever follows), and the passkey found with its account.
    let found = state
        .db(move |c| {
            write_tx(c, |c| {
                throttle::reserve(c, &throttle::FAILURES, &address, now)?;
                let ceremony = stored::take_ceremony(c, &challenge, Purpose::SignIn, now)?;
                let Some((handle, cred_id)) = identified else {
                    return Ok(None);
                };
                let passkey =
                    stored::by_credential_id(c, &cred_id)?.filter(|p| p.user_handle == handle);
                Ok(match (ceremony, passkey) {
                    (Some(ceremony), Some(passkey)) => accounts::view(c, &passkey.account_id)?
                        .map(|view| (ceremony.state, passkey, view)),
                    _ => None,
                })
            })
        })
        .await?;
    let (Some(credential), Some((ceremony, stored_passkey, view))) = (credential, found) else {
        return Err(AppError::InvalidCredentials);
    };
    let verified = serde_json::from_str::<DiscoverableAuthentication>(&ceremony)
        .ok()
        .zip(serde_json::from_str::<Passkey>(&stored_passkey.credential).ok())
        .and_then(|(authentication, mut passkey)| {
            let result = webauthn
                .finish_discoverable_authentication_v2(&credential, authentication, &passkey)
                .ok()?;
            passkey.update_credential(&result);
            Some((passkey, result.counter()))
        });
    let domain = state.mail.mail_domain.clone();
    let device = input.device;
    state
        .db(move |c| {
            write_tx(c, |c| {
                finish_sign_in(
                    c,
                    &view,
                    &stored_passkey.id,
                    verified,
                    &client,
                    device,
                    &domain,
                    now,
                )
            })
        })
        .await?
}

#[allow(clippy::too_many_arguments)]
fn finish_sign_in(
    c: &mut Conn,
    view: &AccountView,
    passkey_id: &str,
    verified: Option<(Passkey, u32)>,
    client: &Client,
    device: Option<String>,
    domain: &str,
    now: DateTime<Utc>,
) -> Result<Result<Opened, AppError>, AppError> {
    let account = &view.account;
    let Some((passkey, counter)) = verified else {
        record(
            c,
            view,
            client,
            Outcome::WrongCode,
            SignInMethod::Passkey,
            now,
        )?;
        audit(
            c,
            view,
            "passkey_sign_in_failed",
            serde_json::json!({ "passkey_id": passkey_id }),
            now,
        )?;
        return Ok(Err(AppError::InvalidCredentials));
    };
    let flow =
        Flow::new(account.state, account.user_id.is_some(), None).next(Event::PasskeyLogin, now);
    let step = match flow {
        Ok(f) => f.step.unwrap_or(Step::Menu),
        Err(Refusal::Suspended) => {
            throttle::give_back(c, &throttle::FAILURES, &client.address, now)?;
            audit(
                c,
                view,
                "login_refused",
                serde_json::json!({ "method": "passkey" }),
                now,
            )?;
            return Ok(Err(AppError::AccountSuspended));
        }
        Err(_) => return Ok(Err(AppError::InvalidCredentials)),
    };
    throttle::give_back(c, &throttle::FAILURES, &client.address, now)?;
    stored::used(c, passkey_id, &to_json(&passkey)?, counter, now)?;
    accounts::record_login(c, &account.id, now)?;
    record(
        c,
        view,
        client,
        Outcome::Success,
        SignInMethod::Passkey,
        now,
    )?;
    if !sign_in::remembered(c, view, device.as_deref(), now)? {
        notify_login(c, view, client, domain, now)?;
    }
    audit(
        c,
        view,
        "login_succeeded",
        serde_json::json!({ "method": "passkey", "passkey_id": passkey_id, "next_step": step.as_str() }),
        now,
    )?;
    Ok(Ok(Opened {
        account_id: account.id.clone(),
        step,
        session_version: account.session_version,
        credential_id: None,
        login_time: now,
        tenant_name: view.tenant.name.clone(),
    }))
}
