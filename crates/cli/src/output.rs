//! What a command prints, in Japanese or English following `LANG` (DESIGN §4).

use madoguchi_domain::Lang;
use madoguchi_persistence::StoreError;

/// The language of operator messages, read from `LC_ALL`, `LC_MESSAGES` or `LANG`.
pub fn lang_from_env() -> Lang {
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|s| !s.is_empty()))
        .map_or(Lang::Ja, |v| Lang::from_locale(&v))
}

/// Picks the message of the operator's language.
pub fn tr(lang: Lang, ja: impl Into<String>, en: impl Into<String>) -> String {
    match lang {
        Lang::Ja => ja.into(),
        Lang::En => en.into(),
    }
}

/// The report of a file refused for its bad rows: how many, every reason of the `shown` rows
/// with its physical line number, then how many more there were.
pub fn bad_rows(lang: Lang, shown: &[(u64, Vec<String>)], total: u64) -> String {
    let mut out = tr(
        lang,
        format!("{total}行に誤りがあるため、何も取り込みませんでした。"),
        format!("{total} bad rows: nothing was imported."),
    );
    for (line, reasons) in shown {
        for reason in reasons {
            out.push('\n');
            out.push_str(&tr(
                lang,
                format!("{line}行目: {reason}"),
                format!("line {line}: {reason}"),
            ));
        }
    }
    let more = total.saturating_sub(shown.len() as u64);
    if more > 0 {
        out.push('\n');
        out.push_str(&tr(
            lang,
            format!(
                "ほか {more} 行にも誤りがあります（最初の {} 行を表示しました）。",
                shown.len()
            ),
            format!(
                "{more} more bad rows (the first {} are shown).",
                shown.len()
            ),
        ));
    }
    out
}

/// A refused operation, bad input or an unreachable database: exit status 1 with a message
/// naming the problem.
#[derive(Debug)]
pub struct Failure(pub String);

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl Failure {
    pub fn new(lang: Lang, ja: impl Into<String>, en: impl Into<String>) -> Self {
        Self(tr(lang, ja, en))
    }

    /// A storage failure in the operator's language.
    pub fn store(lang: Lang, e: &StoreError) -> Self {
        match e {
            StoreError::Connect(detail) => Self::new(
                lang,
                format!(
                    "データベースに接続できません（MADOGUCHI_DATABASE_URL を確認してください）: {detail}"
                ),
                format!("cannot connect to the database (check MADOGUCHI_DATABASE_URL): {detail}"),
            ),
            StoreError::Config(detail) => Self::new(
                lang,
                format!("MADOGUCHI_DATABASE_URL が正しくありません: {detail}"),
                format!("MADOGUCHI_DATABASE_URL is not usable: {detail}"),
            ),
            StoreError::Migration(detail) => Self::new(
                lang,
                format!("データベースの更新（migrate）に失敗しました: {detail}"),
                format!("database migration failed: {detail}"),
            ),
            other => Self::new(
                lang,
                format!("データベースエラー: {other}"),
                format!("database error: {other}"),
            ),
        }
    }
}

/// Every command returns this: `Ok` prints nothing more, `Err` prints the message and exits 1.
pub type Outcome = Result<(), Failure>;
