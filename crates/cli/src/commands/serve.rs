//! `madoguchi serve [--demo]` and `madoguchi migrate`.

use std::net::TcpListener;

use chrono::Utc;
use madoguchi_api::AppState;
use madoguchi_persistence::{Conn, StoreError, terms, write_tx};

use super::Ctx;
use crate::output::{Outcome, tr};

/// The deployment's default terms, published on the first migration.
const DEFAULT_TERMS_TITLE: &str = "利用規約（注意事項・免責事項・セキュリティポリシー等）";
const DEFAULT_TERMS: &str = include_str!("../../assets/default-terms.txt");

/// Applies migrations and makes sure the default terms in force are this release's: the
/// first start publishes them, and a release whose default text changed publishes it as a new
/// version (members who agreed keep their agreement; new onboardings read the new text).
/// Returns how many migrations ran.
pub fn prepare_database(conn: &mut Conn) -> Result<usize, StoreError> {
    let applied = madoguchi_persistence::migrate(conn)?;
    write_tx(conn, |c| {
        if terms::current(c, None)?.is_none_or(|t| t.body != DEFAULT_TERMS.trim()) {
            terms::publish(
                c,
                None,
                DEFAULT_TERMS_TITLE,
                DEFAULT_TERMS.trim(),
                Utc::now(),
            )?;
        }
        Ok::<_, StoreError>(())
    })?;
    Ok(applied)
}

pub fn migrate(ctx: &Ctx) -> Outcome {
    let pool = ctx.pool(1)?;
    let mut conn = pool.get().map_err(|e| ctx.store(&e.into()))?;
    let applied = prepare_database(&mut conn).map_err(|e| ctx.store(&e))?;
    println!(
        "{}",
        tr(
            ctx.lang,
            format!(
                "データベースを更新しました（適用したマイグレーション: {applied}件、{}）。",
                madoguchi_persistence::db::backend_name(&conn)
            ),
            format!(
                "database is up to date ({applied} migrations applied, {}).",
                madoguchi_persistence::db::backend_name(&conn)
            ),
        )
    );
    Ok(())
}

/// How long `serve` waits between tries while the database does not answer at start.
const START_RETRY: std::time::Duration = std::time::Duration::from_secs(2);

/// The pool, with the database migrated. While a PostgreSQL server does not answer, `serve`
/// keeps trying (one line per try), so the start order of a deployment's services does not
/// matter (DESIGN §11); any other failure (a bad URL, a failed migration, a SQLite file that
/// cannot be opened) stops it at once.
fn ready_pool(ctx: &Ctx, size: u32) -> Result<madoguchi_persistence::Pool, crate::output::Failure> {
    let server = matches!(
        madoguchi_persistence::db::Target::parse(&ctx.config.database_url),
        Ok(madoguchi_persistence::db::Target::Postgres(_))
    );
    loop {
        let ready = madoguchi_persistence::pool(&ctx.config.database_url, size).and_then(|pool| {
            let mut conn = pool.get().map_err(StoreError::from)?;
            prepare_database(&mut conn)?;
            Ok(pool)
        });
        match ready {
            Ok(pool) => return Ok(pool),
            Err(e) if server && e.is_unavailable() => {
                eprintln!(
                    "{}",
                    tr(
                        ctx.lang,
                        format!(
                            "データベースに接続できません。{} 秒後にもう一度試します: {e}",
                            START_RETRY.as_secs()
                        ),
                        format!(
                            "the database does not answer; trying again in {} s: {e}",
                            START_RETRY.as_secs()
                        ),
                    )
                );
                std::thread::sleep(START_RETRY);
            }
            Err(e) => return Err(ctx.store(&e)),
        }
    }
}

pub fn run(ctx: &Ctx, demo: bool) -> Outcome {
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    let pool = ready_pool(ctx, u32::try_from(workers * 4).unwrap_or(8))?;
    if demo {
        let mut conn = pool.get().map_err(|e| ctx.store(&e.into()))?;
        crate::demo::seed_and_print(ctx, &mut conn)?;
    }
    let listener = TcpListener::bind(&ctx.config.bind).map_err(|e| {
        ctx.fail(
            format!(
                "{} で待ち受けできません（MADOGUCHI_BIND を確認してください）: {e}",
                ctx.config.bind
            ),
            format!(
                "cannot listen on {} (check MADOGUCHI_BIND): {e}",
                ctx.config.bind
            ),
        )
    })?;
    let metrics_listener = match ctx.config.metrics_bind.trim() {
        "" => None,
        bind => Some(TcpListener::bind(bind).map_err(|e| {
            ctx.fail(
                format!(
                    "{bind} で待ち受けできません（MADOGUCHI_METRICS_BIND を確認してください）: {e}"
                ),
                format!("cannot listen on {bind} (check MADOGUCHI_METRICS_BIND): {e}"),
            )
        })?),
    };
    let api_config = crate::secrets::api_config(ctx)?;
    let sender = madoguchi_api::mail::parse_sender(&ctx.config.mail_from).map_err(|e| {
        ctx.fail(
            format!("MADOGUCHI_MAIL_FROM を確認してください: {e}"),
            e.to_string(),
        )
    })?;
    let clock: std::sync::Arc<dyn madoguchi_api::clock::Clock> =
        std::sync::Arc::new(madoguchi_api::clock::SystemClock);
    let state = AppState::new(pool, api_config, clock).map_err(|e| {
        ctx.fail(
            format!("サーバーを準備できません: {e}"),
            format!("cannot prepare the server: {e}"),
        )
    })?;
    let target = madoguchi_persistence::db::Target::parse(&ctx.config.database_url)
        .map_err(|e| ctx.store(&e))?;
    madoguchi_api::availability::Availability::spawn_probe(state.availability.clone(), target)
        .map_err(|e| {
            ctx.fail(
                format!("データベースの監視を始められません: {e}"),
                format!("cannot start the database probe: {e}"),
            )
        })?;
    let address = listener
        .local_addr()
        .map_or_else(|_| ctx.config.bind.clone(), |a| a.to_string());
    actix_web::rt::System::new().block_on(async {
        // An SMTP transport starts its connection pool inside the runtime.
        let mailer = madoguchi_api::mail::Mailer::from_url(&ctx.config.mail).map_err(|e| {
            ctx.fail(
                format!("MADOGUCHI_MAIL を確認してください: {e}"),
                e.to_string(),
            )
        })?;
        tracing::info!(
            mail = %madoguchi_api::mail::redact_url(&ctx.config.mail),
            "e-mail goes out through the outbox"
        );
        let worker = madoguchi_api::mail::OutboxWorker::new(&state, mailer, sender);
        let leases = worker.leases();
        actix_web::rt::spawn(worker.run());
        eprintln!(
            "{}",
            tr(
                ctx.lang,
                format!("Madoguchi を http://{address}/ で提供しています。"),
                format!("Madoguchi is serving on http://{address}/")
            )
        );
        tracing::info!(%address, "serving");
        if !state.passkeys.available() {
            tracing::warn!(
                public_url = %ctx.config.public_url,
                "passkeys are off: MADOGUCHI_PUBLIC_URL must name a domain (browsers take no IP address as a passkey's site)"
            );
        }
        if let Some(metrics) = metrics_listener {
            match madoguchi_api::metrics::install() {
                Some(handle) => {
                    actix_web::rt::spawn(madoguchi_api::metrics::serve(
                        metrics,
                        handle,
                        state.clone(),
                    ));
                }
                None => tracing::warn!("metrics recorder already installed; /metrics not served"),
            }
        }
        let served = madoguchi_api::serve(listener, state).await;
        // Stopped (SIGTERM, SIGINT): requests in flight are finished; the e-mails this server
        // claimed and did not send are given back for the next one.
        match leases.release() {
            Ok(0) => {}
            Ok(n) => tracing::info!(released = n, "outbox leases given back"),
            Err(e) => tracing::warn!(error = %e, "outbox leases not given back; they expire"),
        }
        served.map_err(|e| {
            ctx.fail(
                format!("サーバーが停止しました: {e}"),
                format!("the server stopped: {e}"),
            )
        })
    })
}
