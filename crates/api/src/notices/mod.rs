//! `/me/notices`: お知らせ, the kenpo's notices to its members (DESIGN §10, ADR 0021).

mod list;
mod show;

pub use list::*;
pub use show::*;

use chrono::{DateTime, FixedOffset};
use madoguchi_domain::calendar;
use madoguchi_persistence::notices::Seen;
use serde::Serialize;
use utoipa::ToSchema;

/// A notice in the member's list.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "01938a6e-7c1f-7b3e-9d2a-5f0c1e2d3a4b", "title": "年末年始の窓口休業について",
    "published_at": "2026-12-01T09:00:00+09:00", "important": true, "read": false}))]
pub struct NoticeSummary {
    pub id: String,
    /// Plain text, one line.
    pub title: String,
    #[schema(value_type = String, format = DateTime)]
    pub published_at: DateTime<FixedOffset>,
    /// 重要: the kenpo marked it important.
    pub important: bool,
    /// Whether this account has opened it (the household shares one account).
    pub read: bool,
}

impl From<Seen> for NoticeSummary {
    fn from(s: Seen) -> Self {
        Self {
            id: s.id,
            title: s.title,
            published_at: s
                .published_at
                .with_timezone(&calendar::Tokyo)
                .fixed_offset(),
            important: s.important,
            read: s.read,
        }
    }
}

/// A notice with its body.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "01938a6e-7c1f-7b3e-9d2a-5f0c1e2d3a4b", "title": "年末年始の窓口休業について",
    "published_at": "2026-12-01T09:00:00+09:00", "important": true, "read": true,
    "body": "12月29日から1月3日まで窓口を休業します。\n詳しくは https://example.jp/ をご覧ください。"}))]
pub struct NoticeDetail {
    pub id: String,
    pub title: String,
    #[schema(value_type = String, format = DateTime)]
    pub published_at: DateTime<FixedOffset>,
    pub important: bool,
    /// Always true: opening a notice marks it read.
    pub read: bool,
    /// Plain text with `\n` line breaks, never HTML; clients may turn URLs into links.
    pub body: String,
}
