//! The server as `madoguchi serve` runs it (`madoguchi_api::serve`), on a listener bound to
//! 127.0.0.1:0 and driven over real HTTP/1.1: what the in-process tests cannot see (the
//! dispatcher's own answers, cookies on the wire, connection reuse).

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::time::Duration;

use serde_json::{Value, json};

use crate::helpers::{TestApp, each_backend};

/// The app served on a port of its own, with the client that drives it. The server runs until
/// the test process ends (nextest gives each test case a process of its own).
struct Served {
    base: String,
    port: u16,
    client: awc::Client,
}

fn serve(app: &TestApp) -> Served {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    let port = listener.local_addr().expect("local address").port();
    actix_web::rt::spawn(madoguchi_api::serve(listener, app.state()));
    Served {
        base: format!("http://127.0.0.1:{port}"),
        port,
        client: awc::Client::builder()
            .timeout(Duration::from_secs(30))
            .finish(),
    }
}

/// Status, headers and body of one answer.
struct Reply {
    status: u16,
    headers: awc::http::header::HeaderMap,
    body: Value,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

async fn read<S>(mut response: awc::ClientResponse<S>) -> Reply
where
    S: futures_util::Stream<Item = Result<actix_web::web::Bytes, awc::error::PayloadError>> + Unpin,
{
    let body = response.body().await.expect("a body");
    Reply {
        status: response.status().as_u16(),
        headers: response.headers().clone(),
        body: serde_json::from_slice(&body).unwrap_or(Value::Null),
    }
}

each_backend!(health_answers_200_json);
async fn health_answers_200_json(app: TestApp) {
    let served = serve(&app);
    let response = served
        .client
        .get(format!("{}/api/v1/health", served.base))
        .send()
        .await
        .expect("an answer");
    let reply = read(response).await;
    assert_eq!(reply.status, 200, "[{}] {}", app.backend, reply.body);
    assert_eq!(
        reply.header("content-type"),
        Some("application/json"),
        "{}",
        app.backend
    );
    assert_eq!(
        reply.body["status"], "ok",
        "[{}] {}",
        app.backend, reply.body
    );
}

each_backend!(a_postcard_login_answers_a_token_and_the_session_cookie);
async fn a_postcard_login_answers_a_token_and_the_session_cookie(app: TestApp) {
    let served = serve(&app);
    let postcard = app.provision("1-1-00");
    let response = served
        .client
        .post(format!("{}/api/v1/auth/login", served.base))
        .send_json(&json!({"login_id": postcard.login_id, "password": postcard.password}))
        .await
        .expect("an answer");
    let reply = read(response).await;
    assert_eq!(reply.status, 200, "[{}] {}", app.backend, reply.body);
    assert_eq!(
        reply.body["next_step"], "verify_identity",
        "{}",
        app.backend
    );
    let token = reply.body["access_token"].as_str().unwrap_or_default();
    assert!(!token.is_empty(), "[{}] {}", app.backend, reply.body);
    let cookie = reply
        .headers
        .get_all("set-cookie")
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("madoguchi_session="))
        .unwrap_or_else(|| panic!("[{}] no session cookie", app.backend));
    assert!(
        cookie.starts_with(&format!("madoguchi_session={token}")),
        "[{}] the cookie carries the token: {cookie}",
        app.backend
    );
    assert!(cookie.contains("HttpOnly"), "[{}] {cookie}", app.backend);
}

each_backend!(an_unknown_api_path_answers_a_problem_404);
async fn an_unknown_api_path_answers_a_problem_404(app: TestApp) {
    let served = serve(&app);
    let response = served
        .client
        .get(format!("{}/api/v1/nothing-here", served.base))
        .send()
        .await
        .expect("an answer");
    let reply = read(response).await;
    assert_eq!(
        (reply.status, reply.header("content-type")),
        (404, Some("application/problem+json")),
        "[{}] {}",
        app.backend,
        reply.body
    );
    assert_eq!(reply.body["code"], "not_found", "{}", app.backend);
    assert_eq!(reply.body["status"], 404, "{}", app.backend);
}

each_backend!(a_request_with_too_many_headers_answers_a_problem_431);
async fn a_request_with_too_many_headers_answers_a_problem_431(app: TestApp) {
    let served = serve(&app);
    let mut request = served.client.get(format!("{}/api/v1/health", served.base));
    for i in 0..120 {
        request = request.insert_header((format!("x-extra-{i}"), "1"));
    }
    let response = request.send().await.expect("an answer");
    let reply = read(response).await;
    assert_eq!(
        (reply.status, reply.header("content-type")),
        (431, Some("application/problem+json")),
        "[{}] {}",
        app.backend,
        reply.body
    );
    assert_eq!(
        reply.body["status"], 431,
        "[{}] {}",
        app.backend, reply.body
    );
    assert!(
        reply.body["code"].is_string(),
        "[{}] {}",
        app.backend,
        reply.body
    );
}

each_backend!(one_connection_carries_two_requests);
async fn one_connection_carries_two_requests(app: TestApp) {
    let served = serve(&app);
    // A socket of our own, so that the reuse is seen rather than assumed: the second request
    // goes on the connection the first answer left open.
    let port = served.port;
    let statuses = actix_web::rt::task::spawn_blocking(move || {
        let stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .expect("read timeout");
        let mut reader = BufReader::new(stream.try_clone().expect("clone the socket"));
        let mut writer = stream;
        let mut statuses = Vec::new();
        for _ in 0..2 {
            write!(
                writer,
                "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: application/json\r\n\r\n"
            )
            .expect("send a request");
            statuses.push(read_answer(&mut reader));
        }
        statuses
    })
    .await
    .expect("the client thread");
    assert_eq!(
        statuses,
        [(200, false), (200, false)],
        "[{}] (status, connection: close) of each answer",
        app.backend
    );
}

/// Reads one HTTP/1.1 answer with a `Content-Length` body: its status and whether it closes
/// the connection.
fn read_answer(reader: &mut impl BufRead) -> (u16, bool) {
    let mut line = String::new();
    reader.read_line(&mut line).expect("a status line");
    let status = line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("a status line: {line:?}"));
    let (mut length, mut close) = (0, false);
    loop {
        line.clear();
        reader.read_line(&mut line).expect("a header line");
        let header = line.trim_end();
        if header.is_empty() {
            break;
        }
        let (name, value) = header.split_once(':').expect("name: value");
        match name.to_ascii_lowercase().as_str() {
            "content-length" => length = value.trim().parse().expect("a length"),
            "connection" => close = value.trim().eq_ignore_ascii_case("close"),
            _ => {}
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).expect("the body");
    (status, close)
}
