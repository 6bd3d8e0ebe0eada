//! `GET /api/v1/me/medical-expenses/export`.

use actix_web::http::header::{ContentDisposition, DispositionParam, DispositionType};
use actix_web::{HttpRequest, HttpResponse, get, web};
use madoguchi_app::medical_export;
use madoguchi_domain::FieldCode;
use serde::Deserialize;
use utoipa::IntoParams;

use super::YearQuery;
use crate::client::Now;
use crate::error::problem::Problem;
use crate::error::{ApiError, FieldIssue};
use crate::session::{Member, worker_reads};
use crate::state::AppState;

/// `?year=YYYY&format=xlsx|csv`.
#[derive(Debug, Deserialize, IntoParams)]
pub struct ExportQuery {
    /// The year of the service months; without it, the latest year with data.
    #[param(example = 2026)]
    pub year: Option<String>,
    /// `xlsx` (the National Tax Agency's 医療費集計フォーム, read by e-Tax's
    /// 確定申告書等作成コーナー) or `csv` (UTF-8 with a BOM).
    #[param(example = "xlsx")]
    pub format: Option<String>,
}

/// The household's year for the tax return's 医療費控除: the six items the National Tax
/// Agency requires of a 医療費通知, names and amounts as the kenpo imported them.
#[utoipa::path(
    tag = "member",
    security(("bearer" = []), ("cookie" = [])),
    params(ExportQuery),
    responses(
        (status = 200, description = "The file, as an attachment.", content(
            (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            (String = "text/csv; charset=utf-8"),
        )),
        (status = 403, description = "`wrong_step`: not a member token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`no_medical_expenses`: nothing is posted for the year", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: `year` is not a year, or `format` is neither `xlsx` nor `csv`", body = Problem, content_type = "application/problem+json"),
        crate::error::problem::answers::Token,
        crate::error::problem::answers::Locked,
        crate::error::problem::answers::Maintenance,
    )
)]
#[get("/me/medical-expenses/export")]
pub async fn export_medical_expenses(
    req: HttpRequest,
    state: web::Data<AppState>,
    Now(now): Now,
    member: Member,
    query: web::Query<ExportQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let format = madoguchi_domain::normalize::normalize(query.format.as_deref().unwrap_or(""))
        .to_ascii_lowercase();
    let xlsx = match format.as_str() {
        "xlsx" | "" => Some(true),
        "csv" => Some(false),
        _ => None,
    };
    // Both parameters' problems at once.
    let year = YearQuery { year: query.year }.year();
    let (year, xlsx) = match (year, xlsx) {
        (Ok(year), Some(xlsx)) => (year, xlsx),
        (year, xlsx) => {
            let mut issues = match year {
                Err(ApiError::Validation(issues)) => issues,
                _ => Vec::new(),
            };
            if xlsx.is_none() {
                issues.push(FieldIssue::new(
                    "format",
                    FieldCode::Invalid,
                    "format は xlsx か csv です。",
                    "format is xlsx or csv.",
                ));
            }
            return Err(ApiError::Validation(issues));
        }
    };
    let (statement, _) =
        madoguchi_app::medical::statement(&state, worker_reads(&req), &member.view, year, now)
            .await?;
    if statement.lines.is_empty() {
        return Err(ApiError::NoMedicalExpenses);
    }
    let name_year = statement.year;
    let (content_type, ext) = if xlsx {
        (medical_export::XLSX_CONTENT_TYPE, "xlsx")
    } else {
        (medical_export::CSV_CONTENT_TYPE, "csv")
    };
    // Writing a workbook is CPU work: off the request's worker.
    let bytes = web::block(move || {
        if xlsx {
            medical_export::xlsx(&statement)
        } else {
            medical_export::csv(&statement)
        }
    })
    .await
    .map_err(|e| ApiError::Internal(e.into()))?
    .map_err(|e| ApiError::Internal(anyhow::anyhow!("{e}")))?;
    let name = medical_export::file_name(name_year, ext);
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename(name)],
        })
        .content_type(content_type)
        .body(bytes))
}
