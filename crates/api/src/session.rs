//! The `Session` extractor: the token (the header wins over the cookie) checked against the
//! account's session version, state, lock and the tenant's nightly closure in the same query
//! that serves the request — no revocation cache (DESIGN §3).

use actix_web::http::{Method, StatusCode, header};
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

/// The token of the request, and whether it came from the cookie alone.
fn token(req: &HttpRequest) -> Option<(String, bool)> {
    let header = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(|t| t.trim().to_owned());
    match header {
        Some(t) => Some((t, false)),
        None => req.cookie(COOKIE).map(|c| (c.value().to_owned(), true)),
    }
    .filter(|(t, _)| !t.is_empty())
}

/// Whether a request that changes something may be authenticated by the cookie alone: it must
/// come from the portal's own pages (DESIGN §3). The browser's `Origin` names the public URL's
/// origin or the very host the request was sent to; without `Origin`, `Sec-Fetch-Site` must
/// say `same-origin`. SameSite=Strict already keeps the cookie from other sites; this also
/// refuses other origins of the same site (another subdomain) and clients without either header.
fn from_own_origin(req: &HttpRequest, public_origin: &str) -> bool {
    let headers = req.headers();
    if let Some(origin) = headers.get(header::ORIGIN) {
        let origin = origin.to_str().unwrap_or("");
        let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
        let own_host = origin
            .strip_prefix("https://")
            .or_else(|| origin.strip_prefix("http://"))
            .is_some_and(|o| Some(o) == host);
        return origin == public_origin || own_host;
    }
    headers
        .get("sec-fetch-site")
        .is_some_and(|v| v.as_bytes() == b"same-origin")
}

fn changes_state(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
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
            let (token, cookie_only) = token(&req).ok_or(ApiError::Unauthenticated)?;
            if cookie_only
                && changes_state(req.method())
                && !from_own_origin(&req, &state.config.public_origin())
            {
                return Err(ApiError::CrossSiteRequest);
            }
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
            if let Some(until) = account.locked_until
                && crate::flows::lockout::policy(&view).is_locked(Some(until), now)
            {
                return Err(crate::flows::lockout::locked(&view, until, now)
                    .with_contact(&view.tenant.contact));
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
