//! `GET /api/v1/session`: where a token stands.

use actix_web::{HttpResponse, get, web};
use chrono::{DateTime, FixedOffset};
use madoguchi_app::two_step::sign_in;
use madoguchi_domain::calendar;
use madoguchi_domain::onboarding::Step;
use madoguchi_domain::two_step::Methods;
use serde::Serialize;
use utoipa::ToSchema;

use crate::contact::ContactView;
use crate::error::ApiError;
use crate::error::problem::Problem;
use crate::session::Session;
use crate::state::AppState;

/// Where a session stands, so the SPA can resume after a reload.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"next_step": "register_credentials", "tenant_name": "日本電気健康保険組合",
    "tenant_contact": {"name": "日本電気健康保険組合 業務課", "phone": "03-1234-5678", "hours": "平日 9:00〜17:00", "url": null},
    "expires_at": "2026-11-25T10:30:00+09:00"}))]
pub struct SessionInfo {
    #[schema(value_type = String, example = "register_credentials")]
    pub next_step: madoguchi_domain::onboarding::Step,
    pub tenant_name: String,
    /// The kenpo's help desk, or null when it set none.
    pub tenant_contact: Option<ContactView>,
    pub expires_at: DateTime<FixedOffset>,
    /// At `second_factor`: the methods the step offers (as the login's answer named them).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Vec<String>>, example = json!(["totp", "recovery_code"]))]
    pub second_factor_methods: Option<Methods>,
}

/// The step a valid token (or cookie) stands at.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, body = SessionInfo),
        (status = 403, description = "`credentials_expired`", body = Problem, content_type = "application/problem+json"),
        crate::error::problem::answers::Token,
        crate::error::problem::answers::Locked,
        crate::error::problem::answers::Maintenance,
    )
)]
#[get("/session")]
pub async fn session_info(
    state: web::Data<AppState>,
    session: Session,
) -> Result<HttpResponse, ApiError> {
    let second_factor_methods = match session.step {
        Step::SecondFactor => Some(sign_in::offered_methods(&state, &session.signed_in).await?),
        _ => None,
    };
    let expires_at = DateTime::from_timestamp(session.claims.exp, 0)
        .unwrap_or_default()
        .with_timezone(&calendar::Tokyo)
        .fixed_offset();
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(SessionInfo {
            next_step: session.step,
            tenant_contact: ContactView::of(&session.view.tenant.contact),
            tenant_name: session.signed_in.view.tenant.name,
            expires_at,
            second_factor_methods,
        }))
}
