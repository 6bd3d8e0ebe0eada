//! お知らせ (notices, DESIGN §10, ADR 0021): what a kenpo posts to its members. The title is
//! typed by an operator, so it is NFKC-normalised and trimmed like every other input; the
//! body is the kenpo's own prose, kept as written apart from its line endings (CRLF and CR
//! become LF) and the blank lines around it. Both are plain text, never HTML.
//!
//! A notice is visible to its tenant's members from `publish_at` until it is withdrawn;
//! [`Visibility`] is that rule, with `now` as a parameter.

use chrono::{DateTime, Utc};

use crate::error::Lang;
use crate::normalize::normalize;

/// The longest title, in characters (a phone's list shows about two lines of it).
pub const TITLE_MAX: usize = 100;
/// The longest body, in characters.
pub const BODY_MAX: usize = 20_000;

/// Why a title or a body was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message(Lang::Ja))]
pub enum NoticeError {
    TitleRequired,
    TitleTooLong {
        max: usize,
    },
    /// A control character (a tab or a line break included): a title is one line.
    TitleCharacters,
    BodyRequired,
    BodyTooLong {
        max: usize,
    },
}

impl NoticeError {
    /// The message, naming the field and how to fix it.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (Self::TitleRequired, Lang::Ja) => "タイトルを入力してください。".into(),
            (Self::TitleRequired, Lang::En) => "Enter a title.".into(),
            (Self::TitleTooLong { max }, Lang::Ja) => {
                format!("タイトルは {max} 文字以内で入力してください。")
            }
            (Self::TitleTooLong { max }, Lang::En) => {
                format!("The title must be at most {max} characters.")
            }
            (Self::TitleCharacters, Lang::Ja) => {
                "タイトルは改行やタブを含まない 1 行で入力してください。".into()
            }
            (Self::TitleCharacters, Lang::En) => {
                "The title must be one line, without line breaks or tabs.".into()
            }
            (Self::BodyRequired, Lang::Ja) => "本文ファイルが空です。本文を書いてください。".into(),
            (Self::BodyRequired, Lang::En) => "The body file is empty; write the body.".into(),
            (Self::BodyTooLong { max }, Lang::Ja) => {
                format!("本文は {max} 文字以内にしてください。")
            }
            (Self::BodyTooLong { max }, Lang::En) => {
                format!("The body must be at most {max} characters.")
            }
        }
    }
}

/// A notice's title: NFKC, trimmed, one line of 1–[`TITLE_MAX`] characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeTitle(String);

impl NoticeTitle {
    pub fn parse(raw: &str) -> Result<Self, NoticeError> {
        let title = normalize(raw);
        if title.is_empty() {
            return Err(NoticeError::TitleRequired);
        }
        if title.chars().any(char::is_control) {
            return Err(NoticeError::TitleCharacters);
        }
        if title.chars().count() > TITLE_MAX {
            return Err(NoticeError::TitleTooLong { max: TITLE_MAX });
        }
        Ok(Self(title))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A notice's body: plain text as the kenpo wrote it, with LF line endings, without the
/// blank lines (and trailing spaces) at its ends; a leading BOM is dropped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeBody(String);

impl NoticeBody {
    pub fn parse(raw: &str) -> Result<Self, NoticeError> {
        let unified = raw
            .strip_prefix('\u{feff}')
            .unwrap_or(raw)
            .replace("\r\n", "\n")
            .replace('\r', "\n");
        // Leading blank lines go, the first line's indentation stays.
        let start = unified
            .char_indices()
            .take_while(|(_, c)| c.is_whitespace())
            .filter(|(_, c)| *c == '\n')
            .last()
            .map_or(0, |(i, _)| i + 1);
        let body = unified[start..].trim_end();
        if body.trim().is_empty() {
            return Err(NoticeError::BodyRequired);
        }
        if body.chars().count() > BODY_MAX {
            return Err(NoticeError::BodyTooLong { max: BODY_MAX });
        }
        Ok(Self(body.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Where a notice stands for members at `now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visibility {
    /// `publish_at` is still to come: members do not see it and nobody was mailed.
    Scheduled,
    /// Members see it.
    Published,
    /// Taken down by the operator: members no longer see it.
    Withdrawn,
}

impl Visibility {
    pub fn at(
        publish_at: DateTime<Utc>,
        withdrawn_at: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Self {
        match withdrawn_at {
            Some(w) if w <= now => Self::Withdrawn,
            _ if publish_at > now => Self::Scheduled,
            _ => Self::Published,
        }
    }

    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Scheduled => "scheduled",
            Self::Published => "published",
            Self::Withdrawn => "withdrawn",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;
    use proptest::prelude::*;

    #[test]
    fn titles_are_folded_and_trimmed() {
        let t = NoticeTitle::parse("\u{3000}ＷＥＢ明細の公開について ").unwrap();
        assert_eq!(t.as_str(), "WEB明細の公開について");
        assert_eq!(
            NoticeTitle::parse(" \u{3000}"),
            Err(NoticeError::TitleRequired)
        );
        assert_eq!(
            NoticeTitle::parse("一行目\n二行目"),
            Err(NoticeError::TitleCharacters)
        );
        assert_eq!(
            NoticeTitle::parse(&"あ".repeat(101)),
            Err(NoticeError::TitleTooLong { max: 100 })
        );
        assert!(NoticeTitle::parse(&"あ".repeat(100)).is_ok());
    }

    #[test]
    fn bodies_keep_their_text_and_lose_only_carriage_returns_and_outer_blank_lines() {
        let b =
            NoticeBody::parse("\u{feff}\r\n\r\n  字下げ\r\n１２３  https://example.jp/a\r\n\r\n")
                .unwrap();
        assert_eq!(b.as_str(), "  字下げ\n１２３  https://example.jp/a");
        assert_eq!(NoticeBody::parse("a\rb").unwrap().as_str(), "a\nb");
        assert_eq!(
            NoticeBody::parse("\n \r\n\t"),
            Err(NoticeError::BodyRequired)
        );
        assert_eq!(
            NoticeBody::parse(&"x".repeat(BODY_MAX + 1)),
            Err(NoticeError::BodyTooLong { max: BODY_MAX })
        );
    }

    #[test]
    fn a_notice_is_seen_from_its_time_until_it_is_withdrawn() {
        let now = Utc::now();
        let hour = Duration::hours(1);
        assert_eq!(Visibility::at(now + hour, None, now), Visibility::Scheduled);
        assert_eq!(Visibility::at(now, None, now), Visibility::Published);
        assert_eq!(
            Visibility::at(now + hour, Some(now), now),
            Visibility::Withdrawn
        );
        assert_eq!(
            Visibility::at(now - hour, Some(now - hour), now),
            Visibility::Withdrawn
        );
    }

    proptest! {
        #[test]
        fn a_parsed_body_has_no_carriage_return_and_parses_to_itself(raw in "\\PC{0,40}[\r\n ]{0,4}\\PC{1,40}") {
            if let Ok(body) = NoticeBody::parse(&raw) {
                prop_assert!(!body.as_str().contains('\r'));
                prop_assert_eq!(NoticeBody::parse(body.as_str()).unwrap(), body);
            }
        }
    }
}
