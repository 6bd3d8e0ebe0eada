//! 利用規約 (terms of use): the member must choose 同意する (I agree) to the current version
//! before registering; the agreed version and time are stored (DESIGN §2).

use crate::error::RuleError;

/// Proof that the member agreed to the current terms, carrying the version they agreed to.
/// The caller stores it with the time of agreement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermsAcceptance {
    version: String,
}

impl TermsAcceptance {
    pub fn version(&self) -> &str {
        &self.version
    }
}

/// `agreed` is the 同意する choice; `submitted_version` is the version the screen showed. A
/// screen opened before the terms were revised must not count as agreement to the new text.
pub fn accept(
    agreed: bool,
    submitted_version: &str,
    current_version: &str,
) -> Result<TermsAcceptance, RuleError> {
    if !agreed {
        return Err(RuleError::TermsNotAgreed);
    }
    if submitted_version.trim() != current_version.trim() {
        return Err(RuleError::TermsOutdated {
            current: current_version.trim().to_owned(),
        });
    }
    Ok(TermsAcceptance {
        version: current_version.trim().to_owned(),
    })
}

/// Where terms name the kenpo: the default terms serve every tenant of a deployment, and each
/// member reads them with their own kenpo's name.
pub const KENPO_PLACEHOLDER: &str = "{kenpo}";

/// The words standing for the kenpo where the reader's is not known (a public footer).
pub const ANY_KENPO: &str = "ご加入の健康保険組合";

/// `body` as `tenant_name`'s members read it.
pub fn render(body: &str, tenant_name: Option<&str>) -> String {
    body.replace(KENPO_PLACEHOLDER, tenant_name.unwrap_or(ANY_KENPO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_terms_name_the_readers_kenpo() {
        let body = "この利用規約は、{kenpo}（以下「当組合」といいます。）が定めます。";
        assert_eq!(
            render(body, Some("日本電気健康保険組合")),
            "この利用規約は、日本電気健康保険組合（以下「当組合」といいます。）が定めます。"
        );
        assert_eq!(
            render(body, None),
            "この利用規約は、ご加入の健康保険組合（以下「当組合」といいます。）が定めます。"
        );
    }

    #[test]
    fn agreeing_to_the_current_version_is_accepted() {
        let accepted = accept(true, "2026-04", "2026-04");
        assert_eq!(
            accepted.as_ref().map(TermsAcceptance::version),
            Ok("2026-04")
        );
    }

    #[test]
    fn not_agreeing_is_refused_whatever_the_version() {
        assert_eq!(
            accept(false, "2026-04", "2026-04"),
            Err(RuleError::TermsNotAgreed)
        );
        assert_eq!(
            accept(false, "2025-01", "2026-04"),
            Err(RuleError::TermsNotAgreed)
        );
    }

    #[test]
    fn an_older_version_is_outdated() {
        let outdated = Err(RuleError::TermsOutdated {
            current: "2026-04".into(),
        });
        assert_eq!(accept(true, "2025-01", "2026-04"), outdated);
        assert_eq!(accept(true, "", "2026-04"), outdated);
    }

    #[test]
    fn surrounding_whitespace_does_not_matter() {
        assert!(accept(true, " 2026-04\n", "2026-04").is_ok());
    }
}
