//! The `Session` and `Member` extractors: the token (the header wins over the cookie), read
//! with its account in one query, and admitted or turned away by the domain's one rule
//! (`domain::session::admit`: session version, suspension, lock, the tenant's nightly closure,
//! an onboarding token's credential) — no revocation cache (DESIGN §3).

use std::ops::Deref;

use actix_web::http::{Method, StatusCode, header};
use actix_web::{FromRequest, HttpMessage, HttpRequest, dev::Payload, web};
use chrono::{DateTime, Duration, Utc};
use futures_util::future::LocalBoxFuture;
use madoguchi_app::{SignedIn, lockout};
use madoguchi_domain::onboarding::Step;
use madoguchi_domain::session::{self, Presented, TokenCredential, Turned};
use madoguchi_persistence::reads::{self, Menu, SessionReads, SessionRows};

use crate::context::RenewedCookie;
use crate::error::ApiError;
use crate::state::AppState;
use crate::tokens::{COOKIE, Claims, RENEW_WITHIN_MINUTES};

/// A signed-in member at any step (onboarding routes, logout, the session's own info). The
/// route's use case asks the state machine whether the step may act.
pub struct Session {
    pub signed_in: SignedIn,
    pub claims: Claims,
}

impl Deref for Session {
    type Target = SignedIn;

    fn deref(&self) -> &SignedIn {
        &self.signed_in
    }
}

/// A member at the menu: every other token is 403 `wrong_step` (member routes).
pub struct Member(pub Session);

impl Deref for Member {
    type Target = Session;

    fn deref(&self) -> &Session {
        &self.0
    }
}

impl FromRequest for Member {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        at_step(req, payload, Step::Menu, StatusCode::FORBIDDEN, Member)
    }
}

/// The request's session when its token is at `step`; a token at any other step is
/// `wrong_step` with `status`, naming the token's own step.
fn at_step<T: 'static>(
    req: &HttpRequest,
    payload: &mut Payload,
    step: Step,
    status: StatusCode,
    wrap: fn(Session) -> T,
) -> LocalBoxFuture<'static, Result<T, ApiError>> {
    let session = Session::from_request(req, payload);
    Box::pin(async move { at(session.await?, step, status).map(wrap) })
}

/// `session` when its token is at `step`, else `wrong_step` with `status`.
fn at(session: Session, step: Step, status: StatusCode) -> Result<Session, ApiError> {
    if session.step == step {
        Ok(session)
    } else {
        Err(ApiError::WrongStep {
            next_step: session.step,
            status,
        })
    }
}

/// A member at the menu, with the [`Menu`] of their own page read together with the session
/// (`GET /me`: one read instead of two).
pub struct MemberMenu(pub Session, pub Menu);

impl FromRequest for MemberMenu {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let (session, menu) = admitted(&req, true).await?;
            let session = at(session, Step::Menu, StatusCode::FORBIDDEN)?;
            let menu = menu.ok_or_else(|| ApiError::Internal(anyhow::anyhow!("no menu read")))?;
            Ok(MemberMenu(session, menu))
        })
    }
}

/// A signed-in member at the second-factor step: every other token is 409 `wrong_step`
/// naming its own step (the second-factor routes are sign-in routes, like onboarding's).
pub struct SecondFactorStep(pub Session);

impl FromRequest for SecondFactorStep {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        at_step(
            req,
            payload,
            Step::SecondFactor,
            StatusCode::CONFLICT,
            SecondFactorStep,
        )
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

impl FromRequest for Session {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { Ok(admitted(&req, false).await?.0) })
    }
}

/// The request's token, read with its account (and with `menu` the [`Menu`]) and admitted or
/// turned away.
async fn admitted(req: &HttpRequest, menu: bool) -> Result<(Session, Option<Menu>), ApiError> {
    let state = req
        .app_data::<web::Data<AppState>>()
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("no state")))?
        .clone();
    let (token, cookie_only) = token(req).ok_or(ApiError::Unauthenticated)?;
    if cookie_only
        && changes_state(req.method())
        && !from_own_origin(req, &state.config.public_origin())
    {
        return Err(ApiError::CrossSiteRequest);
    }
    let now = crate::client::now(req, &state);
    let claims = state.tokens.verify(&token, now)?;
    let step = claims.step().ok_or(ApiError::Unauthenticated)?;
    let menu = (menu && step == Step::Menu).then_some(now);
    let ((view, credential), menu) = read(&state, req, &claims, menu).await?;
    let view = view.ok_or(ApiError::SessionRevoked)?;
    let account = &view.account;
    let presented = Presented {
        step,
        token_version: claims.sv,
        account_version: account.session_version,
        state: account.state,
        locked_until: account.locked_until,
        policy: lockout::policy(&view),
        nightly_closure: view.tenant.nightly_closure,
        credential: credential.as_ref().map(|c| TokenCredential {
            belongs: c.account_id == account.id,
            retired: c.retired_at.is_some(),
            expires_at: c.expires_at,
        }),
        names_credential: claims.cred.is_some(),
    };
    match session::admit(&presented, now) {
        Ok(()) => {}
        Err(Turned::AlreadyRegistered) => return Err(ApiError::AlreadyRegistered),
        Err(Turned::Revoked) => return Err(ApiError::SessionRevoked),
        Err(Turned::CredentialsExpired) => return Err(ApiError::CredentialsExpired),
        Err(Turned::Closed { until }) => {
            let seconds = (until - now).num_seconds();
            return Err(ApiError::Maintenance {
                retry_after: u64::try_from(seconds).unwrap_or(1).max(1),
            });
        }
        Err(Turned::Locked { until }) => {
            let locked = lockout::locked(&view, until, now);
            return Err(locked.with_contact(&view.tenant.contact).into());
        }
    }
    let session = Session {
        signed_in: SignedIn {
            login_time: DateTime::from_timestamp(claims.auth, 0).unwrap_or_default(),
            view,
            step,
            session_version: claims.sv,
            credential: credential.filter(|_| step != Step::Menu),
        },
        claims,
    };
    if step == Step::Menu {
        renew_if_due(&state, req, &session, now)?;
    }
    Ok((session, menu))
}

/// This worker's asynchronous connections for the session read, where the database has them
/// (`Services::session_reads`).
pub struct WorkerReads(pub Option<SessionReads>);

/// This worker's asynchronous connections, where the database has them and they serve.
pub fn worker_reads(req: &HttpRequest) -> Option<&SessionReads> {
    req.app_data::<web::Data<WorkerReads>>()
        .and_then(|reads| reads.0.as_ref())
        .filter(|reads| reads.serves())
}

/// The token's account and the temporary credential it names, and with `menu` (the time) the
/// [`Menu`]: on the worker's own connections where they serve, else as any short read.
async fn read(
    state: &AppState,
    req: &HttpRequest,
    claims: &Claims,
    menu: Option<DateTime<Utc>>,
) -> Result<(SessionRows, Option<Menu>), ApiError> {
    let (id, cred) = (claims.sub.clone(), claims.cred.clone());
    if let Some(reads) = worker_reads(req)
        && let Some(read) = state
            .read_async(reads.session(&id, cred.as_deref(), menu))
            .await?
    {
        return Ok(read);
    }
    Ok(state
        .read(move |c| Ok(reads::session(c, &id, cred.as_deref(), menu)?))
        .await?)
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
        s.login_time,
        now,
    )?;
    if issued.claims.exp > s.claims.exp {
        req.extensions_mut()
            .insert(RenewedCookie(state.tokens.cookie(&issued, now)));
    }
    Ok(())
}
