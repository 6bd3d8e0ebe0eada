//! `madoguchi backup --out FILE`: a consistent copy of the SQLite database while servers run
//! (DESIGN §11). The file is the owner's alone (0600, an existing one is never overwritten);
//! restoring is stopping the servers and putting the copy in the database's place. PostgreSQL
//! is copied with its own `pg_dump`.

use std::path::Path;

use super::Ctx;
use crate::output::{Outcome, tr};

pub fn run(ctx: &Ctx, out: &Path) -> Outcome {
    let (_pool, mut conn) = ctx.conn()?;
    if !matches!(**conn, madoguchi_persistence::Conn::Sqlite(_)) {
        return Err(ctx.fail(
            "PostgreSQL のバックアップには pg_dump を使ってください（例: pg_dump -Fc -f madoguchi.dump \"$MADOGUCHI_DATABASE_URL\"）。",
            "back up PostgreSQL with pg_dump (e.g. pg_dump -Fc -f madoguchi.dump \"$MADOGUCHI_DATABASE_URL\").",
        ));
    }
    drop(crate::csv_files::create_private(out, ctx.lang)?);
    let copied = madoguchi_persistence::db::backup_sqlite(&mut conn, out);
    if let Err(e) = copied {
        // A half-written copy must not pass for a backup.
        let _ = std::fs::remove_file(out);
        return Err(ctx.store(&e));
    }
    let size = std::fs::metadata(out).map_or(0, |m| m.len());
    println!(
        "{}",
        tr(
            ctx.lang,
            format!(
                "{} にバックアップしました（{size} バイト）。",
                out.display()
            ),
            format!("backed up to {} ({size} bytes).", out.display()),
        )
    );
    Ok(())
}
