//! Configuration from the environment (`MADOGUCHI_` prefix, DESIGN §5), shared by the server
//! and every operator command. A `.env` file in the working directory is read first.

use std::env;

#[derive(Clone)]
pub struct Config {
    pub database_url: String,
    pub bind: String,
    pub public_url: String,
    pub mail: String,
    pub mail_from: String,
    pub env: Environment,
    pub log: String,
    /// `MADOGUCHI_JWT_SECRET`, if set.
    pub jwt_secret: Option<String>,
    /// `MADOGUCHI_TRUSTED_PROXIES`, comma-separated.
    pub trusted_proxies: String,
    /// `MADOGUCHI_METRICS_BIND`: where Prometheus reads `/metrics`; empty for none.
    pub metrics_bind: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Environment {
    Development,
    Production,
}

pub const DEFAULT_DATABASE_URL: &str = "sqlite://./var/madoguchi.db";

impl Config {
    pub fn from_env() -> Self {
        // A missing .env is the normal case; a malformed one is reported by the value it breaks.
        let _ = dotenvy::dotenv();
        let var = |name: &str, default: &str| {
            env::var(format!("MADOGUCHI_{name}"))
                .ok()
                .filter(|v| !v.trim().is_empty())
                .unwrap_or_else(|| default.to_owned())
        };
        Self {
            database_url: var("DATABASE_URL", DEFAULT_DATABASE_URL),
            bind: var("BIND", "127.0.0.1:8080"),
            public_url: var("PUBLIC_URL", "http://localhost:8080"),
            mail: var("MAIL", "file://./var/mail"),
            mail_from: var("MAIL_FROM", "Madoguchi <no-reply@localhost>"),
            env: if var("ENV", "development").eq_ignore_ascii_case("production") {
                Environment::Production
            } else {
                Environment::Development
            },
            log: var("LOG", "info"),
            jwt_secret: env::var("MADOGUCHI_JWT_SECRET")
                .ok()
                .filter(|v| !v.is_empty()),
            trusted_proxies: var("TRUSTED_PROXIES", ""),
            metrics_bind: var("METRICS_BIND", ""),
        }
    }
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field(
                "database_url",
                &madoguchi_persistence::db::redact_url(&self.database_url),
            )
            .field("bind", &self.bind)
            .field("public_url", &self.public_url)
            .field("env", &self.env)
            .field("jwt_secret", &self.jwt_secret.as_ref().map(|_| "***"))
            .finish_non_exhaustive()
    }
}
