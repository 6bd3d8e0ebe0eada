//! `GET /api/v1/me/notices/{id}`.

use actix_web::{HttpResponse, get, web};

use super::{NoticeDetail, NoticeSummary};
use crate::client::Now;
use crate::error::ApiError;
use crate::error::problem::Problem;
use crate::session::Member;
use crate::state::AppState;

/// One notice with its body; opening it marks it read. Another kenpo's, a scheduled or a
/// withdrawn notice answers 404 like an unknown one.
#[utoipa::path(
    tag = "member",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = String, Path, description = "The notice's `id` from `/me/notices`.")),
    responses(
        (status = 200, description = "The notice, now read.", body = NoticeDetail),
        (status = 403, description = "`wrong_step`: not a member token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`notice_not_found`", body = Problem, content_type = "application/problem+json"),
        crate::error::problem::answers::Token,
        crate::error::problem::answers::Locked,
        crate::error::problem::answers::Maintenance,
    )
)]
#[get("/me/notices/{id}")]
pub async fn notice(
    state: web::Data<AppState>,
    Now(now): Now,
    member: Member,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    if id.len() > 64 {
        return Err(ApiError::NoticeNotFound);
    }
    let (seen, body) = madoguchi_app::notices::open(&state, &member.view, id, now).await?;
    let s = NoticeSummary::from(seen);
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(NoticeDetail {
            id: s.id,
            title: s.title,
            published_at: s.published_at,
            important: s.important,
            read: s.read,
            body,
        }))
}
