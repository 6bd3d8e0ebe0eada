//! The API's configuration from the operator's: the token key and the trusted proxies.
//!
//! Outside production a missing `MADOGUCHI_JWT_SECRET` is generated once into
//! `./var/jwt-secret` (mode 0600) with a warning, so `make run` needs no set-up; production
//! refuses to start without a secret of at least 32 bytes.

use std::io::Write;
use std::net::IpAddr;
use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use madoguchi_api::config::ApiConfig;
use rand::RngCore;

use crate::commands::Ctx;
use crate::config::Environment;
use crate::output::Failure;

const SECRET_FILE: &str = "./var/jwt-secret";
pub const MIN_SECRET_BYTES: usize = 32;

pub fn api_config(ctx: &Ctx) -> Result<ApiConfig, Failure> {
    let production = ctx.config.env == Environment::Production;
    let jwt_secret = match &ctx.config.jwt_secret {
        Some(s) if s.len() >= MIN_SECRET_BYTES => s.as_bytes().to_vec(),
        Some(_) if production => {
            return Err(ctx.fail(
                format!("MADOGUCHI_JWT_SECRET は {MIN_SECRET_BYTES} バイト以上にしてください（本番環境）。"),
                format!("MADOGUCHI_JWT_SECRET must be at least {MIN_SECRET_BYTES} bytes in production."),
            ));
        }
        None if production => {
            return Err(ctx.fail(
                "本番環境（MADOGUCHI_ENV=production）では MADOGUCHI_JWT_SECRET が必要です。",
                "MADOGUCHI_JWT_SECRET is required when MADOGUCHI_ENV=production.",
            ));
        }
        _ => development_secret(ctx)?,
    };
    let mut trusted_proxies = Vec::new();
    for raw in ctx
        .config
        .trusted_proxies
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        let ip: IpAddr = raw.parse().map_err(|_| {
            ctx.fail(
                format!("MADOGUCHI_TRUSTED_PROXIES の {raw} は IP アドレスではありません。"),
                format!("MADOGUCHI_TRUSTED_PROXIES: {raw} is not an IP address."),
            )
        })?;
        trusted_proxies.push(ip);
    }
    let mail_domain = mail_domain(ctx);
    Ok(ApiConfig {
        public_url: ctx.config.public_url.clone(),
        jwt_secret,
        production,
        trusted_proxies,
        mail_domain,
    })
}

/// The domain of the outbox's message IDs: the public URL's host.
pub fn mail_domain(ctx: &Ctx) -> String {
    ctx.config
        .public_url
        .split("://")
        .nth(1)
        .and_then(|rest| rest.split(['/', ':']).next())
        .filter(|h| !h.is_empty())
        .unwrap_or("localhost")
        .to_owned()
}

fn development_secret(ctx: &Ctx) -> Result<Vec<u8>, Failure> {
    let path = Path::new(SECRET_FILE);
    if let Ok(existing) = std::fs::read_to_string(path)
        && existing.trim().len() >= MIN_SECRET_BYTES
    {
        return Ok(existing.trim().as_bytes().to_vec());
    }
    let mut bytes = [0_u8; 48];
    rand::rng().fill_bytes(&mut bytes);
    let secret = URL_SAFE_NO_PAD.encode(bytes);
    let write = || -> std::io::Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        options.open(path)?.write_all(secret.as_bytes())
    };
    write().map_err(|e| {
        ctx.fail(
            format!("{SECRET_FILE} を書けません: {e}"),
            format!("cannot write {SECRET_FILE}: {e}"),
        )
    })?;
    tracing::warn!(
        file = SECRET_FILE,
        "MADOGUCHI_JWT_SECRET is not set: generated a development secret (set it in production)"
    );
    Ok(secret.into_bytes())
}
