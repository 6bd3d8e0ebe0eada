//! Where outgoing e-mail goes (DESIGN §5, `MADOGUCHI_MAIL`): `.eml` files in a folder, for
//! development and the tests, or an SMTP server. Both are parsed once at start-up, so a typo
//! stops the server instead of failing every message later, and the SMTP password never
//! appears in an error, a log line or `Debug` output.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use chrono::{DateTime, Utc};
use lettre::address::AddressError;
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::{Address, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use madoguchi_persistence::outbox::QueuedEmail;

use super::settings::{MailConfigError, Security, SmtpUrl};

/// An SMTP exchange slower than this is abandoned and retried. Well inside the 60 s claim
/// lease, so a stalled server does not let a second Madoguchi claim and send the same message.
pub(super) const SMTP_TIMEOUT: Duration = Duration::from_secs(20);

/// The configured transport.
pub enum Mailer {
    /// One `<outbox id>.eml` file per message: a retry replaces the file, never adds one.
    File(PathBuf),
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
}

/// Why one message was not delivered; the text goes to the outbox row and the log.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    #[error("the recipient is not a valid address: {0}")]
    Recipient(AddressError),
    #[error("cannot build the message: {0}")]
    Build(#[from] lettre::error::Error),
    #[error("SMTP: {0}")]
    Smtp(#[from] lettre::transport::smtp::Error),
    #[error("cannot write the .eml file: {0}")]
    File(#[from] std::io::Error),
    /// Outbox ids are UUIDs; anything else must not become a path.
    #[error("outbox id {0:?} is not usable as a file name")]
    UnsafeId(String),
}

impl Mailer {
    /// Parses `MADOGUCHI_MAIL` and creates the folder of `file://`. An SMTP URL must be
    /// parsed inside the tokio runtime (see [`MailConfigError::NoRuntime`]).
    pub fn from_url(url: &str) -> Result<Self, MailConfigError> {
        let url = url.trim();
        if let Some(dir) = url.strip_prefix("file://") {
            if dir.is_empty() {
                return Err(MailConfigError::MissingFolder);
            }
            let dir = PathBuf::from(dir);
            std::fs::create_dir_all(&dir).map_err(|source| MailConfigError::CreateFolder {
                dir: dir.clone(),
                source,
            })?;
            return Ok(Self::File(dir));
        }
        let smtp = if let Some(rest) = url.strip_prefix("smtps://") {
            SmtpUrl::parse(rest, Security::Implicit)?
        } else if let Some(rest) = url.strip_prefix("smtp://") {
            SmtpUrl::parse(rest, Security::Opportunistic)?
        } else {
            return Err(MailConfigError::UnknownScheme);
        };
        smtp.build()
    }

    /// Delivers one outbox message, stamped with `now` as its Date.
    pub async fn send(
        &self,
        from: &Mailbox,
        email: &QueuedEmail,
        now: DateTime<Utc>,
    ) -> Result<(), SendError> {
        let message = build_message(from, email, now)?;
        match self {
            Self::File(dir) => write_eml(dir, &email.id, message.formatted()).await,
            Self::Smtp(transport) => transport.send(message).await.map(drop).map_err(Into::into),
        }
    }
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::File(dir) => f.debug_tuple("Mailer::File").field(dir).finish(),
            Self::Smtp(_) => f.write_str("Mailer::Smtp(..)"),
        }
    }
}

/// The lettre message of an outbox row. The Message-ID is the row's, so a message sent twice
/// (at-least-once delivery) is recognisably one message.
pub fn build_message(
    from: &Mailbox,
    email: &QueuedEmail,
    now: DateTime<Utc>,
) -> Result<Message, SendError> {
    let to: Address = email.recipient.parse().map_err(SendError::Recipient)?;
    let builder = Message::builder()
        .from(from.clone())
        .to(Mailbox::new(None, to))
        .subject(email.subject.clone())
        .message_id(Some(email.message_id.clone()))
        .date(SystemTime::from(now));
    let message = match &email.body_html {
        Some(html) => builder.multipart(MultiPart::alternative_plain_html(
            email.body_text.clone(),
            html.clone(),
        )),
        None => builder.singlepart(SinglePart::plain(email.body_text.clone())),
    }?;
    Ok(message)
}

/// Writes through a unique temporary file and a rename, so a reader (the tests, an operator)
/// never sees half a message and a retry replaces the earlier file whole.
async fn write_eml(dir: &Path, id: &str, bytes: Vec<u8>) -> Result<(), SendError> {
    if id.is_empty() || !id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        return Err(SendError::UnsafeId(id.to_owned()));
    }
    let path = dir.join(format!("{id}.eml"));
    let tmp = dir.join(format!(".{id}.{}.tmp", uuid::Uuid::new_v4().simple()));
    tokio::task::spawn_blocking(move || {
        // 0600: a message may carry a temporary password or a verification link.
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        std::io::Write::write_all(&mut options.open(&tmp)?, &bytes)?;
        std::fs::rename(&tmp, &path).inspect_err(|_| {
            let _ = std::fs::remove_file(&tmp);
        })
    })
    .await
    .map_err(|e| std::io::Error::other(e.to_string()))??;
    Ok(())
}
