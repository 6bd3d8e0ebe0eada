//! `madoguchi serve --demo`: demo postcards on stdout, and a server that answers its health check.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use madoguchi_domain::hashing::verify_secret;
use madoguchi_persistence::temporary_credentials;

use crate::helpers::{JA, Setup, each_backend};

const DEMO_INSURER: &str = "06139992";
const STARTUP: Duration = Duration::from_secs(20);

/// Kills the server when the test ends, even when an assertion fails first.
struct KillOnDrop(Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The lines a child prints, read on a thread so a server that never prints can't hang the
/// test (wait on them with `recv_timeout`).
fn lines_of(output: impl Read + Send + 'static) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(output).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    listener.local_addr().expect("local address").port()
}

/// `GET path` over a plain TCP connection: the status line and the body.
fn get(port: u16, path: &str) -> std::io::Result<(String, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    Ok((
        head.lines().next().unwrap_or_default().to_owned(),
        body.to_owned(),
    ))
}

/// Polls the health check until the server answers, for at most [`STARTUP`].
fn wait_for_health(port: u16, stderr_file: &std::path::Path) -> (String, String) {
    let deadline = Instant::now() + STARTUP;
    loop {
        match get(port, "/api/v1/health") {
            Ok(answer) => return answer,
            Err(_) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(100)),
            Err(e) => panic!(
                "no answer on port {port}: {e}\n--- stderr\n{}",
                std::fs::read_to_string(stderr_file).unwrap_or_default()
            ),
        }
    }
}

each_backend!(serve_demo_prints_five_postcards_and_answers_health);
fn serve_demo_prints_five_postcards_and_answers_health(s: Setup) {
    let b = s.backend();
    let port = free_port();
    let stderr_path = s.dir.path().join("serve.stderr");
    let stderr = std::fs::File::create(&stderr_path).expect("stderr file");
    let mut cmd = s.command(JA);
    cmd.args(["serve", "--demo"])
        .env("MADOGUCHI_BIND", format!("127.0.0.1:{port}"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(stderr);
    let mut server = KillOnDrop(cmd.spawn().expect("start madoguchi serve --demo"));
    let stdout = server.0.stdout.take().expect("stdout");

    let rx = lines_of(stdout);
    let deadline = Instant::now() + STARTUP;
    let mut postcards = Vec::new();
    while postcards.len() < 5 {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(line) => postcards.push(line),
            Err(e) => panic!(
                "[{b}] {} postcard lines, then {e}: {postcards:?}\n--- stderr\n{}",
                postcards.len(),
                std::fs::read_to_string(&stderr_path).unwrap_or_default()
            ),
        }
    }

    let mut ids = Vec::new();
    for line in &postcards {
        let (id, password) = line
            .split_once(' ')
            .unwrap_or_else(|| panic!("[{b}] `<ID> <password>`: {line:?}"));
        assert!(
            id.len() == 13 && id.bytes().all(|c| c.is_ascii_digit()),
            "[{b}] temp ID {line:?}"
        );
        assert!(
            password.len() == 10 && password.bytes().all(|c| c.is_ascii_alphanumeric()),
            "[{b}] {line:?}"
        );
        let stored = temporary_credentials::find_by_login_id(&mut s.conn(), id)
            .expect("read")
            .unwrap_or_else(|| panic!("[{b}] {id} stored"));
        assert!(stored.retired_at.is_none(), "[{b}] {id} pending");
        ids.push(id);
        if ids.len() == 1 {
            assert!(
                verify_secret(password, &stored.password_hash),
                "[{b}] the printed password verifies"
            );
        }
    }
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 5, "[{b}] distinct IDs: {postcards:?}");

    let (status, body) = wait_for_health(port, &stderr_path);
    assert!(status.starts_with("HTTP/1.1 200"), "[{b}] {status}\n{body}");
    let compact: String = body.chars().filter(|c| !c.is_whitespace()).collect();
    assert!(
        compact.contains(r#"{"status":"ok"}"#),
        "[{b}] body {body:?}"
    );

    assert!(
        s.find_tenant(DEMO_INSURER).is_some(),
        "[{b}] demo tenant stored"
    );
    // お知らせ greet a newcomer: two published notices, one of them important.
    let demo = s.find_tenant(DEMO_INSURER).expect("demo tenant");
    let posted = madoguchi_persistence::notices::list_for_tenant(&mut s.conn(), &demo.id).unwrap();
    assert_eq!(posted.len(), 2, "[{b}] demo notices");
    assert_eq!(posted.iter().filter(|n| n.important).count(), 1, "[{b}]");
    assert!(
        posted.iter().all(|n| n.publish_at <= chrono::Utc::now()),
        "[{b}] published"
    );
    // 医療費のお知らせ: a year of it for the demo households, imported as an operator would.
    let imports = madoguchi_persistence::medical::imports(&mut s.conn(), &demo.id).unwrap();
    assert_eq!(imports.len(), 1, "[{b}] one demo import");
    assert_eq!(
        imports[0].months.len(),
        12,
        "[{b}] the twelve months before this one"
    );
    let first = madoguchi_persistence::members::find_by_code(&mut s.conn(), &demo.id, "D-0001")
        .unwrap()
        .unwrap();
    let years = madoguchi_persistence::medical::household_years(&mut s.conn(), &first.id).unwrap();
    let rows: usize = years
        .iter()
        .map(|y| {
            madoguchi_persistence::medical::household_year(&mut s.conn(), &first.id, *y)
                .unwrap()
                .len()
        })
        .sum();
    assert_eq!(rows, 16, "[{b}] D-0001's household: 6 + 6 + 3 + 1 rows");
    let log = std::fs::read_to_string(&stderr_path).unwrap_or_default();
    assert!(
        log.contains(&format!("http://127.0.0.1:{port}/")),
        "[{b}] the address is printed\n{log}"
    );
    assert!(log.contains("request"), "[{b}] an access-log line\n{log}");
    assert!(
        !log.contains('\u{1b}'),
        "[{b}] no colour codes in a log written to a file\n{log}"
    );
    drop(server);
}

#[test]
fn serve_keeps_trying_while_postgresql_does_not_answer() {
    // No server listens on port 1: as when the database starts after Madoguchi.
    let dir = tempfile::tempdir().expect("working directory");
    let mut cmd = crate::helpers::command(dir.path(), "postgres://postgres@127.0.0.1:1/x", JA);
    cmd.args(["serve"])
        .env("MADOGUCHI_BIND", format!("127.0.0.1:{}", free_port()))
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let mut server = KillOnDrop(cmd.spawn().expect("start madoguchi serve"));
    let rx = lines_of(server.0.stderr.take().expect("stderr"));
    let deadline = Instant::now() + STARTUP;
    let mut tries = Vec::new();
    while tries.len() < 2 {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(line) if line.contains("もう一度試します") => tries.push(line),
            Ok(_) => {}
            Err(e) => panic!("{} tries seen, then {e}: {tries:?}", tries.len()),
        }
    }
    assert!(
        server.0.try_wait().expect("process status").is_none(),
        "serve is still running after two tries: {tries:?}"
    );
    assert!(
        tries[0].contains("127.0.0.1"),
        "the line names the server: {tries:?}"
    );
}

/// `POST path` with a JSON body over a plain TCP connection: the status line and the body.
fn post_json(port: u16, path: &str, body: &str) -> std::io::Result<(String, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    write!(
        stream,
        "POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    Ok((
        head.lines().next().unwrap_or_default().to_owned(),
        body.to_owned(),
    ))
}

each_backend!(a_backup_restored_serves_the_members_it_holds);
fn a_backup_restored_serves_the_members_it_holds(s: Setup) {
    let b = s.backend();
    s.tenant_with_roster();
    s.issue("postcards.csv", &[]).success();
    let postcard = crate::helpers::Postcards::read(&s.path("postcards.csv"));
    let card = postcard.row("A-0001");
    let copy = s.path("backup.db");
    if b == "postgres" {
        s.run(&["backup", "--out", &copy])
            .failure(1)
            .stderr_has("pg_dump");
        return;
    }
    s.run(&["backup", "--out", &copy])
        .success()
        .stdout_has("バックアップしました");
    let mode = std::os::unix::fs::PermissionsExt::mode(
        &std::fs::metadata(&copy).expect("the copy").permissions(),
    ) & 0o777;
    assert_eq!(mode, 0o600, "[{b}]");
    s.run(&["backup", "--out", &copy])
        .failure(1)
        .stderr_has("既にあります");

    // Restored: a server on the copy signs the member in with the postcard.
    let port = free_port();
    let stderr_path = s.dir.path().join("restored.stderr");
    let mut cmd = crate::helpers::command(s.dir.path(), &format!("sqlite://{copy}"), JA);
    cmd.args(["serve"])
        .env("MADOGUCHI_BIND", format!("127.0.0.1:{port}"))
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&stderr_path).expect("stderr file"));
    let _server = KillOnDrop(cmd.spawn().expect("serve the copy"));
    wait_for_health(port, &stderr_path);
    let login = format!(
        r#"{{"login_id":"{}","password":"{}"}}"#,
        card["temp_login_id"], card["temp_password"]
    );
    let (status, body) = post_json(port, "/api/v1/auth/login", &login).expect("login");
    assert!(status.contains("200"), "[{b}] {status} {body}");
    assert!(
        body.contains("\"next_step\":\"verify_identity\""),
        "[{b}] {body}"
    );
}

each_backend!(metrics_are_served_on_their_own_listener_by_route_template, only: sqlite);
fn metrics_are_served_on_their_own_listener_by_route_template(s: Setup) {
    let (port, metrics_port) = (free_port(), free_port());
    let stderr_path = s.dir.path().join("metrics.stderr");
    let mut cmd = s.command(JA);
    cmd.args(["serve"])
        .env("MADOGUCHI_BIND", format!("127.0.0.1:{port}"))
        .env(
            "MADOGUCHI_METRICS_BIND",
            format!("127.0.0.1:{metrics_port}"),
        )
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&stderr_path).expect("stderr file"));
    let _server = KillOnDrop(cmd.spawn().expect("start madoguchi serve"));
    wait_for_health(port, &stderr_path);
    get(port, "/api/v1/nothing/0123456789").expect("an unknown path");
    post_json(
        port,
        "/api/v1/auth/login",
        r#"{"login_id":"nobody","password":"Wrong1234"}"#,
    )
    .expect("a wrong login");
    let (status, text) = get(metrics_port, "/metrics").expect("metrics");
    assert!(status.contains("200"), "{status}");
    for line in [
        r#"madoguchi_http_requests_total{method="GET",route="/api/v1/health",status="200"}"#,
        r#"madoguchi_http_requests_total{method="GET",route="unmatched",status="404"}"#,
        r#"madoguchi_sign_ins_total{outcome="wrong_password"} 1"#,
        "madoguchi_http_request_duration_seconds_bucket",
        "madoguchi_hash_seconds_count",
        "madoguchi_outbox_pending 0",
        "madoguchi_pool_connections_in_use",
    ] {
        assert!(text.contains(line), "{line} missing from\n{text}");
    }
    assert!(
        !text.contains("0123456789"),
        "a raw path became a label\n{text}"
    );
    // The public listener does not serve them (there `/metrics` is just a screen path).
    let (_, public) = get(port, "/metrics").expect("public /metrics");
    assert!(
        !public.contains("madoguchi_http_requests_total"),
        "{public}"
    );
}
