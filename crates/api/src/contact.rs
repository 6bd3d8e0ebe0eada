//! The kenpo's help desk as the API shows it (`GET /me`, `GET /session`, a 423 where the
//! tenant is known).

use madoguchi_domain::contact::Contact;
use serde::Serialize;
use utoipa::ToSchema;

/// 問い合わせ先: what the kenpo set with `tenant set --contact-*`; null for a part not set.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
#[schema(example = json!({"name": "日本電気健康保険組合 業務課", "phone": "03-1234-5678",
    "hours": "平日 9:00〜17:00", "url": "https://kenpo.example.jp/contact"}))]
pub struct ContactView {
    pub name: Option<String>,
    pub phone: Option<String>,
    pub hours: Option<String>,
    pub url: Option<String>,
}

impl ContactView {
    /// The contact, or `None` when the kenpo set nothing.
    pub fn of(contact: &Contact) -> Option<Self> {
        (!contact.is_empty()).then(|| Self {
            name: contact.name.clone(),
            phone: contact.phone.clone(),
            hours: contact.hours.clone(),
            url: contact.url.clone(),
        })
    }
}
