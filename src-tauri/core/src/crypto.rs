//! AES-256-GCM sealing of secret fields.
//!
//! Blob layout: `version (1) | nonce (12) | ciphertext + tag`. The associated data binds the
//! vault id, the credential id, the field name and (from version 2) the secret's
//! destination — where verification sends it (an APISIX endpoint, an Azure tenant and
//! client, an AWS key id and region). A blob copied to another row, field or vault, or
//! left under a destination edited in the database file, fails to open instead of being
//! used: a tampered row can never redirect a secret. Version 1 blobs (no destination) still
//! open, so the service can re-bind them once it has the key.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use rand::RngCore;
use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::secret::MasterKey;

const VERSION: u8 = 2;
/// Blobs sealed before destinations were bound.
pub const LEGACY_VERSION: u8 = 1;
const NONCE_LEN: usize = 12;

/// What a sealed blob is bound to.
#[derive(Debug, Clone, Copy)]
pub struct Binding<'a> {
    pub vault_id: &'a str,
    pub credential_id: &'a str,
    pub field: &'a str,
    /// Where the secret may be sent; empty for a value never sent anywhere.
    pub destination: &'a str,
}

impl Binding<'_> {
    fn associated_data(&self, version: u8) -> Vec<u8> {
        let mut aad = format!(
            "entryguard/v{version}\0{}\0{}\0{}",
            self.vault_id, self.credential_id, self.field
        );
        if version >= 2 {
            aad.push('\0');
            aad.push_str(self.destination);
        }
        aad.into_bytes()
    }
}

/// The version byte of a blob, if it has one.
pub fn version_of(blob: &[u8]) -> Option<u8> {
    blob.first().copied()
}

/// Seals `plaintext` under a fresh random nonce.
pub fn seal(key: &MasterKey, binding: Binding<'_>, plaintext: &[u8]) -> Vec<u8> {
    let cipher = Aes256Gcm::new(key.dangerously_expose_key_bytes().into());
    let mut nonce = [0u8; NONCE_LEN];
    rand::rngs::OsRng.fill_bytes(&mut nonce);
    let aad = binding.associated_data(VERSION);
    let ciphertext = cipher
        .encrypt(
            Nonce::from_slice(&nonce),
            Payload {
                msg: plaintext,
                aad: &aad,
            },
        )
        .expect("AES-GCM encryption of an in-memory buffer cannot fail");
    let mut blob = Vec::with_capacity(1 + NONCE_LEN + ciphertext.len());
    blob.push(VERSION);
    blob.extend_from_slice(&nonce);
    blob.extend_from_slice(&ciphertext);
    blob
}

/// Seals the way version 1 did (no destination), for tests of the upgrade.
#[cfg(test)]
pub(crate) fn seal_legacy(key: &MasterKey, binding: Binding<'_>, plaintext: &[u8]) -> Vec<u8> {
    let cipher = Aes256Gcm::new(key.dangerously_expose_key_bytes().into());
    let nonce = [3u8; NONCE_LEN];
    let aad = binding.associated_data(LEGACY_VERSION);
    let payload = Payload {
        msg: plaintext,
        aad: &aad,
    };
    let mut blob = vec![LEGACY_VERSION];
    blob.extend_from_slice(&nonce);
    blob.extend(cipher.encrypt(Nonce::from_slice(&nonce), payload).unwrap());
    blob
}

/// Opens a blob into a zeroizing buffer; any tampering is [`Error::Integrity`].
pub fn open(key: &MasterKey, binding: Binding<'_>, blob: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
    let (&version, rest) = blob.split_first().ok_or(Error::Integrity)?;
    if !(LEGACY_VERSION..=VERSION).contains(&version) || rest.len() < NONCE_LEN + 16 {
        return Err(Error::Integrity);
    }
    let (nonce, ciphertext) = rest.split_at(NONCE_LEN);
    let cipher = Aes256Gcm::new(key.dangerously_expose_key_bytes().into());
    let aad = binding.associated_data(version);
    cipher
        .decrypt(
            Nonce::from_slice(nonce),
            Payload {
                msg: ciphertext,
                aad: &aad,
            },
        )
        .map(Zeroizing::new)
        .map_err(|_| Error::Integrity)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BINDING: Binding<'static> = Binding {
        vault_id: "vault-1",
        credential_id: "cred-1",
        field: "secret_access_key",
        destination: "aws:AKIAIOSFODNN7EXAMPLE:us-east-1",
    };

    fn key() -> MasterKey {
        MasterKey::from_bytes((0u8..32).collect()).unwrap()
    }

    #[test]
    fn sealed_blob_opens_to_the_plaintext() {
        let blob = seal(&key(), BINDING, b"wJalrXUtnFEMI/K7MDENG");
        assert_eq!(
            open(&key(), BINDING, &blob).unwrap().as_slice(),
            b"wJalrXUtnFEMI/K7MDENG"
        );
    }

    #[test]
    fn sealing_twice_uses_fresh_nonces() {
        assert_ne!(
            seal(&key(), BINDING, b"same"),
            seal(&key(), BINDING, b"same")
        );
    }

    #[test]
    fn blob_does_not_contain_plaintext() {
        let blob = seal(&key(), BINDING, b"CANARY-CANARY-CANARY");
        assert!(!blob.windows(20).any(|w| w == b"CANARY-CANARY-CANARY"));
    }

    #[test]
    fn every_single_byte_flip_fails_with_integrity_error() {
        let blob = seal(&key(), BINDING, b"a secret worth protecting");
        for i in 0..blob.len() {
            for bit in 0..8 {
                let mut tampered = blob.clone();
                tampered[i] ^= 1 << bit;
                assert!(
                    matches!(open(&key(), BINDING, &tampered), Err(Error::Integrity)),
                    "flip of bit {bit} in byte {i} was not detected"
                );
            }
        }
    }

    #[test]
    fn truncated_or_empty_blobs_fail_with_integrity_error() {
        let blob = seal(&key(), BINDING, b"x");
        for len in 0..blob.len() {
            assert!(matches!(
                open(&key(), BINDING, &blob[..len]),
                Err(Error::Integrity)
            ));
        }
    }

    #[test]
    fn blob_copied_to_another_row_field_vault_or_destination_fails() {
        let blob = seal(&key(), BINDING, b"secret");
        for other in [
            Binding {
                credential_id: "cred-2",
                ..BINDING
            },
            Binding {
                field: "session_token",
                ..BINDING
            },
            Binding {
                vault_id: "vault-2",
                ..BINDING
            },
            Binding {
                destination: "aws:AKIAIOSFODNN7EXAMPLE:eu-west-1",
                ..BINDING
            },
        ] {
            assert!(matches!(open(&key(), other, &blob), Err(Error::Integrity)));
        }
    }

    #[test]
    fn wrong_key_fails_with_integrity_error() {
        let blob = seal(&key(), BINDING, b"secret");
        assert!(matches!(
            open(&MasterKey::generate(), BINDING, &blob),
            Err(Error::Integrity)
        ));
    }

    #[test]
    fn a_version_1_blob_still_opens_and_ignores_the_destination() {
        let blob = seal_legacy(&key(), BINDING, b"legacy");
        let elsewhere = Binding {
            destination: "anything",
            ..BINDING
        };
        assert_eq!(
            open(&key(), elsewhere, &blob).unwrap().as_slice(),
            b"legacy"
        );
        assert_eq!(version_of(&blob), Some(LEGACY_VERSION));
    }
}
