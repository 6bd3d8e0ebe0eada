//! Maintenance (DESIGN §3): the monthly windows come from the calendar, ad-hoc ones from the
//! database, re-read at least every 5 seconds so an operator's `maintenance add` closes every
//! server at once. During a window every `/api/` route but health, maintenance and the API
//! documents answers 503 `maintenance` with `Retry-After`; the SPA's files stay served.

use std::sync::RwLock;
use std::time::{Duration as StdDuration, Instant};

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{Error, HttpResponse, get, web};
use chrono::{DateTime, Duration, FixedOffset, Utc};
use madoguchi_domain::calendar::{self, MaintenanceWindow};
use serde::Serialize;
use utoipa::ToSchema;

use crate::client::Now;
use crate::error::ApiError;
use crate::state::AppState;

const REFRESH: StdDuration = StdDuration::from_secs(5);

#[derive(Default)]
pub struct MaintenanceCache {
    loaded: RwLock<Option<Loaded>>,
}

struct Loaded {
    at: Instant,
    windows: Vec<MaintenanceWindow>,
    /// An interval `[from, until)` known to lie outside every window, monthly or ad-hoc, of
    /// this load: the guard's answer for most requests without working out the calendar.
    open: Option<(DateTime<Utc>, DateTime<Utc>)>,
}

impl Loaded {
    fn fresh(&self) -> bool {
        self.at.elapsed() < REFRESH
    }
}

impl MaintenanceCache {
    /// The ad-hoc windows that have not ended, at most 5 seconds old.
    pub async fn ad_hoc(&self, state: &AppState) -> Result<Vec<MaintenanceWindow>, ApiError> {
        Ok(self.load(state).await?.1)
    }

    /// The windows and the instant of their load (the key under which `open` is stored).
    async fn load(&self, state: &AppState) -> Result<(Instant, Vec<MaintenanceWindow>), ApiError> {
        if let Ok(guard) = self.loaded.read()
            && let Some(loaded) = guard.as_ref().filter(|l| l.fresh())
        {
            return Ok((loaded.at, loaded.windows.clone()));
        }
        // A window that ended more than a day ago can no longer matter to `now`.
        let from = state.clock.now() - Duration::days(1);
        let stored = state
            .read(move |c| Ok(madoguchi_persistence::maintenance::list(c, Some(from))?))
            .await?;
        let windows: Vec<MaintenanceWindow> = stored
            .into_iter()
            .filter_map(|w| MaintenanceWindow::new(w.starts_at, w.ends_at).ok())
            .collect();
        let at = Instant::now();
        if let Ok(mut guard) = self.loaded.write() {
            *guard = Some(Loaded {
                at,
                windows: windows.clone(),
                open: None,
            });
        }
        Ok((at, windows))
    }

    /// When the portal opens again if a window is in force at `now`; `None` when it is open.
    pub async fn reopens_at(
        &self,
        state: &AppState,
        now: DateTime<Utc>,
    ) -> Result<Option<DateTime<FixedOffset>>, ApiError> {
        if let Ok(guard) = self.loaded.read()
            && let Some(loaded) = guard.as_ref().filter(|l| l.fresh())
            && loaded
                .open
                .is_some_and(|(from, until)| from <= now && now < until)
        {
            return Ok(None);
        }
        let (at, windows) = self.load(state).await?;
        let reopens = calendar::reopens_at(now, &windows);
        if reopens.is_none() {
            // Open now, so open until the next window starts (it starts strictly later).
            let until = calendar::next_window(now, &windows).starts_at.to_utc();
            if let Ok(mut guard) = self.loaded.write()
                && let Some(loaded) = guard.as_mut().filter(|l| l.at == at)
            {
                loaded.open = Some((now, until));
            }
        }
        Ok(reopens)
    }
}

fn exempt(path: &str) -> bool {
    !path.starts_with("/api/")
        || path == "/api/v1/health"
        || path == "/api/v1/health/live"
        || path == "/api/v1/maintenance"
        || path == "/api/openapi.json"
        || path.starts_with("/api/docs")
}

/// Closes the API during a window.
pub async fn guard(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    if !exempt(req.path())
        && let Some(state) = req.app_data::<web::Data<AppState>>().cloned()
    {
        // The request's one `now`, which its handler then reads too.
        let now = crate::client::now(req.request(), &state);
        match state.maintenance.reopens_at(&state, now).await {
            Ok(Some(reopens)) => {
                let retry_after =
                    u64::try_from((reopens.to_utc() - now).num_seconds()).unwrap_or(1);
                return Ok(req.error_response(ApiError::Maintenance { retry_after }));
            }
            Ok(None) => {}
            // The windows cannot be read (the database is away): answered as problem+json.
            Err(e) => return Ok(req.error_response(e)),
        }
    }
    Ok(next.call(req).await?.map_into_boxed_body())
}

/// A maintenance window.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"starts_at": "2026-12-25T21:00:00+09:00", "ends_at": "2026-12-26T00:00:00+09:00"}))]
pub struct Window {
    pub starts_at: DateTime<chrono::FixedOffset>,
    pub ends_at: DateTime<chrono::FixedOffset>,
}

impl From<MaintenanceWindow> for Window {
    fn from(w: MaintenanceWindow) -> Self {
        Self {
            starts_at: w.starts_at,
            ends_at: w.ends_at,
        }
    }
}

/// Whether the portal is closed now, and the next window.
#[derive(Debug, Serialize, ToSchema)]
pub struct MaintenanceStatus {
    pub active: bool,
    /// The window in force, if any.
    pub current: Option<Window>,
    /// The next window that starts after now.
    pub next: Window,
}

/// The maintenance windows in force and next (also answers during maintenance).
#[utoipa::path(
    tag = "status",
    responses(
        (status = 200, body = MaintenanceStatus),
        (status = 500, description = "`internal_error`", body = crate::error::problem::Problem, content_type = "application/problem+json")
    )
)]
#[get("/maintenance")]
pub async fn status(state: web::Data<AppState>, Now(now): Now) -> Result<HttpResponse, ApiError> {
    let ad_hoc = state.maintenance.ad_hoc(&state).await?;
    let current = calendar::active_window(now, &ad_hoc);
    Ok(HttpResponse::Ok().json(MaintenanceStatus {
        active: current.is_some(),
        current: current.map(Window::from),
        next: calendar::next_window(now, &ad_hoc).into(),
    }))
}

#[cfg(test)]
mod tests {
    #[test]
    fn health_maintenance_docs_and_the_spa_stay_open() {
        for open in [
            "/api/v1/health",
            "/api/v1/health/live",
            "/api/v1/maintenance",
            "/api/openapi.json",
            "/api/docs/",
            "/",
            "/login",
            "/assets/x.js",
        ] {
            assert!(super::exempt(open), "{open}");
        }
        for closed in ["/api/v1/auth/login", "/api/v1/me", "/api/v1/terms"] {
            assert!(!super::exempt(closed), "{closed}");
        }
    }
}
