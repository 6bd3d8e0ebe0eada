//! Parsing `MADOGUCHI_MAIL` (the SMTP URL) and `MADOGUCHI_MAIL_FROM` (DESIGN §5). Errors
//! quote only the parts of the URL that cannot hold the password (port, path, option name).

use std::path::PathBuf;

use lettre::address::AddressError;
use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, Tokio1Executor};

use super::transport::{Mailer, SMTP_TIMEOUT};

/// A refused `MADOGUCHI_MAIL` or `MADOGUCHI_MAIL_FROM`. Variants quote only the parts of the
/// URL that cannot hold the password (port, path, option name).
#[derive(Debug, thiserror::Error)]
pub enum MailConfigError {
    #[error("MADOGUCHI_MAIL must be file://DIR, smtp://[user:pass@]host:port or smtps://host:port")]
    UnknownScheme,
    #[error("MADOGUCHI_MAIL: file:// needs a folder, e.g. file://./var/mail")]
    MissingFolder,
    #[error("MADOGUCHI_MAIL: cannot create the mail folder {dir}: {source}")]
    CreateFolder {
        dir: PathBuf,
        source: std::io::Error,
    },
    #[error("MADOGUCHI_MAIL: the SMTP host is missing, e.g. smtp://mail.example.jp:587")]
    MissingHost,
    #[error("MADOGUCHI_MAIL: give the SMTP port, e.g. smtp://mail.example.jp:587")]
    MissingPort,
    #[error("MADOGUCHI_MAIL: the port must be a number from 1 to 65535 (got {port:?})")]
    BadPort { port: String },
    #[error("MADOGUCHI_MAIL: a user name needs a password (smtp://user:password@host:port)")]
    UserWithoutPassword,
    #[error("MADOGUCHI_MAIL: the user name or password is not valid percent-encoding")]
    BadPercentEncoding,
    #[error("MADOGUCHI_MAIL: unknown option {option:?}; the only one is tls=required, on smtp://")]
    UnknownOption { option: String },
    #[error("MADOGUCHI_MAIL: nothing may follow host:port (got path {path:?})")]
    UnexpectedPath { path: String },
    #[error("MADOGUCHI_MAIL: cannot set up TLS for {host}: {source}")]
    Tls {
        host: String,
        source: lettre::transport::smtp::Error,
    },
    /// lettre's connection pool starts its clean-up task as the transport is built.
    #[error("MADOGUCHI_MAIL: the SMTP transport must be built inside the async runtime")]
    NoRuntime,
    #[error(
        "MADOGUCHI_MAIL_FROM must be a sender such as `Madoguchi <no-reply@example.jp>` (got {value:?}): {source}"
    )]
    BadSender { value: String, source: AddressError },
}

/// How the SMTP connection is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Security {
    /// STARTTLS when the server offers it: a plain relay on a private network still works.
    Opportunistic,
    /// `?tls=required`: refuse to send in clear text.
    Required,
    /// `smtps://`: TLS from the first byte.
    Implicit,
}

pub(super) struct SmtpUrl {
    host: String,
    port: u16,
    credentials: Option<(String, String)>,
    security: Security,
}

impl SmtpUrl {
    /// `rest` is the URL after `smtp://` or `smtps://`.
    pub(super) fn parse(rest: &str, security: Security) -> Result<Self, MailConfigError> {
        // The last '@' ends the user part, so an unencoded '@', '/' or '?' in a password
        // still parses (and never reaches an error message).
        let (userinfo, rest) = match rest.rfind('@') {
            Some(at) => (Some(&rest[..at]), &rest[at + 1..]),
            None => (None, rest),
        };
        let (rest, query) = rest.split_once('?').unwrap_or((rest, ""));
        let (hostport, path) = rest.split_once('/').unwrap_or((rest, ""));
        if !path.is_empty() {
            return Err(MailConfigError::UnexpectedPath { path: path.into() });
        }
        let (host, port) = split_host_port(hostport)?;
        let credentials = match userinfo {
            None => None,
            Some(info) => match info.split_once(':') {
                Some((user, pass)) => Some((percent_decode(user)?, percent_decode(pass)?)),
                None => return Err(MailConfigError::UserWithoutPassword),
            },
        };
        let mut smtp = Self {
            host: host.to_owned(),
            port,
            credentials,
            security,
        };
        // An unknown option is refused, never ignored: `tsl=required` must not silently
        // send in clear text.
        for option in query.split('&').filter(|o| !o.is_empty()) {
            match (option, security) {
                ("tls=required", Security::Opportunistic) => smtp.security = Security::Required,
                _ => {
                    let name = option.split('=').next().unwrap_or_default();
                    return Err(MailConfigError::UnknownOption {
                        option: name.to_owned(),
                    });
                }
            }
        }
        Ok(smtp)
    }

    pub(super) fn build(self) -> Result<Mailer, MailConfigError> {
        if tokio::runtime::Handle::try_current().is_err() {
            return Err(MailConfigError::NoRuntime);
        }
        let params =
            TlsParameters::new(self.host.clone()).map_err(|source| MailConfigError::Tls {
                host: self.host.clone(),
                source,
            })?;
        let tls = match self.security {
            Security::Opportunistic => Tls::Opportunistic(params),
            Security::Required => Tls::Required(params),
            Security::Implicit => Tls::Wrapper(params),
        };
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&self.host)
            .port(self.port)
            .tls(tls)
            .timeout(Some(SMTP_TIMEOUT));
        if let Some((user, pass)) = self.credentials {
            builder = builder.credentials(Credentials::new(user, pass));
        }
        Ok(Mailer::Smtp(builder.build()))
    }
}

/// `host:port` or `[v6]:port`.
fn split_host_port(hostport: &str) -> Result<(&str, u16), MailConfigError> {
    let (host, port) = match hostport.strip_prefix('[') {
        Some(v6) => {
            let (host, after) = v6.split_once(']').ok_or(MailConfigError::MissingHost)?;
            (host, after.strip_prefix(':'))
        }
        None => match hostport.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (hostport, None),
        },
    };
    if host.is_empty() {
        return Err(MailConfigError::MissingHost);
    }
    let port = port.ok_or(MailConfigError::MissingPort)?;
    match port.parse::<u16>() {
        Ok(p) if p > 0 && port.bytes().all(|b| b.is_ascii_digit()) => Ok((host, p)),
        _ => Err(MailConfigError::BadPort { port: port.into() }),
    }
}

fn percent_decode(raw: &str) -> Result<String, MailConfigError> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes
                .get(i + 1..i + 3)
                .filter(|h| h.iter().all(u8::is_ascii_hexdigit))
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or(MailConfigError::BadPercentEncoding)?;
            out.push(hex);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| MailConfigError::BadPercentEncoding)
}

/// Parses `MADOGUCHI_MAIL_FROM`, e.g. `Madoguchi <no-reply@example.jp>`; a Japanese display
/// name is allowed (lettre encodes it).
pub fn parse_sender(raw: &str) -> Result<Mailbox, MailConfigError> {
    raw.trim()
        .parse()
        .map_err(|source| MailConfigError::BadSender {
            value: raw.to_owned(),
            source,
        })
}

/// `MADOGUCHI_MAIL` with any password replaced by `***`, for the start-up log.
pub fn redact_url(url: &str) -> String {
    match (url.split_once("://"), url.rfind('@')) {
        (Some((scheme @ ("smtp" | "smtps"), rest)), Some(at)) if at > scheme.len() + 3 => {
            let userinfo = &rest[..at - scheme.len() - 3];
            let user = userinfo.split_once(':').map_or(userinfo, |(u, _)| u);
            format!("{scheme}://{user}:***@{}", &url[at + 1..])
        }
        _ => url.to_owned(),
    }
}
