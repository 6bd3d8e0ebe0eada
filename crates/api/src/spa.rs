//! The member SPA (`frontend/`), served from the files `vite build` writes to `frontend/dist`.
//!
//! Release builds embed the files in the binary (rust-embed), so one binary runs everything;
//! debug builds read the same folder from disk, so `npm run build` shows up without a Rust
//! rebuild. Paths under `/api/` never reach here: unknown API paths keep their problem+json 404.
//!
//! - `/assets/*` are content-hashed by Vite: cached for a year, `immutable`.
//! - Every other existing file, and `index.html` above all, is `no-cache`, so a new release is
//!   picked up on the next visit.
//! - A path that is not a file (`/login`, `/onboarding/identity`) is a route of the SPA: it gets
//!   `index.html` and the client router picks the screen. Missing `/assets/*` and other paths
//!   that name a file (with an extension) stay 404, so a stale asset never turns into HTML.
//! - Text files (HTML, scripts, styles, SVG, JSON) go gzip-compressed to a browser that accepts
//!   it, each compressed once per content (members on phone networks). API answers are never
//!   compressed here: a compressed answer that carries a token beside reflected input is what
//!   BREACH-style attacks measure.

use std::collections::HashMap;
use std::io::Write;
use std::sync::Mutex;

use actix_web::http::{Method, header};
use actix_web::{HttpRequest, HttpResponse};
use flate2::Compression;
use flate2::write::GzEncoder;
use rust_embed::{EmbeddedFile, RustEmbed};

use crate::error::ApiError;

#[derive(RustEmbed)]
#[folder = "../../frontend/dist"]
// `build.rs` creates the folder; a debug build whose folder was removed since still compiles.
#[allow_missing = true]
struct Dist;

const INDEX: &str = "index.html";
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const NO_CACHE: &str = "no-cache";
/// Only our own scripts, styles and API; no framing. The SPA has no inline script.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                   connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; \
                   form-action 'self'; frame-ancestors 'none'";

/// The default service: the SPA for GET and HEAD outside `/api/`, problem+json 404 otherwise.
pub async fn serve(req: HttpRequest) -> Result<HttpResponse, ApiError> {
    let path = req.path();
    if path == "/api" || path.starts_with("/api/") {
        return Err(ApiError::NotFound);
    }
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return Err(ApiError::NotFound);
    }
    let name = path.trim_start_matches('/');
    if !name.is_empty()
        && let Some(file) = Dist::get(name)
    {
        let cache = if name.starts_with("assets/") {
            IMMUTABLE
        } else {
            NO_CACHE
        };
        return Ok(respond(&req, &file, cache));
    }
    if is_client_route(name) {
        return match Dist::get(INDEX) {
            Some(index) => Ok(respond(&req, &index, NO_CACHE)),
            None => Err(ApiError::NotFound),
        };
    }
    Err(ApiError::NotFound)
}

/// `""`, `login`, `onboarding/identity`: not an asset and without a file extension.
fn is_client_route(name: &str) -> bool {
    let last = name.rsplit('/').next().unwrap_or_default();
    !name.starts_with("assets/") && !last.contains('.')
}

fn respond(req: &HttpRequest, file: &EmbeddedFile, cache: &'static str) -> HttpResponse {
    let mime = file.metadata.mimetype();
    let mut res = HttpResponse::Ok();
    if mime.starts_with("text/") && !mime.contains("charset") {
        res.insert_header((header::CONTENT_TYPE, format!("{mime}; charset=utf-8")));
    } else {
        res.insert_header((header::CONTENT_TYPE, mime));
    }
    res.insert_header((header::CACHE_CONTROL, cache));
    if mime.starts_with("text/html") {
        res.insert_header((header::CONTENT_SECURITY_POLICY, CSP));
    }
    if !compressible(mime) || file.data.len() < MIN_COMPRESSED {
        return res.body(file.data.clone().into_owned());
    }
    res.insert_header((header::VARY, "Accept-Encoding"));
    if !accepts_gzip(req) {
        return res.body(file.data.clone().into_owned());
    }
    match gzipped(file) {
        Some(compressed) => {
            res.insert_header((header::CONTENT_ENCODING, "gzip"));
            res.body(compressed)
        }
        None => res.body(file.data.clone().into_owned()),
    }
}

/// Smaller files are not worth a compression header.
const MIN_COMPRESSED: usize = 256;

fn compressible(mime: &str) -> bool {
    mime.starts_with("text/")
        || mime.starts_with("application/javascript")
        || mime.starts_with("application/json")
        || mime.starts_with("image/svg+xml")
}

fn accepts_gzip(req: &HttpRequest) -> bool {
    req.headers()
        .get_all(header::ACCEPT_ENCODING)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|coding| {
            let mut parts = coding.split(';');
            let name = parts.next().unwrap_or("").trim();
            let refused = parts.any(|p| {
                p.trim()
                    .strip_prefix("q=")
                    .is_some_and(|q| q.trim().parse::<f32>().is_ok_and(|q| q == 0.0))
            });
            (name.eq_ignore_ascii_case("gzip") || name == "*") && !refused
        })
}

/// The file gzip-compressed, once per content (keyed by its SHA-256: in debug builds the files
/// on disk may change between requests).
fn gzipped(file: &EmbeddedFile) -> Option<Vec<u8>> {
    static CACHE: std::sync::OnceLock<Mutex<HashMap<[u8; 32], Vec<u8>>>> =
        std::sync::OnceLock::new();
    let key = file.metadata.sha256_hash();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(hit) = cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
        return Some(hit);
    }
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    encoder.write_all(&file.data).ok()?;
    let compressed = encoder.finish().ok()?;
    if let Ok(mut c) = cache.lock() {
        c.insert(key, compressed.clone());
    }
    Some(compressed)
}

#[cfg(test)]
mod tests {
    use super::is_client_route;

    #[test]
    fn client_routes_are_paths_without_a_file_name() {
        assert!(is_client_route(""));
        assert!(is_client_route("login"));
        assert!(is_client_route("onboarding/identity"));
        assert!(!is_client_route("assets/index-abc123.js"));
        assert!(!is_client_route("assets/missing"));
        assert!(!is_client_route("favicon.ico"));
    }
}
