//! Passkeys (パスキー, DESIGN §9): the rules of what the member names them. The ceremonies
//! themselves are WebAuthn's, checked by the caller with `webauthn-rs`; a passkey sign-in
//! is [`crate::onboarding::Event::PasskeyLogin`] and needs no second factor (the authenticator
//! verified the member: something they have, and their fingerprint, face or PIN).

use crate::RuleError;
use crate::normalize::normalize;

/// The longest name a member may give a passkey, in characters.
pub const NAME_MAX: usize = 40;

/// The passkey's name as shown in セキュリティ設定: NFKC-normalised and trimmed; `fallback`
/// (the browser's label) when the member typed none; at most [`NAME_MAX`] characters.
pub fn name(raw: &str, fallback: &str) -> Result<String, RuleError> {
    let typed = normalize(raw);
    let name = if typed.is_empty() {
        normalize(fallback)
    } else {
        typed
    };
    let name = if name.is_empty() {
        "パスキー".to_owned()
    } else {
        name
    };
    if name.chars().any(char::is_control) {
        return Err(RuleError::PasskeyName { max: NAME_MAX });
    }
    if name.chars().count() > NAME_MAX {
        return Err(RuleError::PasskeyName { max: NAME_MAX });
    }
    Ok(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_normalised_trimmed_and_falls_back_to_the_browser() {
        assert_eq!(name("  ｉＰｈｏｎｅ　", "Chrome").unwrap(), "iPhone");
        assert_eq!(name("", "Safari（iPhone）").unwrap(), "Safari(iPhone)");
        assert_eq!(name(" ", "").unwrap(), "パスキー");
        assert_eq!(
            name(&"鍵".repeat(NAME_MAX), "").unwrap().chars().count(),
            NAME_MAX
        );
        assert_eq!(
            name(&"鍵".repeat(NAME_MAX + 1), ""),
            Err(RuleError::PasskeyName { max: NAME_MAX })
        );
        assert_eq!(
            name("a\u{7}b", ""),
            Err(RuleError::PasskeyName { max: NAME_MAX })
        );
    }
}
