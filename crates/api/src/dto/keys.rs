//! Signing keys: making one for a person on this laptop, listing them, revoking them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Acting, PersonRef};

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct KeyCreateRequest {
    /// Whose key: `acting.actor` (a person makes their own key).
    pub acting: Acting,
    /// The passphrase that protects the key file. Without one, the key goes to the system
    /// keychain — only for the person who uses this laptop, and only when a keychain answers.
    pub passphrase: Option<String>,
    /// The scrypt work factor (log2 N) of the key file; default 18 (about a second).
    pub work_factor: Option<u8>,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct KeyRevokeRequest {
    /// Whose keys.
    pub person: String,
    /// One key by its fingerprint; all the person's keys that still count when not given.
    pub fingerprint: Option<String>,
    pub reason: String,
    pub acting: Acting,
}

/// A signing key as the log has it, and where this laptop keeps its secret.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct KeyDto {
    pub person: PersonRef,
    pub fingerprint: String,
    /// The laptop it was made on.
    pub device: String,
    /// It was made on this laptop.
    pub this_laptop: bool,
    pub registered_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub revoked_reason: Option<String>,
    /// Where this laptop keeps the secret ("the system keychain" or a file), when it does.
    pub kept: Option<String>,
    /// Signing with it needs the holder's passphrase.
    pub needs_passphrase: bool,
}

/// A laptop's PDF sealing key, as the log has it.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct LaptopKeyDto {
    pub device: String,
    pub fingerprint: String,
    /// It is this laptop's key.
    pub this_laptop: bool,
    pub registered_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub revoked_reason: Option<String>,
}

/// Every key the log has: each person's signing keys and each laptop's sealing key.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct KeysDto {
    pub signing: Vec<KeyDto>,
    pub laptops: Vec<LaptopKeyDto>,
}

/// Revoke a laptop's sealing key (the laptop was lost or retired): by the founder.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct LaptopKeyRevokeRequest {
    /// The laptop: its device id, or a unique prefix of it (6+ characters).
    pub device: String,
    pub reason: String,
    pub acting: Acting,
}

/// What `key create` did.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct KeyCreateResponse {
    pub key: KeyDto,
    /// The key it replaced on this laptop, revoked in the same action.
    pub replaced: Option<String>,
}

/// Whether a person can sign on this laptop, and how.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SignerKeyDto {
    pub person: PersonRef,
    /// Their key here that still counts, when there is one.
    pub key: Option<KeyDto>,
    /// A new key for them would go to the system keychain (no passphrase).
    pub keychain_for_new_key: bool,
}
