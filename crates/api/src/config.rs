//! What the API needs of the configuration (DESIGN §5); the binary reads the environment.

use std::net::IpAddr;

#[derive(Clone)]
pub struct ApiConfig {
    /// Base of the links in e-mails, e.g. `https://portal.example.jp`.
    pub public_url: String,
    /// HS256 key of the session tokens (at least 32 bytes in production).
    pub jwt_secret: Vec<u8>,
    /// Secure cookies and HSTS.
    pub production: bool,
    /// Reverse proxies whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Vec<IpAddr>,
    /// Host name used in Message-IDs.
    pub mail_domain: String,
}

impl ApiConfig {
    /// The origin of the public URL (`https://portal.example.jp`, no path, no default port),
    /// as browsers send it in `Origin` and as tokens name their issuer.
    pub fn public_origin(&self) -> String {
        match url::Url::parse(&self.public_url) {
            Ok(url) => url.origin().ascii_serialization(),
            Err(_) => self.public_url.trim_end_matches('/').to_owned(),
        }
    }
}

impl std::fmt::Debug for ApiConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApiConfig")
            .field("public_url", &self.public_url)
            .field("jwt_secret", &"***")
            .field("production", &self.production)
            .field("trusted_proxies", &self.trusted_proxies)
            .finish_non_exhaustive()
    }
}
