//! E-mail: the messages, and putting them into the outbox in the caller's transaction.

pub mod settings;
pub mod templates;
pub mod transport;

use chrono::{DateTime, Utc};
use madoguchi_persistence::outbox::{self, NewEmail};
use madoguchi_persistence::tenants::Tenant;
use madoguchi_persistence::{Conn, StoreError};

pub use crate::background::outbox::OutboxWorker;
pub use settings::{MailConfigError, parse_sender, redact_url};
pub use templates::Message;
pub use transport::Mailer;

/// Queues `message` from `tenant` in the current transaction, signed with the tenant's
/// contact when it set one (every e-mail ends with the kenpo's help desk).
pub fn enqueue(
    conn: &mut Conn,
    message: &Message,
    tenant: &Tenant,
    domain: &str,
    now: DateTime<Utc>,
) -> Result<String, StoreError> {
    let message = templates::signed(message, &tenant.contact);
    outbox::enqueue(
        conn,
        &NewEmail {
            kind: message.kind,
            recipient: &message.recipient,
            subject: &message.subject,
            body_text: &message.text,
            body_html: Some(&message.html),
        },
        domain,
        now,
    )
}
