//! Requests as a client sends them, and answers as a client sees them. Every answer is
//! checked for what holds everywhere: `Referrer-Policy: no-referrer`, never a 500, and every
//! error as `application/problem+json` carrying its `code` and `status`.

use actix_web::cookie::Cookie;
use actix_web::http::header::{self, HeaderMap};
use actix_web::test::{self, TestRequest};
use serde_json::Value;

use crate::helpers::TestApp;

pub struct Call<'a> {
    app: &'a TestApp,
    what: String,
    req: TestRequest,
}

impl<'a> Call<'a> {
    pub(crate) fn new(app: &'a TestApp, what: String, req: TestRequest) -> Self {
        Self { app, what, req }
    }

    fn with(mut self, f: impl FnOnce(TestRequest) -> TestRequest) -> Self {
        self.req = f(self.req);
        self
    }

    pub fn bearer(self, token: &str) -> Self {
        let value = format!("Bearer {token}");
        self.with(|r| r.insert_header((header::AUTHORIZATION, value)))
    }

    /// The session cookie alone, as the SPA sends it.
    pub fn cookie(self, token: &str) -> Self {
        let value = format!("madoguchi_session={token}");
        self.with(|r| r.insert_header((header::COOKIE, value)))
    }

    pub fn english(self) -> Self {
        self.with(|r| r.insert_header((header::ACCEPT_LANGUAGE, "en-US,en;q=0.9")))
    }

    pub fn header(self, name: &'static str, value: &str) -> Self {
        let value = value.to_owned();
        self.with(|r| r.insert_header((name, value)))
    }

    /// The client's address (the throttle counts per address); IPv4 or IPv6.
    pub fn peer(self, ip: &str) -> Self {
        let ip: std::net::IpAddr = ip.parse().expect("an IP address");
        self.with(|r| r.peer_addr(std::net::SocketAddr::new(ip, 40000)))
    }

    /// The request's `Origin`, as a browser sends it with a POST or PUT.
    pub fn origin(self, origin: &str) -> Self {
        self.header("origin", origin)
    }

    /// A raw body with its content type.
    pub fn raw(self, content_type: &str, body: impl Into<actix_web::web::Bytes>) -> Self {
        let content_type = content_type.to_owned();
        let body = body.into();
        self.with(|r| {
            r.insert_header((header::CONTENT_TYPE, content_type))
                .set_payload(body)
        })
    }

    pub async fn send(self) -> Answer {
        let response = (self.app.handler())(self.req).await;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let bytes = test::read_body(response).await;
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        let answer = Answer {
            backend: self.app.backend,
            what: self.what,
            status,
            headers,
            body,
            text,
            bytes: bytes.to_vec(),
        };
        answer.holds_everywhere();
        answer
    }
}

#[derive(Debug)]
pub struct Answer {
    pub backend: &'static str,
    /// `METHOD path`, for messages.
    pub what: String,
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Value,
    pub text: String,
    /// The body as sent (downloads).
    pub bytes: Vec<u8>,
}

impl Answer {
    /// Backend, request and answer, for assertion messages.
    pub fn context(&self) -> String {
        format!(
            "[{}] {} → {} {}",
            self.backend, self.what, self.status, self.text
        )
    }

    fn holds_everywhere(&self) {
        assert_eq!(
            self.header("referrer-policy").as_deref(),
            Some("no-referrer"),
            "{}",
            self.context()
        );
        assert_ne!(self.status, 500, "{}", self.context());
        // The health check answers `{status}` either way (DESIGN §11), for load balancers.
        if self.status >= 400 && self.what != "GET /api/v1/health" {
            assert_eq!(
                self.header("content-type").as_deref(),
                Some("application/problem+json"),
                "{}",
                self.context()
            );
            assert!(self.body["code"].is_string(), "{}", self.context());
            assert_eq!(self.body["status"], self.status, "{}", self.context());
            assert!(self.body["title"].is_string(), "{}", self.context());
            assert!(self.body["detail"].is_string(), "{}", self.context());
        }
    }

    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .map(|v| v.to_str().expect("an ASCII header").to_owned())
    }

    /// Asserts the status.
    pub fn ok(&self, status: u16) -> &Self {
        assert_eq!(self.status, status, "{}", self.context());
        self
    }

    /// Asserts a problem: status and `code` (problem+json is checked for every error).
    pub fn problem(&self, status: u16, code: &str) -> &Self {
        assert_eq!(
            (self.status, self.code()),
            (status, code),
            "{}",
            self.context()
        );
        self
    }

    pub fn code(&self) -> &str {
        self.body["code"].as_str().unwrap_or("")
    }

    pub fn detail(&self) -> &str {
        self.body["detail"].as_str().unwrap_or("")
    }

    /// Asserts `next_step`.
    pub fn step(&self, step: &str) -> &Self {
        assert_eq!(self.body["next_step"], step, "{}", self.context());
        self
    }

    pub fn token(&self) -> String {
        self.body["access_token"]
            .as_str()
            .unwrap_or_else(|| panic!("no token: {}", self.context()))
            .to_owned()
    }

    /// `Retry-After` in seconds.
    pub fn retry_after(&self) -> u64 {
        self.header("retry-after")
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("no Retry-After: {}", self.context()))
    }

    /// `errors[]` as (field, code) pairs.
    pub fn fields(&self) -> Vec<(String, String)> {
        self.body["errors"]
            .as_array()
            .unwrap_or_else(|| panic!("no errors[]: {}", self.context()))
            .iter()
            .map(|e| {
                assert!(e["message"].is_string(), "{}", self.context());
                (
                    e["field"].as_str().unwrap_or("").to_owned(),
                    e["code"].as_str().unwrap_or("").to_owned(),
                )
            })
            .collect()
    }

    /// Asserts that `errors[]` names `field` with `code`.
    pub fn has_field(&self, field: &str, code: &str) -> &Self {
        let fields = self.fields();
        assert!(
            fields.iter().any(|(f, c)| f == field && c == code),
            "{field}/{code} missing from {fields:?}: {}",
            self.context()
        );
        self
    }

    /// The value of the cookie `name` set by this answer, if any.
    pub fn cookie_value(&self, name: &str) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .filter_map(|v| v.to_str().ok())
            .filter_map(|v| Cookie::parse(v.to_owned()).ok())
            .find(|c| c.name() == name)
            .map(|c| c.value().to_owned())
    }

    /// The `madoguchi_session` cookie set by this answer.
    pub fn session_cookie(&self) -> Cookie<'static> {
        self.headers
            .get_all(header::SET_COOKIE)
            .filter_map(|v| v.to_str().ok())
            .filter_map(|v| Cookie::parse(v.to_owned()).ok())
            .find(|c| c.name() == "madoguchi_session")
            .unwrap_or_else(|| panic!("no session cookie: {}", self.context()))
    }
}
