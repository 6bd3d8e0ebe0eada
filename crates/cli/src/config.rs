//! Configuration from the environment (`MADOGUCHI_` prefix, DESIGN §5), shared by the server
//! and every operator command. A `.env` file in the working directory is read first.

use std::env;

#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: String,
    pub bind: String,
    pub public_url: String,
    pub mail: String,
    pub mail_from: String,
    pub env: Environment,
    pub log: String,
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
            public_url: var("PUBLIC_URL", "http://127.0.0.1:8080"),
            mail: var("MAIL", "file://./var/mail"),
            mail_from: var("MAIL_FROM", "Madoguchi <no-reply@localhost>"),
            env: if var("ENV", "development").eq_ignore_ascii_case("production") {
                Environment::Production
            } else {
                Environment::Development
            },
            log: var("LOG", "info"),
        }
    }
}
