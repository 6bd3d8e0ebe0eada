//! Argon2id for every stored secret: members' passwords and temporary passwords alike
//! (DESIGN §6). One parameter set, OWASP's minimum: m = 19456 KiB, t = 2, p = 1, version 0x13,
//! 16-byte random salt, 32-byte output, stored as a PHC string
//! (`$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>`).
//!
//! A [`Hasher`] owns its 19 MiB memory block and reuses it for every hash and verify, so the
//! hashing pool's threads (one per core) never allocate per request. Secrets arrive already
//! NFKC-normalised (see `normalize`); nothing here normalises.

use std::{fmt, sync::OnceLock};

use argon2::{
    Algorithm, Argon2, Block, Params, Version,
    password_hash::phc::{Output, ParamsString, PasswordHash, Salt},
};
use rand::Rng;

/// (m_cost KiB, t_cost, p_cost).
pub const PARAMS: (u32, u32, u32) = (19456, 2, 1);
pub const SALT_LEN: usize = 16;
pub const OUTPUT_LEN: usize = 32;

/// Stored instead of a hash if hashing ever fails (only conceivable for a secret over 4 GiB):
/// like `!` in `/etc/shadow`, it is not a PHC string, so nothing ever verifies against it.
pub const UNUSABLE_HASH: &str = "!unusable";

/// Bounds on the parameters of a hash we agree to verify: ours, or older or stronger ones after
/// a change of policy, but never a stored string that would make one verify take minutes.
const MAX_VERIFY_M_COST: u32 = 1 << 20; // 1 GiB
const MAX_VERIFY_T_COST: u32 = 16;
const MAX_VERIFY_P_COST: u32 = 16;

const ARGON2_PARAMS: Params = match Params::new(PARAMS.0, PARAMS.1, PARAMS.2, Some(OUTPUT_LEN)) {
    Ok(params) => params,
    // Evaluated at compile time: invalid parameters fail the build, never a request.
    Err(_) => panic!("PARAMS are valid argon2 parameters"),
};

/// An argon2id context with its own reusable 19 MiB memory block. `hash` and `verify` take
/// `&mut self`: give each hashing thread its own `Hasher`.
pub struct Hasher {
    argon2: Argon2<'static>,
    memory: Vec<Block>,
}

impl Default for Hasher {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for Hasher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Hasher")
            .field("params", &PARAMS)
            .finish_non_exhaustive()
    }
}

impl Hasher {
    pub fn new() -> Self {
        Self {
            argon2: Argon2::new(Algorithm::Argon2id, Version::V0x13, ARGON2_PARAMS),
            memory: vec![Block::new(); ARGON2_PARAMS.block_count()],
        }
    }

    /// A PHC string for `secret` with a fresh random salt.
    pub fn hash(&mut self, secret: &str) -> String {
        let mut salt = [0u8; SALT_LEN];
        rand::rng().fill(&mut salt);
        let mut out = [0u8; OUTPUT_LEN];
        let computed = self.argon2.hash_password_into_with_memory(
            secret.as_bytes(),
            &salt,
            &mut out,
            &mut self.memory,
        );
        let phc = computed.ok().and_then(|()| {
            Some(PasswordHash {
                algorithm: argon2::ARGON2ID_IDENT,
                version: Some(Version::V0x13.into()),
                params: ParamsString::try_from(&ARGON2_PARAMS).ok()?,
                salt: Some(Salt::new(&salt).ok()?),
                hash: Some(Output::new(&out).ok()?),
            })
        });
        phc.map_or_else(|| UNUSABLE_HASH.to_owned(), |phc| phc.to_string())
    }

    /// Whether `secret` matches the PHC string `phc`, recomputed with the string's own
    /// parameters and salt and compared in constant time. `false` for anything that is not an
    /// argon2id v19 PHC string within sane bounds.
    pub fn verify(&mut self, secret: &str, phc: &str) -> bool {
        self.try_verify(secret, phc).unwrap_or(false)
    }

    fn try_verify(&mut self, secret: &str, phc: &str) -> Option<bool> {
        let parsed = PasswordHash::new(phc).ok()?;
        if parsed.algorithm != argon2::ARGON2ID_IDENT
            || parsed.version != Some(Version::V0x13.into())
        {
            return None;
        }
        let params = Params::try_from(&parsed).ok()?;
        if params.m_cost() > MAX_VERIFY_M_COST
            || params.t_cost() > MAX_VERIFY_T_COST
            || params.p_cost() > MAX_VERIFY_P_COST
        {
            return None;
        }
        let expected = parsed.hash?;
        let salt = parsed.salt?;
        let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
        let mut buffer = [0u8; Output::MAX_LENGTH];
        let out = buffer.get_mut(..expected.len())?;
        let computed = if params.block_count() == self.memory.len() {
            argon2.hash_password_into_with_memory(secret.as_bytes(), &salt, out, &mut self.memory)
        } else {
            let mut memory = vec![Block::new(); params.block_count()];
            argon2.hash_password_into_with_memory(secret.as_bytes(), &salt, out, &mut memory)
        };
        computed.ok()?;
        // `Output`'s equality is constant-time.
        Some(Output::new(out).ok()? == expected)
    }
}

/// Whether a stored hash was made with other parameters than today's, so the caller can
/// rehash on the next successful login.
pub fn needs_rehash(phc: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(phc) else {
        return true;
    };
    let ours = ParamsString::try_from(&ARGON2_PARAMS).ok();
    parsed.algorithm != argon2::ARGON2ID_IDENT
        || parsed.version != Some(Version::V0x13.into())
        || Some(&parsed.params) != ours.as_ref()
        || parsed.hash.map(|h| h.len()) != Some(OUTPUT_LEN)
}

/// [`Hasher::hash`] with a one-off hasher (allocates the 19 MiB block each call).
pub fn hash_secret(secret: &str) -> String {
    Hasher::new().hash(secret)
}

/// [`Hasher::verify`] with a one-off hasher (allocates the 19 MiB block each call).
pub fn verify_secret(secret: &str, phc: &str) -> bool {
    Hasher::new().verify(secret, phc)
}

/// Seconds one hash takes on this thread with [`PARAMS`] and a reused memory block, as the
/// hashing pool's threads do: the mean of `rounds` hashes after a warm-up. The benchmarks
/// (`make bench`) divide the cores by it to get the machine's argon2id limit.
pub fn seconds_per_hash(rounds: u32) -> f64 {
    let mut hasher = Hasher::new();
    hasher.hash("warm-up2x");
    let rounds = rounds.max(1);
    let started = std::time::Instant::now();
    for i in 0..rounds {
        hasher.hash(&format!("Pw{i}xyzAB"));
    }
    started.elapsed().as_secs_f64() / f64::from(rounds)
}

static DUMMY_HASH: OnceLock<String> = OnceLock::new();

fn unknown_secret() -> String {
    let mut unknown = [0u8; 32];
    rand::rng().fill(&mut unknown);
    unknown.iter().map(|b| format!("{b:02x}")).collect()
}

/// A fixed, valid hash of a random secret nobody knows, made once with the same parameters.
/// Login and recovery verify against it for unknown accounts, so the answer takes as long
/// whether or not the account exists.
pub fn dummy_hash() -> &'static str {
    DUMMY_HASH.get_or_init(|| hash_secret(&unknown_secret()))
}

/// [`dummy_hash`], made (the first time) with `hasher`'s memory block instead of a new one:
/// the hashing pool's threads use this, so the first unknown ID does not add a third 19 MiB
/// block to the server's peak memory.
pub fn dummy_hash_with(hasher: &mut Hasher) -> &'static str {
    DUMMY_HASH.get_or_init(|| hasher.hash(&unknown_secret()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_then_verify() {
        let mut hasher = Hasher::new();
        let phc = hasher.hash("k7Wq2mZp");
        assert!(hasher.verify("k7Wq2mZp", &phc));
        assert!(!hasher.verify("k7Wq2mZP", &phc));
        assert!(!hasher.verify("", &phc));
    }

    #[test]
    fn the_phc_string_names_the_algorithm_and_parameters() {
        let phc = hash_secret("Ab3defGh9k");
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
        assert!(!needs_rehash(&phc));
        let parsed = PasswordHash::new(&phc).ok();
        assert_eq!(
            parsed.as_ref().and_then(|p| p.salt).map(|s| s.len()),
            Some(SALT_LEN)
        );
        assert_eq!(
            parsed.and_then(|p| p.hash).map(|h| h.len()),
            Some(OUTPUT_LEN)
        );
    }

    #[test]
    fn salts_differ_between_hashes() {
        let mut hasher = Hasher::new();
        assert_ne!(hasher.hash("same"), hasher.hash("same"));
    }

    #[test]
    fn garbage_never_verifies() {
        let mut hasher = Hasher::new();
        for phc in [
            "",
            "garbage",
            UNUSABLE_HASH,
            "$argon2id$v=19$m=19456,t=2,p=1$",
            "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ",
        ] {
            assert!(!hasher.verify("secret", phc), "{phc}");
        }
    }

    #[test]
    fn other_algorithms_and_absurd_parameters_are_refused() {
        let phc = hash_secret("secret");
        let argon2i = phc.replacen("argon2id", "argon2i", 1);
        let v16 = phc.replacen("v=19", "v=16", 1);
        let huge = phc.replacen("m=19456", "m=4000000", 1);
        let slow = phc.replacen("t=2", "t=1000", 1);
        let mut hasher = Hasher::new();
        for bad in [argon2i, v16, huge, slow] {
            assert!(!hasher.verify("secret", &bad), "{bad}");
            assert!(needs_rehash(&bad));
        }
    }

    #[test]
    fn hashes_with_other_parameters_still_verify() {
        let params = Params::new(64, 1, 1, Some(OUTPUT_LEN)).unwrap();
        let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
        let mut out = [0u8; OUTPUT_LEN];
        argon2
            .hash_password_into(b"secret", b"saltsaltsaltsalt", &mut out)
            .unwrap();
        let phc = PasswordHash {
            algorithm: argon2::ARGON2ID_IDENT,
            version: Some(19),
            params: ParamsString::try_from(&params).unwrap(),
            salt: Some(Salt::new(b"saltsaltsaltsalt").unwrap()),
            hash: Some(Output::new(&out).unwrap()),
        }
        .to_string();
        let mut hasher = Hasher::new();
        assert!(hasher.verify("secret", &phc));
        assert!(!hasher.verify("Secret", &phc));
        assert!(needs_rehash(&phc));
        // and the reused block still gives the right answer afterwards
        let ours = hasher.hash("secret");
        assert!(hasher.verify("secret", &ours));
    }

    #[test]
    fn the_dummy_hash_is_valid_and_matches_nothing_we_would_try() {
        assert!(dummy_hash().starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert_eq!(dummy_hash(), dummy_hash());
        assert!(!verify_secret("", dummy_hash()));
        assert!(!verify_secret("password1", dummy_hash()));
    }

    #[test]
    fn the_dummy_secret_is_random_and_unguessable() {
        // 256 random bits, fresh each time: nobody can know the dummy hash's secret.
        let (one, other) = (unknown_secret(), unknown_secret());
        assert_eq!(one.len(), 64);
        assert!(one.bytes().all(|b| b.is_ascii_hexdigit()), "{one}");
        assert_ne!(one, other);
    }

    #[test]
    fn debug_does_not_dump_the_memory_block() {
        assert!(format!("{:?}", Hasher::new()).len() < 100);
    }
}
