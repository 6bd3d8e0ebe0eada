//! `GET /api/v1/me/security`.

use actix_web::{HttpResponse, get, web};
use chrono::{DateTime, FixedOffset};
use madoguchi_app::two_step::manage;
use madoguchi_domain::calendar;
use serde::Serialize;
use utoipa::ToSchema;

use crate::client::Now;
use crate::error::ApiError;
use crate::error::problem::Problem;
use crate::session::Member;
use crate::state::AppState;

/// A remembered browser.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeviceView {
    pub id: String,
    pub browser: String,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: DateTime<FixedOffset>,
    #[schema(value_type = String, format = DateTime)]
    pub last_used_at: DateTime<FixedOffset>,
}

/// A passkey of the member.
#[derive(Debug, Serialize, ToSchema)]
pub struct PasskeyView {
    pub id: String,
    pub name: String,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: DateTime<FixedOffset>,
    /// The last sign-in with it; `null` before the first.
    #[schema(value_type = Option<String>, format = DateTime)]
    pub last_used_at: Option<DateTime<FixedOffset>>,
}

/// The member's two-step login settings.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"two_step_policy": "optional", "totp_enabled": true, "passkeys": [],
    "recovery_codes_left": 9, "remembered_devices": [], "notify_on_login": true}))]
pub struct SecurityView {
    /// The kenpo's policy: `off`, `optional` or `required`.
    #[schema(value_type = String, example = "optional")]
    pub two_step_policy: madoguchi_domain::two_step::TwoStepPolicy,
    pub totp_enabled: bool,
    /// Passkeys, oldest first.
    pub passkeys: Vec<PasskeyView>,
    pub recovery_codes_left: usize,
    pub remembered_devices: Vec<DeviceView>,
    pub notify_on_login: bool,
}

/// セキュリティ設定: the authenticator app, passkeys, recovery codes, remembered browsers and login notices.
#[utoipa::path(
    tag = "member",
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "The settings.", body = SecurityView),
        (status = 403, description = "`wrong_step`: not a member token", body = Problem, content_type = "application/problem+json"),
        crate::error::problem::answers::Token,
        crate::error::problem::answers::Locked,
        crate::error::problem::answers::Maintenance,
    )
)]
#[get("/me/security")]
pub async fn security(
    state: web::Data<AppState>,
    Now(now): Now,
    member: Member,
) -> Result<HttpResponse, ApiError> {
    let s = manage::security(&state, &member.view, now).await?;
    let jst = |t: chrono::DateTime<chrono::Utc>| t.with_timezone(&calendar::Tokyo).fixed_offset();
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(SecurityView {
            two_step_policy: s.policy,
            totp_enabled: s.totp_enabled,
            passkeys: s
                .passkeys
                .into_iter()
                .map(|p| PasskeyView {
                    id: p.id,
                    name: p.name,
                    created_at: jst(p.created_at),
                    last_used_at: p.last_used_at.map(jst),
                })
                .collect(),
            recovery_codes_left: s.recovery_codes_left,
            remembered_devices: s
                .devices
                .into_iter()
                .map(|d| DeviceView {
                    id: d.id,
                    browser: d.browser,
                    created_at: jst(d.created_at),
                    last_used_at: jst(d.last_used_at),
                })
                .collect(),
            notify_on_login: s.notify_on_login,
        }))
}
