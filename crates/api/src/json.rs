//! `ApiJson<T>`: the JSON body extractor. Every failure is a problem, never a framework
//! default: 415 for another content type, 413 past 16 KiB, 400 for unparsable JSON, 422 for
//! unknown, missing or mistyped fields (named by their path).

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpMessage, HttpRequest};
use futures_util::StreamExt;
use futures_util::future::LocalBoxFuture;
use serde::de::DeserializeOwned;
use validator::{ValidationErrors, ValidationErrorsKind};

use madoguchi_domain::{FieldCode, FieldError, RuleError};

use crate::error::{ApiError, FieldIssue};

/// Request bodies are capped here (DESIGN §3).
pub const BODY_LIMIT: usize = 16 * 1024;

pub struct ApiJson<T>(pub T);

/// A request body that becomes the domain's input types: every field parsed by its rule,
/// each failure a [`FieldError`]. `Context` is what the rules need beyond the body (today's
/// date, the postcard's ID).
pub trait Parse {
    type Output;
    type Context;
    /// The fields in the order of the form, for the order of the `errors` list.
    const FIELDS: &'static [&'static str];

    fn parse(&self, ctx: &Self::Context) -> Result<Self::Output, Vec<FieldError>>;
}

impl<T: Parse + validator::Validate> ApiJson<T> {
    /// The body as domain types, or one 422 with its shape issues (`validator`) and every
    /// broken rule together, in the form's order (DESIGN §3).
    pub fn parse(&self, ctx: &T::Context) -> Result<T::Output, ApiError> {
        match self.0.parse(ctx) {
            Ok(parsed) => self.finish(Fields::default(), Some(parsed)),
            Err(broken) => self.finish(Fields(broken), None),
        }
    }

    /// `value` when neither the shape nor any rule in `fields` failed; else one 422 with all
    /// of them, in the form's order.
    pub fn finish<V>(&self, fields: Fields, value: Option<V>) -> Result<V, ApiError> {
        let shape = shape_of(&self.0);
        match value {
            Some(v) if shape.is_empty() && fields.0.is_empty() => return Ok(v),
            _ => {}
        }
        let rules = fields.0.into_iter().map(FieldIssue::from).collect();
        let mut issues = gathered(shape, rules);
        issues.sort_by_key(|i| T::FIELDS.iter().position(|f| *f == i.field));
        Err(ApiError::Validation(issues))
    }
}

/// Gathers each field's parse into one result: the parsed value, or every failure so far.
#[derive(Default)]
pub struct Fields(Vec<FieldError>);

impl Fields {
    /// The value, or `None` with the failure noted under `field`.
    pub fn take<V>(&mut self, field: &'static str, parsed: Result<V, RuleError>) -> Option<V> {
        parsed
            .map_err(|error| self.0.push(FieldError { field, error }))
            .ok()
    }

    /// Notes one failure.
    pub fn push(&mut self, field: &'static str, error: RuleError) {
        self.0.push(FieldError { field, error });
    }

    /// Notes failures found elsewhere (by storage).
    pub fn extend(&mut self, broken: Vec<FieldError>) {
        self.0.extend(broken);
    }

    /// `value` when nothing failed, else every failure.
    pub fn done<V>(self, value: Option<V>) -> Result<V, Vec<FieldError>> {
        match value {
            Some(v) if self.0.is_empty() => Ok(v),
            _ => Err(self.0),
        }
    }
}

impl<T: DeserializeOwned + 'static> FromRequest for ApiJson<T> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let is_json = req.mime_type().ok().flatten().is_some_and(|m| {
            m.type_() == "application"
                && (m.subtype() == "json" || m.suffix().is_some_and(|s| s == "json"))
        });
        let declared_too_large = req
            .headers()
            .get(actix_web::http::header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok())
            .is_some_and(|n| n > BODY_LIMIT);
        let mut payload = payload.take();
        Box::pin(async move {
            if !is_json {
                return Err(ApiError::UnsupportedMediaType);
            }
            if declared_too_large {
                return Err(ApiError::BodyTooLarge);
            }
            let mut body = Vec::new();
            while let Some(chunk) = payload.next().await {
                let chunk = chunk.map_err(|_| ApiError::MalformedBody)?;
                if body.len() + chunk.len() > BODY_LIMIT {
                    return Err(ApiError::BodyTooLarge);
                }
                body.extend_from_slice(&chunk);
            }
            parse(&body).map(ApiJson)
        })
    }
}

fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    let mut de = serde_json::Deserializer::from_slice(body);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if !inner.is_data() {
            return ApiError::MalformedBody;
        }
        ApiError::field(classify(&path, &inner.to_string()))
    })?;
    de.end().map_err(|_| ApiError::MalformedBody)?;
    Ok(value)
}

/// Names the field of a serde data error: unknown, missing or of the wrong type.
fn classify(path: &str, message: &str) -> FieldIssue {
    let quoted = message.split('`').nth(1).unwrap_or("").to_owned();
    let at = |name: &str| {
        if path == "." || path.is_empty() {
            name.to_owned()
        } else {
            format!("{path}.{name}")
        }
    };
    if message.starts_with("unknown field") {
        // serde_path_to_error already ends the path with the unknown key itself.
        let field = if path == quoted || path.ends_with(&format!(".{quoted}")) {
            path.to_owned()
        } else {
            at(&quoted)
        };
        FieldIssue::new(
            field,
            FieldCode::UnknownField,
            format!("{quoted} という項目は受け付けていません。"),
            format!("{quoted} is not a field of this request."),
        )
    } else if message.starts_with("missing field") {
        FieldIssue::new(
            at(&quoted),
            FieldCode::Required,
            format!("{quoted} を入力してください。"),
            format!("{quoted} is required."),
        )
    } else {
        let field = if path == "." {
            "body".to_owned()
        } else {
            path.to_owned()
        };
        FieldIssue::new(
            field.clone(),
            FieldCode::InvalidType,
            format!("{field} の形式が違います。"),
            format!("{field} has the wrong type."),
        )
    }
}

/// One list of a body's problems (DESIGN §3): its shape issues (`validator`) and the domain's
/// rule issues, so a member sees every mistake at once, each field once. A field the shape
/// found too long keeps that issue; a missing one keeps the rule's `required`, whose message
/// names the field.
pub fn gathered(shape: Vec<FieldIssue>, rules: Vec<FieldIssue>) -> Vec<FieldIssue> {
    let ruled: Vec<String> = rules.iter().map(|i| i.field.clone()).collect();
    let (kept, _): (Vec<FieldIssue>, Vec<FieldIssue>) = shape
        .into_iter()
        .partition(|i| i.code != FieldCode::Required || !ruled.contains(&i.field));
    let flagged: Vec<String> = kept.iter().map(|i| i.field.clone()).collect();
    let mut all = kept;
    all.extend(rules.into_iter().filter(|i| !flagged.contains(&i.field)));
    all
}

/// The shape issues of a body, empty when its shape is fine.
pub fn shape_of<T: validator::Validate>(body: &T) -> Vec<FieldIssue> {
    body.validate()
        .err()
        .map(|e| shape_issues(&e))
        .unwrap_or_default()
}

/// The `validator` shape checks of a body, as field issues (gathered with the domain's).
pub fn shape_issues(errors: &ValidationErrors) -> Vec<FieldIssue> {
    let mut issues = Vec::new();
    for (field, kind) in errors.errors() {
        if let ValidationErrorsKind::Field(list) = kind {
            for e in list {
                issues.push(match e.code.as_ref() {
                    "required" => FieldIssue::new(
                        field.to_string(),
                        FieldCode::Required,
                        "入力してください。",
                        "This field is required.",
                    ),
                    "length" => FieldIssue::new(
                        field.to_string(),
                        FieldCode::TooLong,
                        "入力が長すぎます。",
                        "This value is too long.",
                    ),
                    _ => FieldIssue::new(
                        field.to_string(),
                        FieldCode::Invalid,
                        "入力内容をご確認ください。",
                        "Check this value.",
                    ),
                });
            }
        }
    }
    issues.sort_by(|a, b| a.field.cmp(&b.field));
    issues
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Body {
        #[expect(dead_code, reason = "only deserialised")]
        login_id: Option<String>,
    }

    #[test]
    fn serde_failures_name_the_field() {
        match parse::<Body>(br#"{"login_id":"a","extra":1}"#) {
            Err(ApiError::Validation(i)) => {
                assert_eq!(
                    (i[0].field.as_str(), i[0].code.as_str()),
                    ("extra", "unknown_field")
                )
            }
            other => panic!("{other:?}"),
        }
        match parse::<Body>(br#"{"login_id":5}"#) {
            Err(ApiError::Validation(i)) => assert_eq!(
                (i[0].field.as_str(), i[0].code.as_str()),
                ("login_id", "invalid_type")
            ),
            other => panic!("{other:?}"),
        }
        assert!(matches!(parse::<Body>(b"{"), Err(ApiError::MalformedBody)));
        assert!(matches!(
            parse::<Body>(b"{} x"),
            Err(ApiError::MalformedBody)
        ));
        assert!(matches!(parse::<Body>(b"[]"), Err(ApiError::Validation(_))));
    }
}
