//! One module per command group; `run` dispatches the parsed command line.

mod account;
mod audit;
mod backup;
pub mod credentials;
mod maintenance;
pub mod medical;
mod members;
pub mod notices;
pub mod serve;
mod tenant;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use madoguchi_domain::Lang;
use madoguchi_domain::calendar;
use madoguchi_domain::insurer_number::InsurerNumber;
use madoguchi_persistence::tenants::{self, Tenant};
use madoguchi_persistence::{Conn, Pool, StoreError};

use crate::args::{Cli, Command};
use crate::config::Config;
use crate::output::{Failure, Outcome};

/// What every command gets: the configuration and the operator's language.
pub struct Ctx {
    pub config: Config,
    pub lang: Lang,
}

impl Ctx {
    /// A pool on the configured database, failing with the database's own message.
    pub fn pool(&self, size: u32) -> Result<Pool, Failure> {
        madoguchi_persistence::pool(&self.config.database_url, size).map_err(|e| self.store(&e))
    }

    /// One connection with the schema brought up to date.
    pub fn conn(&self) -> Result<(Pool, madoguchi_persistence::db::PooledConn), Failure> {
        let pool = self.pool(2)?;
        let mut conn = pool.get().map_err(|e| self.store(&e.into()))?;
        madoguchi_persistence::migrate(&mut conn).map_err(|e| self.store(&e))?;
        Ok((pool, conn))
    }

    pub fn store(&self, e: &StoreError) -> Failure {
        Failure::store(self.lang, e)
    }

    pub fn fail(&self, ja: impl Into<String>, en: impl Into<String>) -> Failure {
        Failure::new(self.lang, ja, en)
    }

    /// The tenant named by `--tenant`, or a message saying how to add it.
    pub fn tenant(&self, conn: &mut Conn, insurer_number: &str) -> Result<Tenant, Failure> {
        self.tenant_named_by(conn, "--tenant", insurer_number)
    }

    /// The tenant whose insurer number was given with `flag`, or a message saying how to add it.
    pub fn tenant_named_by(
        &self,
        conn: &mut Conn,
        flag: &str,
        insurer_number: &str,
    ) -> Result<Tenant, Failure> {
        let number = InsurerNumber::parse(insurer_number).map_err(|e| {
            self.fail(
                format!("{flag}: {}", e.message(Lang::Ja)),
                format!("{flag}: {}", e.message(Lang::En)),
            )
        })?;
        tenants::find_by_insurer_number(conn, number.as_str()).map_err(|e| self.store(&e))?.ok_or_else(|| {
            self.fail(
                format!("保険者番号 {} のテナントはありません（madoguchi tenant add で追加してください）。", number.as_str()),
                format!("no tenant has insurer number {} (add it with madoguchi tenant add).", number.as_str()),
            )
        })
    }

    /// Parses `YYYY-MM-DD` (midnight JST) or a full time with an offset.
    pub fn parse_since(&self, flag: &str, raw: &str) -> Result<DateTime<Utc>, Failure> {
        let raw = raw.trim();
        if let Ok(date) = NaiveDate::parse_from_str(raw, "%Y-%m-%d")
            && let Some(t) = date
                .and_hms_opt(0, 0, 0)
                .and_then(|t| calendar::Tokyo.from_local_datetime(&t).single())
        {
            return Ok(t.with_timezone(&Utc));
        }
        calendar::parse_time(raw).map(|t| t.with_timezone(&Utc)).map_err(|_| {
            self.fail(
                format!("{flag}: 日付は YYYY-MM-DD か YYYY-MM-DDTHH:MM+09:00 の形で指定してください（{raw}）。"),
                format!("{flag}: give a date as YYYY-MM-DD or YYYY-MM-DDTHH:MM+09:00 (got {raw})."),
            )
        })
    }
}

/// Who ran an operator command, for the audit trail: `operator:<OS user>@<host>`.
pub fn operator() -> String {
    // $USER names who logged in (also through sudo's SUDO_USER); the uid's name is the fallback.
    let user = ["SUDO_USER", "USER", "LOGNAME"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|s| !s.is_empty()))
        .or_else(|| whoami::username().ok())
        .unwrap_or_else(|| "unknown".into());
    let host = hostname::get()
        .map(|h| h.to_string_lossy().into_owned())
        .unwrap_or_else(|_| "unknown".into());
    format!("operator:{user}@{host}")
}

pub fn run(cli: Cli, ctx: &Ctx) -> Outcome {
    match cli.command {
        Command::Serve { demo } => serve::run(ctx, demo),
        Command::Migrate => serve::migrate(ctx),
        Command::Tenant(cmd) => tenant::run(ctx, cmd),
        Command::Members(cmd) => members::run(ctx, cmd),
        Command::Credentials(cmd) => credentials::run(ctx, cmd),
        Command::Account(cmd) => account::run(ctx, cmd),
        Command::Audit {
            tenant,
            member,
            since,
            json,
        } => audit::run(ctx, &tenant, member.as_deref(), since.as_deref(), json),
        Command::Maintenance(cmd) => maintenance::run(ctx, cmd),
        Command::Notices(cmd) => notices::run(ctx, cmd),
        Command::MedicalExpenses(cmd) => medical::run(ctx, cmd),
        Command::Backup { out } => backup::run(ctx, &out),
        Command::Openapi => {
            let yaml = madoguchi_api::openapi().to_yaml().map_err(|e| {
                ctx.fail(
                    format!("OpenAPI 文書を作れません: {e}"),
                    format!("cannot write the OpenAPI document: {e}"),
                )
            })?;
            print!("{yaml}");
            Ok(())
        }
    }
}
