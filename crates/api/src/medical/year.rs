//! `GET /api/v1/me/medical-expenses`.

use actix_web::{HttpRequest, HttpResponse, get, web};

use super::{MedicalExpenses, YearQuery};
use crate::client::Now;
use crate::error::ApiError;
use crate::error::problem::Problem;
use crate::session::{Member, worker_reads};
use crate::state::AppState;

/// 医療費のお知らせ: the household's care of one year, with totals per person. Only the
/// account of the insured person whose household it is reads it.
#[utoipa::path(
    tag = "member",
    security(("bearer" = []), ("cookie" = [])),
    params(YearQuery),
    responses(
        (status = 200, description = "The year (no rows when nothing is posted for it).", body = MedicalExpenses),
        (status = 403, description = "`wrong_step`: not a member token", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: `year` is not a year", body = Problem, content_type = "application/problem+json"),
        crate::error::problem::answers::Token,
        crate::error::problem::answers::Locked,
        crate::error::problem::answers::Maintenance,
    )
)]
#[get("/me/medical-expenses")]
pub async fn medical_expenses(
    req: HttpRequest,
    state: web::Data<AppState>,
    Now(now): Now,
    member: Member,
    query: web::Query<YearQuery>,
) -> Result<HttpResponse, ApiError> {
    let year = query.year()?;
    let (statement, years) =
        madoguchi_app::medical::statement(&state, worker_reads(&req), &member.view, year, now)
            .await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(MedicalExpenses::of(&statement, years)))
}
