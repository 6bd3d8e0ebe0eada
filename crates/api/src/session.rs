//! The `Session` extractor: the token (the header wins over the cookie) checked against the
//! account's session version, state, lock and the tenant's nightly closure in the same query
//! that serves the request — no revocation cache (DESIGN §3).

use actix_web::http::StatusCode;
use actix_web::{FromRequest, HttpMessage, HttpRequest, dev::Payload, web};
use chrono::{DateTime, Duration, Utc};
use futures_util::future::LocalBoxFuture;
use madoguchi_domain::calendar;
use madoguchi_domain::onboarding::{AccountState, Step};
use madoguchi_persistence::accounts::{self, AccountView};
use madoguchi_persistence::temporary_credentials::{self, TemporaryCredential};

use crate::context::RenewedCookie;
use crate::error::ApiError;
use crate::state::AppState;
use crate::tokens::{COOKIE, Claims, RENEW_WITHIN_MINUTES};

pub struct Session {
    pub view: AccountView,
    pub claims: Claims,
    pub step: Step,
    /// The temporary credential an onboarding or password-change token stands on.
    pub credential: Option<TemporaryCredential>,
}

impl Session {
    /// For an onboarding route of `step`: another step's token is 409 `wrong_step`, a member's
    /// is 409 `already_registered`.
    pub fn at_step(&self, step: Step) -> Result<(), ApiError> {
        match self.step {
            s if s == step => Ok(()),
            Step::Menu => Err(ApiError::AlreadyRegistered),
            other => Err(ApiError::WrongStep {
                next_step: other,
                status: StatusCode::CONFLICT,
            }),
        }
    }

    /// For a member route: any other token is 403 `wrong_step`.
    pub fn member(&self) -> Result<(), ApiError> {
        match self.step {
            Step::Menu => Ok(()),
            other => Err(ApiError::WrongStep {
                next_step: other,
                status: StatusCode::FORBIDDEN,
            }),
        }
    }

    pub fn login_time(&self) -> DateTime<Utc> {
        DateTime::from_timestamp(self.claims.auth, 0).unwrap_or_default()
    }
}

fn token(req: &HttpRequest) -> Option<String> {
    let header = req
        .headers()
        .get(actix_web::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(|t| t.trim().to_owned());
    header
        .or_else(|| req.cookie(COOKIE).map(|c| c.value().to_owned()))
        .filter(|t| !t.is_empty())
}

/// Seconds until 06:00 JST, when a nightly closure ends.
fn until_six_jst(now: DateTime<Utc>) -> u64 {
    let local = now.with_timezone(&calendar::jst());
    let six = local.date_naive().and_hms_opt(6, 0, 0).unwrap_or_default();
    let secs = (six - local.naive_local()).num_seconds();
    u64::try_from(secs).unwrap_or(1).max(1)
}

impl FromRequest for Session {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let state = req
                .app_data::<web::Data<AppState>>()
                .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("no state")))?
                .clone();
            let token = token(&req).ok_or(ApiError::Unauthenticated)?;
            let now = state.clock.now();
            let claims = state.tokens.verify(&token, now)?;
            let step = claims.step().ok_or(ApiError::Unauthenticated)?;
            let (id, cred) = (claims.sub.clone(), claims.cred.clone());
            let (view, credential) = state
                .read(move |c| {
                    let view = accounts::view(c, &id)?;
                    let credential = match cred {
                        Some(cid) => temporary_credentials::get(c, &cid)?,
                        None => None,
                    };
                    Ok((view, credential))
                })
                .await?;
            let view = view.ok_or(ApiError::SessionRevoked)?;
            let account = &view.account;
            // An onboarding token of an account that has since registered (a second tab, a
            // double submit) is told so, rather than only that it was revoked.
            if matches!(step, Step::VerifyIdentity | Step::RegisterCredentials)
                && account.state == AccountState::Active
            {
                return Err(ApiError::AlreadyRegistered);
            }
            if account.session_version != claims.sv || account.state == AccountState::Suspended {
                return Err(ApiError::SessionRevoked);
            }
            if let Some(until) = account.locked_until.filter(|&t| t > now) {
                return Err(ApiError::AccountLocked {
                    retry_after: u64::try_from((until - now).num_seconds()).unwrap_or(1),
                });
            }
            if view.tenant.nightly_closure && calendar::in_nightly_closure(now) {
                return Err(ApiError::Maintenance {
                    retry_after: until_six_jst(now),
                });
            }
            if step != Step::Menu {
                let credential = credential
                    .as_ref()
                    .filter(|c| c.account_id == account.id && c.retired_at.is_none());
                match credential {
                    None => return Err(ApiError::SessionRevoked),
                    Some(c) if c.expires_at <= now => return Err(ApiError::CredentialsExpired),
                    Some(_) => {}
                }
            }
            let session = Session {
                view,
                claims,
                step,
                credential,
            };
            if step == Step::Menu {
                renew_if_due(&state, &req, &session, now)?;
            }
            Ok(session)
        })
    }
}

/// A member request in the token's last 10 minutes gets a new cookie, never beyond 8 hours
/// after the login.
fn renew_if_due(
    state: &AppState,
    req: &HttpRequest,
    s: &Session,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let expires = DateTime::from_timestamp(s.claims.exp, 0).unwrap_or(now);
    if expires - now > Duration::minutes(RENEW_WITHIN_MINUTES) {
        return Ok(());
    }
    let issued = state.tokens.issue(
        &s.view.account.id,
        Step::Menu,
        s.claims.sv,
        None,
        s.login_time(),
        now,
    )?;
    if issued.claims.exp > s.claims.exp {
        req.extensions_mut()
            .insert(RenewedCookie(state.tokens.cookie(&issued, now)));
    }
    Ok(())
}
