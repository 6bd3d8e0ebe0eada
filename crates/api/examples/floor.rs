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
//! `cargo run --release -p madoguchi-api --example floor -- ADDR SQLITE_PATH JWT_SECRET`

use std::cell::RefCell;

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, get};
use diesel::prelude::*;
use diesel::sqlite::SqliteConnection;
use madoguchi_api::tokens::Tokens;
use madoguchi_persistence::Conn;
use madoguchi_persistence::db::Target;

thread_local! {
    static CONN: RefCell<Option<SqliteConnection>> = const { RefCell::new(None) };
}

// The two columns read, as a query whose prepared statement diesel caches by its type.
diesel::table! {
    accounts (id) {
        id -> Text,
        session_version -> BigInt,
    }
}

struct Floor {
    tokens: Tokens,
    database: String,
}

fn session_version(database: &str, account_id: &str) -> Option<i64> {
    CONN.with(|cell| {
        let mut cell = cell.borrow_mut();
        if cell.is_none() {
            // Opened as the server opens its connections (WAL, busy timeout).
            let target = Target::Sqlite(database.into());
            let Ok(Conn::Sqlite(conn)) = target.connect() else {
                return None;
            };
            *cell = Some(conn);
        }
        let conn = cell.as_mut()?;
        accounts::table
            .find(account_id)
            .select(accounts::session_version)
            .get_result::<i64>(conn)
            .ok()
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
    match session_version(&state.database, &claims.sub) {
        Some(v) if v == claims.sv => HttpResponse::Ok().body("ok"),
        _ => HttpResponse::Unauthorized().finish(),
    }
}

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let (Some(bind), Some(database), Some(secret), Some(issuer)) =
        (args.next(), args.next(), args.next(), args.next())
    else {
        eprintln!("usage: floor ADDR SQLITE_PATH JWT_SECRET PUBLIC_ORIGIN");
        std::process::exit(2);
    };
    let state = actix_web::web::Data::new(Floor {
        tokens: Tokens::new(secret.as_bytes(), false, &issuer),
        database,
    });
    actix_web::rt::System::new().block_on(async {
        HttpServer::new(move || App::new().app_data(state.clone()).service(floor))
            .bind(bind)?
            .run()
            .await
    })
}
