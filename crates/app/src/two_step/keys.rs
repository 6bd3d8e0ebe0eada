//! The keys of two-step login (ADR 0018), derived from the server's token secret
//! (`MADOGUCHI_JWT_SECRET`) with HKDF-SHA256, one per purpose:
//!
//! - the authenticator app's seed is the one secret the server must read back, so it rests
//!   sealed with XChaCha20-Poly1305, a random 192-bit nonce per seal and the account's ID as
//!   associated data (a sealed seed copied onto another account does not open);
//! - recovery and e-mailed codes rest as HMAC-SHA256 keyed hashes: a recovery code has 50
//!   random bits and lives until used, an e-mailed code 10 minutes, so a slow argon2 hash buys
//!   nothing a key kept outside the database does not, and the check stays off the hash pool;
//! - a remembered browser's token has 256 random bits and rests as its plain SHA-256.
//!
//! A copy of the database without the server's secret opens none of them.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hkdf::Hkdf;
use hmac::{Hmac, Mac};
use madoguchi_domain::two_step::TotpSecret;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// The version prefix of a sealed seed, so a later key rotation can tell old seals apart.
const SEALED_PREFIX: &str = "v1.";
const NONCE_BYTES: usize = 24;

pub struct TwoStepKeys {
    seal: [u8; 32],
    code: [u8; 32],
}

impl std::fmt::Debug for TwoStepKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TwoStepKeys(<redacted>)")
    }
}

impl TwoStepKeys {
    /// The keys of `server_secret` (the token secret: at least 32 bytes in production).
    pub fn derive(server_secret: &[u8]) -> Self {
        let hkdf = Hkdf::<Sha256>::new(Some(b"madoguchi two-step login"), server_secret);
        let mut seal = [0; 32];
        let mut code = [0; 32];
        // 32 bytes is far below HKDF-SHA256's limit of 255 × 32: expand cannot fail.
        let _ = hkdf.expand(b"totp seed seal v1", &mut seal);
        let _ = hkdf.expand(b"code hash v1", &mut code);
        Self { seal, code }
    }

    /// The seed sealed for `account_id`: `v1.` and base64url of nonce and ciphertext.
    pub fn seal(&self, account_id: &str, secret: &TotpSecret) -> String {
        let cipher = XChaCha20Poly1305::new((&self.seal).into());
        let mut nonce = [0u8; NONCE_BYTES];
        rand::rng().fill_bytes(&mut nonce);
        let sealed = cipher
            .encrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: secret.expose_bytes(),
                    aad: account_id.as_bytes(),
                },
            )
            .unwrap_or_default();
        let mut out = nonce.to_vec();
        out.extend(sealed);
        format!("{SEALED_PREFIX}{}", URL_SAFE_NO_PAD.encode(out))
    }

    /// The seed of `sealed`, or `None` when it was sealed with another key or for another
    /// account, or was changed.
    pub fn open(&self, account_id: &str, sealed: &str) -> Option<TotpSecret> {
        let raw = URL_SAFE_NO_PAD
            .decode(sealed.strip_prefix(SEALED_PREFIX)?)
            .ok()?;
        if raw.len() <= NONCE_BYTES {
            return None;
        }
        let (nonce, ciphertext) = raw.split_at(NONCE_BYTES);
        let nonce: [u8; NONCE_BYTES] = nonce.try_into().ok()?;
        let cipher = XChaCha20Poly1305::new((&self.seal).into());
        let bytes = cipher
            .decrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: ciphertext,
                    aad: account_id.as_bytes(),
                },
            )
            .ok()?;
        Some(TotpSecret::from_bytes(bytes.try_into().ok()?))
    }

    /// The keyed hash of a recovery or e-mailed code of `account_id` (its canonical form).
    pub fn code_hash(&self, account_id: &str, code: &str) -> String {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.code)
            .unwrap_or_else(|_| unreachable!("HMAC takes a key of any length"));
        mac.update(account_id.as_bytes());
        mac.update(&[0]);
        mac.update(code.as_bytes());
        hex(&mac.finalize().into_bytes())
    }
}

/// The stored form of a remembered browser's token.
pub fn device_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// A new remembered browser's token: 256 random bits, base64url.
pub fn new_device_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_seed_opens_only_with_its_key_and_account() {
        let keys = TwoStepKeys::derive(b"0123456789abcdef0123456789abcdef");
        let secret = TotpSecret::generate(&mut rand::rng());
        let sealed = keys.seal("acc-1", &secret);
        assert!(sealed.starts_with("v1."));
        assert!(!sealed.contains(&secret.base32()));
        assert_ne!(
            sealed,
            keys.seal("acc-1", &secret),
            "a fresh nonce per seal"
        );
        assert_eq!(keys.open("acc-1", &sealed), Some(secret));
        assert_eq!(keys.open("acc-2", &sealed), None, "another account");
        let other = TwoStepKeys::derive(b"another secret of 32 bytes or more!!");
        assert_eq!(other.open("acc-1", &sealed), None, "another key");
        let mut tampered = sealed.clone().into_bytes();
        let last = tampered.len() - 2;
        tampered[last] = if tampered[last] == b'A' { b'B' } else { b'A' };
        assert_eq!(
            keys.open("acc-1", &String::from_utf8(tampered).unwrap()),
            None
        );
        assert_eq!(keys.open("acc-1", "v1."), None);
        assert_eq!(keys.open("acc-1", "plain"), None);
    }

    #[test]
    fn code_hashes_are_keyed_and_per_account() {
        let keys = TwoStepKeys::derive(b"0123456789abcdef0123456789abcdef");
        let h = keys.code_hash("acc-1", "ABCDE-FGHJK");
        assert_eq!(h.len(), 64);
        assert_eq!(h, keys.code_hash("acc-1", "ABCDE-FGHJK"));
        assert_ne!(h, keys.code_hash("acc-2", "ABCDE-FGHJK"));
        let other = TwoStepKeys::derive(b"another secret of 32 bytes or more!!");
        assert_ne!(h, other.code_hash("acc-1", "ABCDE-FGHJK"));
        assert_ne!(device_hash("t"), device_hash("u"));
        assert_eq!(new_device_token().len(), 43);
    }
}
