//! `PUT /api/v1/me/notifications`.

use actix_web::{HttpResponse, put, web};
use madoguchi_app::lockout::audit;
use madoguchi_persistence::{accounts, write_tx};
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use super::me_after_change;
use crate::client::Now;
use crate::error::ApiError;
use crate::error::problem::Problem;
use crate::json::{ApiJson, shape_issues};
use crate::me::Me;
use crate::session::Member;
use crate::state::AppState;

/// 通知情報更新時のメール通知.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"notify_on_update": false}))]
pub struct NotificationsRequest {
    #[validate(required)]
    #[schema(value_type = bool, required = true)]
    pub notify_on_update: Option<bool>,
}

/// Sets 「通知情報更新時のメール通知」.
#[utoipa::path(
    tag = "member",
    security(("bearer" = []), ("cookie" = [])),
    request_body = NotificationsRequest,
    responses(
        (status = 200, description = "The account after the change.", body = Me),
        (status = 403, description = "`wrong_step`: not a member token; `cross_site_request`: a cookie-only request from another origin", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`", body = Problem, content_type = "application/problem+json"),
        crate::error::problem::answers::Token,
        crate::error::problem::answers::Locked,
        crate::error::problem::answers::JsonBody,
        crate::error::problem::answers::Maintenance,
    )
)]
#[put("/me/notifications")]
pub async fn notifications(
    state: web::Data<AppState>,
    Now(now): Now,
    member: Member,
    body: ApiJson<NotificationsRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    body.validate()
        .map_err(|e| ApiError::Validation(shape_issues(&e)))?;
    let notify = body.notify_on_update.unwrap_or_default();
    let view = member.view.clone();
    state
        .db(move |c| {
            write_tx(c, |c| {
                accounts::set_notify(c, &view.account.id, notify, now)?;
                audit(
                    c,
                    &view,
                    "notifications_changed",
                    serde_json::json!({ "notify_on_update": notify }),
                    now,
                )
            })
        })
        .await?;
    me_after_change(&state, &member, now).await
}
