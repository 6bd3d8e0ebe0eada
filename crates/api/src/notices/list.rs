//! `GET /api/v1/me/notices`.

use actix_web::{HttpResponse, get, web};

use super::NoticeSummary;
use crate::client::Now;
use crate::error::ApiError;
use crate::error::problem::Problem;
use crate::session::Member;
use crate::state::AppState;

/// お知らせ: the published notices of the member's kenpo, newest first, with read marks.
#[utoipa::path(
    tag = "member",
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, description = "The notices, newest first.", body = Vec<NoticeSummary>),
        (status = 403, description = "`wrong_step`: not a member token", body = Problem, content_type = "application/problem+json"),
        crate::error::problem::answers::Token,
        crate::error::problem::answers::Locked,
        crate::error::problem::answers::Maintenance,
    )
)]
#[get("/me/notices")]
pub async fn notices(
    state: web::Data<AppState>,
    Now(now): Now,
    member: Member,
) -> Result<HttpResponse, ApiError> {
    let seen = madoguchi_app::notices::list(&state, &member.view, now).await?;
    let body: Vec<NoticeSummary> = seen.into_iter().map(NoticeSummary::from).collect();
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(body))
}
