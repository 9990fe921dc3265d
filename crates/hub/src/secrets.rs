//! The webhook secrets a hub must keep readable — HubSpot's client secret and Handoff's own
//! webhook secret are HMAC keys, checked against each delivery — kept sealed in its database with
//! a key that lives in a file of its own (readable by its owner only), never beside them: a copy of
//! the database or of its backups reveals no secret, as it reveals no token. Pipedrive's password
//! needs no key: it is kept as its hash, as tokens are.

use std::path::{Path, PathBuf};

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};

/// What a sealed secret starts with in the database.
const SEALED: &str = "sealed-v1:";

/// The hub's key for its webhook secrets.
#[derive(Clone)]
pub struct SecretsKey {
    cipher: ChaCha20Poly1305,
}

impl std::fmt::Debug for SecretsKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretsKey(…)")
    }
}

/// Where the key of a hub whose data is `data` lives, unless told: beside it, `hub.db` → `hub.key`.
pub fn key_path_for(data: &Path) -> PathBuf {
    data.with_extension("key")
}

impl SecretsKey {
    /// A key from its 32 bytes.
    pub fn from_bytes(bytes: [u8; 32]) -> SecretsKey {
        SecretsKey { cipher: ChaCha20Poly1305::new(Key::from_slice(&bytes)) }
    }

    /// The key in `path`, if the file is there.
    pub fn read(path: &Path) -> Result<Option<SecretsKey>, String> {
        match std::fs::read_to_string(path) {
            Ok(text) => {
                let bytes = hex::decode(text.trim())
                    .ok()
                    .and_then(|b| <[u8; 32]>::try_from(b.as_slice()).ok())
                    .ok_or_else(|| format!("{} is not a hub's secrets key (64 hex digits)", path.display()))?;
                Ok(Some(SecretsKey::from_bytes(bytes)))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(format!("cannot read the hub's secrets key {}: {e}", path.display())),
        }
    }

    /// The key in `path`, made there (readable by its owner only) when there is none yet.
    pub fn read_or_make(path: &Path) -> Result<SecretsKey, String> {
        if let Some(key) = SecretsKey::read(path)? {
            return Ok(key);
        }
        let bytes: [u8; 32] = rand::random();
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file =
            options.open(path).map_err(|e| format!("cannot make the hub's secrets key {}: {e}", path.display()))?;
        std::io::Write::write_all(&mut file, format!("{}\n", hex::encode(bytes)).as_bytes())
            .and_then(|()| file.sync_all())
            .map_err(|e| format!("cannot write the hub's secrets key {}: {e}", path.display()))?;
        Ok(SecretsKey::from_bytes(bytes))
    }

    /// `secret`, sealed: a fresh nonce and the ciphertext, as text.
    pub fn seal(&self, secret: &str) -> String {
        let nonce: [u8; 12] = rand::random();
        let sealed = self.cipher.encrypt(Nonce::from_slice(&nonce), secret.as_bytes()).expect("sealing never fails");
        let mut bytes = nonce.to_vec();
        bytes.extend(sealed);
        format!("{SEALED}{}", BASE64.encode(bytes))
    }

    /// A sealed secret, opened; one kept before secrets were sealed is taken as it is.
    pub fn open(&self, kept: &str) -> Result<String, String> {
        let Some(sealed) = kept.strip_prefix(SEALED) else { return Ok(kept.to_string()) };
        let bytes = BASE64.decode(sealed).map_err(|_| "a sealed webhook secret is damaged".to_string())?;
        if bytes.len() < 12 {
            return Err("a sealed webhook secret is damaged".into());
        }
        let (nonce, ciphertext) = bytes.split_at(12);
        let plain = self.cipher.decrypt(Nonce::from_slice(nonce), ciphertext).map_err(|_| {
            "the webhook secret was sealed with another key than the hub's: set the webhook up again".to_string()
        })?;
        String::from_utf8(plain).map_err(|_| "a sealed webhook secret is damaged".into())
    }
}

/// Whether a kept secret is sealed (and so needs the hub's key to be read).
pub fn is_sealed(kept: &str) -> bool {
    kept.starts_with(SEALED)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_secret_opens_with_its_key_only_and_never_shows() {
        let key = SecretsKey::from_bytes([7; 32]);
        let sealed = key.seal("whsec_abc");
        assert!(!sealed.contains("whsec_abc") && is_sealed(&sealed));
        assert_ne!(sealed, key.seal("whsec_abc"), "a fresh nonce each time");
        assert_eq!(key.open(&sealed).unwrap(), "whsec_abc");
        let other = SecretsKey::from_bytes([8; 32]);
        assert!(other.open(&sealed).unwrap_err().contains("another key"));
    }

    #[test]
    fn the_key_file_is_made_once_for_its_owner_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = key_path_for(&dir.path().join("hub.db"));
        assert_eq!(path.file_name().unwrap(), "hub.key");
        let made = SecretsKey::read_or_make(&path).unwrap();
        let again = SecretsKey::read_or_make(&path).unwrap();
        assert_eq!(again.open(&made.seal("s")).unwrap(), "s");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        }
        std::fs::write(&path, "nonsense").unwrap();
        assert!(SecretsKey::read(&path).unwrap_err().contains("not a hub's secrets key"));
    }
}
