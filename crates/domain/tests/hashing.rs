//! Stored secrets (DESIGN §6): argon2id PHC strings we verify, including those made with other
//! parameters after a change of policy, within the bounds that keep one verify from taking
//! minutes; and the dummy hash that makes unknown accounts as slow to answer as known ones.

use argon2::{
    Algorithm, Argon2, Params, Version,
    password_hash::phc::{Output, ParamsString, PasswordHash, Salt},
};
use madoguchi_domain::hashing::{
    Hasher, OUTPUT_LEN, dummy_hash, dummy_hash_with, hash_secret, needs_rehash, verify_secret,
};

/// A genuine argon2id v19 PHC string of `secret` made with the given costs, as another
/// deployment or an older policy would have stored it.
fn phc_with(secret: &str, m_cost: u32, t_cost: u32, p_cost: u32) -> String {
    let params = Params::new(m_cost, t_cost, p_cost, Some(OUTPUT_LEN)).expect("valid costs");
    let salt = b"saltsaltsaltsalt";
    let mut out = [0u8; OUTPUT_LEN];
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone())
        .hash_password_into(secret.as_bytes(), salt, &mut out)
        .expect("argon2id");
    PasswordHash {
        algorithm: argon2::ARGON2ID_IDENT,
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).expect("params"),
        salt: Some(Salt::new(salt).expect("salt")),
        hash: Some(Output::new(&out).expect("output")),
    }
    .to_string()
}

#[test]
fn the_one_off_verify_accepts_the_right_secret_only() {
    let phc = hash_secret("k7Wq2mZp");
    assert!(verify_secret("k7Wq2mZp", &phc));
    assert!(!verify_secret("k7Wq2mZP", &phc));
}

#[test]
fn a_hash_made_with_stronger_memory_than_ours_still_verifies() {
    // After raising the memory cost, members hashed under either policy still sign in.
    let stronger = phc_with("k7Wq2mZp", 32 * 1024, 1, 1);
    let mut hasher = Hasher::new();
    assert!(hasher.verify("k7Wq2mZp", &stronger));
    assert!(!hasher.verify("k7Wq2mZP", &stronger));
    assert!(needs_rehash(&stronger));
    // and the hasher's own block still serves our parameters afterwards
    let ours = hasher.hash("k7Wq2mZp");
    assert!(hasher.verify("k7Wq2mZp", &ours));
}

#[test]
fn up_to_16_passes_and_16_lanes_are_verified() {
    let mut hasher = Hasher::new();
    let at_limits = [
        phc_with("secret1x", 8, 16, 1),
        phc_with("secret1x", 128, 1, 16),
    ];
    for phc in at_limits {
        assert!(hasher.verify("secret1x", &phc), "{phc}");
    }
}

#[test]
fn more_than_16_passes_or_lanes_is_refused_even_with_the_right_secret() {
    // A stored string must never make one verify take minutes: beyond the bounds it is not
    // computed at all, so even the right secret does not verify.
    let mut hasher = Hasher::new();
    let beyond = [
        phc_with("secret1x", 8, 17, 1),
        phc_with("secret1x", 136, 1, 17),
    ];
    for phc in beyond {
        assert!(!hasher.verify("secret1x", &phc), "{phc}");
    }
}

#[test]
fn the_dummy_hash_is_one_valid_hash_of_ours_however_it_is_first_made() {
    let mut hasher = Hasher::new();
    let made_with = dummy_hash_with(&mut hasher);
    assert_eq!(made_with, dummy_hash());
    assert!(
        made_with.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
        "{made_with}"
    );
    assert!(!needs_rehash(made_with));
}

/// `secret1x` hashed with 1 GiB (the bound) and with one 8 KiB step more, t=1, p=1, salt
/// `saltsaltsaltsalt` (made with [`phc_with`] once: each takes seconds and 1 GiB to compute).
const AT_1_GIB: &str = "$argon2id$v=19$m=1048576,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$JXLLGQ1HjjW05c8lQ1nJe/tMc1wcdb0yXXt+5OcawUM";
const BEYOND_1_GIB: &str = "$argon2id$v=19$m=1048584,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$e1nzCesXW0ParO9A/L3duAGSrNrfT4JSlMrpBgHYW9k";

#[test]
fn up_to_1_gib_of_memory_is_verified_and_more_is_refused() {
    // A hash at the memory bound still verifies (one verify of 1 GiB, about two seconds); one
    // just above it is refused without computing, even with the right secret.
    let mut hasher = Hasher::new();
    assert!(!hasher.verify("secret1x", BEYOND_1_GIB));
    assert!(hasher.verify("secret1x", AT_1_GIB));
}
