//! Password hashing with argon2id, off the async threads (it is slow on purpose).

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

pub async fn hash(password: String) -> anyhow::Result<String> {
    tokio::task::spawn_blocking(move || {
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
        let salt = SaltString::encode_b64(&bytes).map_err(|e| anyhow::anyhow!("salt: {e}"))?;
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| anyhow::anyhow!("hashing a password: {e}"))
    })
    .await?
}

/// Whether `password` matches the stored hash; a malformed hash never matches.
pub async fn verify(password: String, hash: String) -> bool {
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&hash).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
    })
    .await
    .unwrap_or(false)
}

/// A fixed hash to verify against when the account does not exist, so that
/// a login's timing does not tell which usernames exist.
pub const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$Zl5J2gJ0aF1H3x8uQfMxN0m0b8W7oG3cQv3b0b7cX0E";

/// A random password that satisfies the rules, for resets and new accounts
/// (shown once; the account must change it at the first sign-in).
pub fn generate() -> String {
    format!("Qz{}8", &crate::token::random_token()[..13])
}

#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn a_hash_verifies_its_password_only() {
        let password = super::generate();
        let hash = super::hash(password.clone()).await.unwrap();
        assert!(super::verify(password.clone(), hash.clone()).await);
        assert!(!super::verify(format!("{password}x"), hash).await);
        assert!(!super::verify(password, "not a hash".into()).await);
    }

    /// A login for an unknown username verifies against `DUMMY_HASH` so it takes
    /// as long as a real one; that only holds if the dummy is a well-formed argon2
    /// hash with the default parameters.
    #[test]
    fn the_dummy_hash_costs_as_much_as_a_real_one() {
        use argon2::password_hash::PasswordHash;
        let dummy = PasswordHash::new(super::DUMMY_HASH).expect("a well-formed PHC string");
        assert_eq!(dummy.algorithm.as_str(), "argon2id");
        let default = argon2::Params::default();
        let param = |name: &str| dummy.params.get_decimal(name);
        assert_eq!(param("m"), Some(default.m_cost()));
        assert_eq!(param("t"), Some(default.t_cost()));
        assert_eq!(param("p"), Some(default.p_cost()));
    }
}
