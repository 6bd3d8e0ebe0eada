//! The floor under `GET /api/v1/me`, for `make bench` (scripts/bench-api.sh): a bare
//! actix-web server like examples/hello.rs whose one route does only the two things DESIGN §3
//! asks of every signed-in request, and nothing else (no middleware, no JSON, no maintenance
//! check, no response headers of ours):
//!
//! 1. verify the HS256 token with the server's own `Tokens` (jsonwebtoken), and
//! 2. read the account's session version from SQLite: one prepared `SELECT` by primary key on
//!    a connection of the worker's own, opened as the server opens its connections.
//!
//! It answers `200 ok` when the session version matches, `401` otherwise. The bench divides the
//! `/me` rate by this one as well as by hello-world's, to show how much of the gap is the
//! required work itself.
//!
//! With `page` as its last argument, step 2 reads instead what `GET /me` reads: the page's one
//! statement (`persistence::reads::session` with the menu: the account, its member and tenant,
//! the unread count and the pending address). The bench divides that rate by the floor's: what
//! the page's own read leaves of the floor before anything else `/me` does.
//!
//! With `medical YEAR`, step 2 reads the session version and the member, then what
//! `GET /me/medical-expenses?year=YEAR` reads (the household's years, and the rows of YEAR), and
//! the answer is those rows as the route writes them (`ExpenseRow`, JSON): the least that route
//! does (scripts/bench-medical.sh).
//!
//! `cargo run --release -p madoguchi-api --example floor -- ADDR SQLITE_PATH JWT_SECRET
//! PUBLIC_ORIGIN [page | medical YEAR]`

use std::cell::RefCell;

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, get};
use diesel::prelude::*;
use madoguchi_api::medical::ExpenseRow;
use madoguchi_api::tokens::Tokens;
use madoguchi_persistence::Conn;
use madoguchi_persistence::db::Target;
use madoguchi_persistence::{medical, reads};

thread_local! {
    static CONN: RefCell<Option<Conn>> = const { RefCell::new(None) };
}

// The columns read, as a query whose prepared statement diesel caches by its type.
diesel::table! {
    accounts (id) {
        id -> Text,
        member_id -> Text,
        session_version -> BigInt,
    }
}

/// What step 2 reads.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Read {
    /// The account's session version: the floor.
    SessionVersion,
    /// The page's statement (`GET /me`).
    Page,
    /// The session version, then the household's medical expenses of a year.
    Medical(i32),
}

struct Floor {
    tokens: Tokens,
    database: String,
    read: Read,
}

/// The session version, and with [`Read::Medical`] the answer's body.
fn session_version(setup: &Floor, account_id: &str) -> Option<(i64, Vec<u8>)> {
    CONN.with(|cell| {
        let mut cell = cell.borrow_mut();
        if cell.is_none() {
            // Opened as the server opens its connections (WAL, busy timeout).
            let target = Target::Sqlite(setup.database.as_str().into());
            *cell = Some(target.connect().ok()?);
        }
        let conn = cell.as_mut()?;
        if setup.read == Read::Page {
            let now = chrono::Utc::now();
            let ((view, _), _menu) = reads::session(conn, account_id, None, Some(now)).ok()?;
            return view.map(|v| (v.account.session_version, b"ok".to_vec()));
        }
        let Conn::Sqlite(sqlite) = conn else {
            return None;
        };
        if setup.read == Read::SessionVersion {
            return accounts::table
                .find(account_id)
                .select(accounts::session_version)
                .get_result::<i64>(sqlite)
                .ok()
                .map(|v| (v, b"ok".to_vec()));
        }
        let (version, member_id) = accounts::table
            .find(account_id)
            .select((accounts::session_version, accounts::member_id))
            .get_result::<(i64, String)>(sqlite)
            .ok()?;
        let Read::Medical(year) = setup.read else {
            return None;
        };
        // Read as the route reads them, though only the year's rows are sent.
        medical::household_years(conn, &member_id).ok()?;
        let lines = medical::household_year(conn, &member_id, year).ok()?;
        let rows: Vec<ExpenseRow<'_>> = lines.iter().map(ExpenseRow::from).collect();
        Some((version, serde_json::to_vec(&rows).ok()?))
    })
}

#[get("/")]
async fn floor(req: HttpRequest, state: actix_web::web::Data<Floor>) -> HttpResponse {
    let token = req
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    let Some(claims) = token.and_then(|t| state.tokens.verify(t, chrono::Utc::now()).ok()) else {
        return HttpResponse::Unauthorized().finish();
    };
    match session_version(&state, &claims.sub) {
        Some((v, body)) if v == claims.sv => HttpResponse::Ok().body(body),
        _ => HttpResponse::Unauthorized().finish(),
    }
}

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let (Some(bind), Some(database), Some(secret), Some(issuer)) =
        (args.next(), args.next(), args.next(), args.next())
    else {
        eprintln!("usage: floor ADDR SQLITE_PATH JWT_SECRET PUBLIC_ORIGIN [page | medical YEAR]");
        std::process::exit(2);
    };
    let state = actix_web::web::Data::new(Floor {
        tokens: Tokens::new(secret.as_bytes(), false, &issuer),
        database,
        read: match args.next().as_deref() {
            Some("page") => Read::Page,
            Some("medical") => match args.next().and_then(|y| y.parse().ok()) {
                Some(year) => Read::Medical(year),
                None => {
                    eprintln!("floor: `medical` needs a year");
                    std::process::exit(2);
                }
            },
            _ => Read::SessionVersion,
        },
    });
    actix_web::rt::System::new().block_on(async {
        HttpServer::new(move || App::new().app_data(state.clone()).service(floor))
            .bind(bind)?
            .run()
            .await
    })
}
