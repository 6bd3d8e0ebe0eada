//! The outermost middleware: the request's language (for problem texts), a request ID on
//! every log line, an access log without query strings (verification tokens travel in
//! links), `Referrer-Policy: no-referrer`, no framing by other sites, a Content-Security-Policy
//! on the API documents, HSTS in production, and a renewed session cookie when the session
//! check asked for one.

use std::time::Instant;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage};
use madoguchi_domain::Lang;
use tracing::Instrument;

tokio::task_local! {
    static LANG: Lang;
}

/// The language of the request being served (Japanese outside a request).
pub fn current_lang() -> Lang {
    LANG.try_with(|l| *l).unwrap_or(Lang::Ja)
}

/// The language a request asks for: English when `Accept-Language` prefers it.
pub fn request_lang(req: &actix_web::HttpRequest) -> Lang {
    req.headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map_or(Lang::Ja, Lang::from_accept_language)
}

/// The browsable API documents (Swagger UI, served from the binary): their own scripts and
/// styles only (Swagger UI sets inline styles and draws data: images), never in a frame.
const DOCS_POLICY: &str = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; \
    object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// A cookie the session check wants set on the response (a renewed member token).
#[derive(Clone)]
pub struct RenewedCookie(pub actix_web::cookie::Cookie<'static>);

/// Whether HSTS is sent (production).
#[derive(Clone, Copy)]
pub struct Hsts(pub bool);

pub async fn context(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let lang = request_lang(req.request());
    let docs = req.path().starts_with("/api/docs");
    let request_id = uuid::Uuid::now_v7();
    let span = tracing::info_span!("request", request_id = %request_id, method = %req.method(), path = %req.path());
    let hsts = req
        .app_data::<actix_web::web::Data<Hsts>>()
        .is_some_and(|h| h.0);
    let started = Instant::now();
    // Handlers' and extractors' errors become problem+json inside this scope, so in the
    // request's language. (Cloning the request here would break routing: it must stay unique.)
    let mut res = LANG
        .scope(lang, next.call(req))
        .instrument(span.clone())
        .await?
        .map_into_boxed_body();
    let renewed = res.request().extensions_mut().remove::<RenewedCookie>();
    if let Some(RenewedCookie(cookie)) = renewed {
        let _ = res.response_mut().add_cookie(&cookie);
    }
    let headers = res.headers_mut();
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    // No page of the portal is meant to be framed by another site (clickjacking).
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if docs {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(DOCS_POLICY),
        );
    }
    headers.insert(
        header::HeaderName::from_static("x-request-id"),
        HeaderValue::from_str(&request_id.to_string()).unwrap_or(HeaderValue::from_static("-")),
    );
    if hsts {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    let elapsed = started.elapsed();
    if crate::metrics::enabled() {
        // The route's template, never the raw path: a scanner's paths must not become labels.
        let route = match res.request().match_pattern() {
            Some(pattern) => pattern,
            None if res.request().path().starts_with("/api/") => "unmatched".to_owned(),
            None => "spa".to_owned(),
        };
        crate::metrics::request(
            res.request().method().as_str(),
            &route,
            res.status().as_u16(),
            elapsed,
        );
    }
    span.in_scope(|| {
        tracing::info!(
            status = res.status().as_u16(),
            elapsed_ms = elapsed.as_millis() as u64,
            "request"
        );
    });
    Ok(res)
}
