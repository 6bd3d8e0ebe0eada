//! `PUT /api/v1/me/notifications`.

use actix_web::{HttpRequest, HttpResponse, put, web};
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

/// 通知情報更新時のメール通知 and ログイン通知; either may be left out to keep it.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"notify_on_update": false, "notify_on_login": true}))]
pub struct NotificationsRequest {
    #[schema(value_type = Option<bool>)]
    pub notify_on_update: Option<bool>,
    /// A notice e-mail of every sign-in from a browser that is not remembered.
    #[schema(value_type = Option<bool>)]
    pub notify_on_login: Option<bool>,
}

/// Sets 「通知情報更新時のメール通知」 and 「ログイン通知」.
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
    req: HttpRequest,
    state: web::Data<AppState>,
    Now(now): Now,
    member: Member,
    body: ApiJson<NotificationsRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    body.validate()
        .map_err(|e| ApiError::Validation(shape_issues(&e)))?;
    if body.notify_on_update.is_none() && body.notify_on_login.is_none() {
        return Err(ApiError::field(crate::error::FieldIssue::from(
            madoguchi_domain::FieldError {
                field: "notify_on_update",
                error: madoguchi_domain::RuleError::Required,
            },
        )));
    }
    let (on_update, on_login) = (body.notify_on_update, body.notify_on_login);
    let view = member.view.clone();
    state
        .db(move |c| {
            write_tx(c, |c| {
                if let Some(notify) = on_update {
                    accounts::set_notify(c, &view.account.id, notify, now)?;
                }
                if let Some(notify) = on_login {
                    accounts::set_notify_on_login(c, &view.account.id, notify, now)?;
                }
                audit(
                    c,
                    &view,
                    "notifications_changed",
                    serde_json::json!({ "notify_on_update": on_update, "notify_on_login": on_login }),
                    now,
                )
            })
        })
        .await?;
    me_after_change(&state, &req, &member, now).await
}
