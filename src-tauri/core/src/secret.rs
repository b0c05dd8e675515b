//! The master key type. Credential secrets use `secrecy::SecretString`.
//!
//! Both print as `<redacted>`, cannot be serialized, and are zeroized on drop. The one
//! accessor that yields key bytes is crate-private and loudly named.

use rand::RngCore;
use zeroize::{Zeroize, ZeroizeOnDrop};

pub use secrecy::{ExposeSecret, SecretString};

/// The vault's 256-bit AES key.
#[derive(Zeroize, ZeroizeOnDrop)]
pub struct MasterKey([u8; 32]);

impl MasterKey {
    /// 32 bytes from the OS CSPRNG.
    pub fn generate() -> Self {
        let mut key = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut key);
        MasterKey(key)
    }

    /// Takes ownership of raw key bytes (zeroizing them); `None` unless exactly 32 bytes.
    pub fn from_bytes(mut bytes: Vec<u8>) -> Option<Self> {
        let key = <[u8; 32]>::try_from(bytes.as_slice()).ok().map(MasterKey);
        bytes.zeroize();
        key
    }

    pub(crate) fn dangerously_expose_key_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl std::fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MasterKey(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn master_key_debug_is_redacted() {
        let key = MasterKey::from_bytes(vec![0x41; 32]).unwrap();
        let shown = format!("{key:?}");
        assert_eq!(shown, "MasterKey(<redacted>)");
    }

    #[test]
    fn master_key_rejects_wrong_length() {
        assert!(MasterKey::from_bytes(vec![1; 31]).is_none());
        assert!(MasterKey::from_bytes(vec![1; 33]).is_none());
    }

    #[test]
    fn generated_keys_differ() {
        let (a, b) = (MasterKey::generate(), MasterKey::generate());
        assert_ne!(
            a.dangerously_expose_key_bytes(),
            b.dangerously_expose_key_bytes()
        );
    }
}
