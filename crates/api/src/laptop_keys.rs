//! The secrets this laptop keeps, outside the database (a copied database carries none of them):
//!
//! - each person's signing key, made here: in the OS keychain (Secret Service, Keychain,
//!   Credential Manager, through `keyring`) when it is the key of the person who uses this laptop
//!   and a keychain answers, else in a file encrypted with the person's own passphrase (the `age`
//!   format, scrypt), so two people sharing one laptop each need their own secret to sign;
//! - this laptop's document-sealing key (P-256, what exported PDFs are signed with): in the
//!   keychain when one answers, else in a file only its owner can read — exporting asks for no
//!   passphrase;
//! - this laptop's place at the agency's sync hub: the hub's address in `sync-<device>.json`
//!   (owner-only); the enrolment token and the laptop's own device key that signs what it sends
//!   in the keychain when one answers, else in that file.
//!
//! They live in `keys/` of the app's data folder (owner-only, 0700; files 0600): one folder per
//! person, one file per key named by its fingerprint (`.age` for an encrypted secret, `.keychain`
//! for a marker saying the keychain holds it), and `device-<id>.key` / `.keychain` for the seal.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use age::secrecy::SecretString;
use handoff_domain::directory::Directory;
use handoff_domain::ids::{DeviceId, PersonId};
use handoff_domain::keys::SigningKey;
use zeroize::Zeroizing;

use crate::{ApiError, ErrorCode};

/// The keychain's service name for Handoff's secrets.
const KEYCHAIN_SERVICE: &str = "Handoff";

/// The shortest passphrase accepted for a new key.
pub const MIN_PASSPHRASE_CHARS: usize = 8;

/// The scrypt work factor (log2 N) of new key files: about a second on a laptop.
pub const DEFAULT_WORK_FACTOR: u8 = 18;

/// The work factors a new key file may be made with.
pub const WORK_FACTORS: std::ops::RangeInclusive<u8> = 10..=22;

/// Where a secret is kept on this laptop.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Kept {
    Keychain,
    /// A file: encrypted with a passphrase (a person's key) or owner-only (the seal).
    File(PathBuf),
}

impl Kept {
    pub(crate) fn describe(&self) -> String {
        match self {
            Kept::Keychain => "the system keychain".into(),
            Kept::File(path) => path.display().to_string(),
        }
    }
}

/// The keys folder of this laptop.
#[derive(Clone, Debug)]
pub struct LaptopKeys {
    folder: PathBuf,
}

fn fs_error(what: &str, path: &Path, e: std::io::Error) -> ApiError {
    ApiError::new(ErrorCode::Storage, format!("cannot {what} {}: {e}", path.display()))
}

/// A fingerprint as a file name: its 16 hex digits.
fn file_stem(fingerprint: &str) -> String {
    fingerprint.chars().filter(|c| c.is_ascii_hexdigit()).collect::<String>().to_ascii_lowercase()
}

/// Whether a keychain answers on this system (asked once per process).
fn keychain_answers() -> bool {
    static ANSWERS: OnceLock<bool> = OnceLock::new();
    *ANSWERS.get_or_init(|| match keyring::Entry::new(KEYCHAIN_SERVICE, "handoff-probe") {
        Ok(entry) => matches!(entry.get_password(), Ok(_) | Err(keyring::Error::NoEntry)),
        Err(_) => false,
    })
}

/// Creates `folder` (and its parents) readable by its owner only.
fn owner_only_folder(folder: &Path) -> Result<(), ApiError> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(folder).map_err(|e| fs_error("create the folder", folder, e))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(folder, fs::Permissions::from_mode(0o700))
            .map_err(|e| fs_error("protect the folder", folder, e))?;
    }
    Ok(())
}

/// Writes `bytes` to a new owner-only file at `path` (temporary name, fsync, rename).
fn write_owner_only(path: &Path, bytes: &[u8]) -> Result<(), ApiError> {
    let tmp = path.with_extension("part");
    let mut options = fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(&tmp).map_err(|e| fs_error("write", &tmp, e))?;
    file.write_all(bytes).and_then(|_| file.sync_all()).map_err(|e| fs_error("write", &tmp, e))?;
    fs::rename(&tmp, path).map_err(|e| fs_error("write", path, e))
}

fn parse_secret(text: &str) -> Option<Zeroizing<[u8; 32]>> {
    let bytes = Zeroizing::new(hex::decode(text.trim()).ok()?);
    let mut secret = Zeroizing::new([0u8; 32]);
    if bytes.len() != 32 {
        return None;
    }
    secret.copy_from_slice(&bytes);
    Some(secret)
}

/// This laptop's place at a sync hub: where it is, the token it joined with, and the secret
/// half of the device key that signs each batch it sends.
#[derive(Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct HubPlace {
    pub url: String,
    pub token: String,
    /// Hex Ed25519 secret.
    pub device_key: String,
    pub agency: String,
    pub person: String,
}

/// Where a laptop syncs, without the secrets it syncs with.
#[derive(Clone, Debug)]
pub(crate) struct HubAddress {
    pub url: String,
    pub agency: String,
    pub person: String,
}

/// What `sync-<device>.json` holds: the place, its two secrets there only when no keychain
/// answered when the laptop joined.
#[derive(serde::Serialize, serde::Deserialize)]
struct HubPlaceFile {
    url: String,
    agency: String,
    person: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    token: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    device_key: Option<String>,
    /// The token and the device key are in the keychain.
    #[serde(default)]
    secrets_in_keychain: bool,
}

/// The two secrets of a hub place, as the keychain keeps them.
#[derive(serde::Serialize, serde::Deserialize)]
struct HubSecrets {
    token: String,
    device_key: String,
}

impl std::fmt::Debug for HubPlace {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HubPlace").field("url", &self.url).field("agency", &self.agency).finish_non_exhaustive()
    }
}

/// Checks a new key's passphrase.
pub(crate) fn check_new_passphrase(passphrase: &str) -> Result<(), ApiError> {
    if passphrase.trim().chars().count() < MIN_PASSPHRASE_CHARS {
        return Err(ApiError::invalid(format!(
            "a passphrase needs at least {MIN_PASSPHRASE_CHARS} characters: choose a longer one (a few words are easy to remember)"
        )));
    }
    Ok(())
}

impl LaptopKeys {
    /// The keys folder inside `data_folder` (the app's data folder).
    pub fn in_data_folder(data_folder: &Path) -> LaptopKeys {
        LaptopKeys { folder: data_folder.join("keys") }
    }

    /// This user's keys folder: `keys/` in the app's data folder (`~/.local/share/app.handoff.desktop/keys`
    /// on Linux).
    pub fn of_this_user() -> Result<LaptopKeys, ApiError> {
        let data = dirs::data_dir().ok_or_else(|| {
            ApiError::new(ErrorCode::NoDataFolder, "this system reports no data folder to keep signing keys in")
        })?;
        Ok(LaptopKeys::in_data_folder(&data.join(crate::APP_IDENTIFIER)))
    }

    /// The folder itself.
    pub fn folder(&self) -> &Path {
        &self.folder
    }

    fn person_folder(&self, person: PersonId) -> PathBuf {
        self.folder.join(person.to_string())
    }

    /// Whether a new key of the person who uses this laptop would go to the keychain.
    pub(crate) fn keychain_answers(&self) -> bool {
        keychain_answers()
    }

    /// The keys of `person` this laptop holds: (fingerprint stem, where), newest file last.
    pub(crate) fn held(&self, person: PersonId) -> Vec<(String, Kept)> {
        let Ok(entries) = fs::read_dir(self.person_folder(person)) else { return Vec::new() };
        let mut found: Vec<(std::time::SystemTime, String, Kept)> = entries
            .filter_map(|e| e.ok())
            .filter_map(|e| {
                let path = e.path();
                let stem = path.file_stem()?.to_str()?.to_string();
                let modified = e.metadata().and_then(|m| m.modified()).ok()?;
                match path.extension()?.to_str()? {
                    "age" => Some((modified, stem, Kept::File(path))),
                    "keychain" => Some((modified, stem, Kept::Keychain)),
                    _ => None,
                }
            })
            .collect();
        found.sort_by_key(|f| f.0);
        found.into_iter().map(|(_, stem, kept)| (stem, kept)).collect()
    }

    /// `person`'s keys that still count in the log and whose secret this laptop holds, oldest
    /// first: the last is the one they sign with here.
    pub(crate) fn held_keys<'a>(
        &'a self,
        dir: &'a Directory,
        person: PersonId,
    ) -> impl Iterator<Item = &'a SigningKey> + 'a {
        dir.keys.keys_of(person).filter(move |k| k.revoked.is_none() && self.where_is(person, &k.fingerprint).is_some())
    }

    /// Where `person`'s key with `fingerprint` is kept here, if it is.
    pub(crate) fn where_is(&self, person: PersonId, fingerprint: &str) -> Option<Kept> {
        let stem = file_stem(fingerprint);
        self.held(person).into_iter().find(|(s, _)| *s == stem).map(|(_, kept)| kept)
    }

    /// Keeps `person`'s new secret: in the keychain when `keychain` and one answers, else in a
    /// file encrypted with `passphrase`. Refused when neither is possible.
    pub(crate) fn keep(
        &self,
        person: PersonId,
        fingerprint: &str,
        secret: &[u8; 32],
        keychain: bool,
        passphrase: Option<&str>,
        work_factor: u8,
    ) -> Result<Kept, ApiError> {
        let folder = self.person_folder(person);
        owner_only_folder(&folder)?;
        let stem = file_stem(fingerprint);
        let hex_secret = Zeroizing::new(hex::encode(secret));
        if let Some(passphrase) = passphrase {
            check_new_passphrase(passphrase)?;
            let mut recipient = age::scrypt::Recipient::new(SecretString::from(passphrase.to_string()));
            recipient.set_work_factor(work_factor);
            let sealed = age::encrypt(&recipient, hex_secret.as_bytes())
                .map_err(|e| ApiError::new(ErrorCode::Storage, format!("cannot encrypt the key: {e}")))?;
            let path = folder.join(format!("{stem}.age"));
            write_owner_only(&path, &sealed)?;
            return Ok(Kept::File(path));
        }
        if keychain && keychain_answers() {
            let entry = keyring::Entry::new(KEYCHAIN_SERVICE, &format!("signing-key/{person}/{stem}"))
                .and_then(|entry| entry.set_password(&hex_secret).map(|_| entry));
            if entry.is_ok() {
                write_owner_only(&folder.join(format!("{stem}.keychain")), b"kept in the system keychain\n")?;
                return Ok(Kept::Keychain);
            }
        }
        Err(ApiError::new(
            ErrorCode::PassphraseNeeded,
            "this key needs a passphrase to protect it on this laptop: choose one only its holder knows",
        ))
    }

    /// Opens `person`'s key with `fingerprint`: from the keychain, or its file with `passphrase`.
    pub(crate) fn unlock(
        &self,
        person: PersonId,
        name: &str,
        fingerprint: &str,
        passphrase: Option<&str>,
    ) -> Result<Zeroizing<[u8; 32]>, ApiError> {
        let stem = file_stem(fingerprint);
        let damaged = || ApiError::new(ErrorCode::Storage, format!("{name}'s key file on this laptop is damaged"));
        match self.where_is(person, fingerprint) {
            None => Err(ApiError::new(
                ErrorCode::NoSigningKey,
                format!("{name} has no signing key on this laptop: a signature needs their own key, made here"),
            )),
            Some(Kept::Keychain) => {
                let secret = keyring::Entry::new(KEYCHAIN_SERVICE, &format!("signing-key/{person}/{stem}"))
                    .and_then(|entry| entry.get_password())
                    .map_err(|e| {
                        ApiError::new(ErrorCode::NoSigningKey, format!("the keychain did not give {name}'s key: {e}"))
                    })?;
                parse_secret(&Zeroizing::new(secret)).ok_or_else(damaged)
            }
            Some(Kept::File(path)) => {
                let Some(passphrase) = passphrase else {
                    return Err(ApiError::new(
                        ErrorCode::PassphraseNeeded,
                        format!("{name}'s signing key on this laptop is protected by their passphrase: {name} types it to sign"),
                    ));
                };
                let sealed = fs::read(&path).map_err(|e| fs_error("read", &path, e))?;
                let mut identity = age::scrypt::Identity::new(SecretString::from(passphrase.to_string()));
                identity.set_max_work_factor(*WORK_FACTORS.end());
                let plain = Zeroizing::new(age::decrypt(&identity, &sealed).map_err(|e| match e {
                    age::DecryptError::DecryptionFailed
                    | age::DecryptError::KeyDecryptionFailed
                    | age::DecryptError::NoMatchingKeys => ApiError::new(
                        ErrorCode::WrongPassphrase,
                        format!("that passphrase does not open {name}'s signing key: nothing was signed"),
                    ),
                    _ => damaged(),
                })?);
                parse_secret(std::str::from_utf8(&plain).map_err(|_| damaged())?).ok_or_else(damaged)
            }
        }
    }

    /// Forgets `person`'s key with `fingerprint` here (after it was revoked or replaced).
    pub(crate) fn forget(&self, person: PersonId, fingerprint: &str) {
        let stem = file_stem(fingerprint);
        let folder = self.person_folder(person);
        if folder.join(format!("{stem}.keychain")).exists() {
            if let Ok(entry) = keyring::Entry::new(KEYCHAIN_SERVICE, &format!("signing-key/{person}/{stem}")) {
                let _ = entry.delete_credential();
            }
        }
        for ext in ["age", "keychain"] {
            let _ = fs::remove_file(folder.join(format!("{stem}.{ext}")));
        }
    }

    /// This laptop's sealing key for `device`, if it has one.
    fn hub_file(&self, device: DeviceId) -> PathBuf {
        self.folder.join(format!("sync-{device}.json"))
    }

    fn hub_secrets_entry(device: DeviceId) -> keyring::Result<keyring::Entry> {
        keyring::Entry::new(KEYCHAIN_SERVICE, &format!("sync-hub/{device}"))
    }

    fn hub_place_file(&self, device: DeviceId) -> Result<Option<HubPlaceFile>, ApiError> {
        let path = self.hub_file(device);
        let bytes = match fs::read(&path) {
            Ok(bytes) => Zeroizing::new(bytes),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(fs_error("read", &path, e)),
        };
        serde_json::from_slice(&bytes).map(Some).map_err(|e| {
            ApiError::new(
                ErrorCode::Storage,
                format!("{} cannot be read ({e}): leave the hub and join again", path.display()),
            )
        })
    }

    /// Where laptop `device` syncs — the hub's address, the agency and the person — without
    /// its secrets (so where it syncs can be said, and left, even when they cannot be read).
    pub(crate) fn hub_address(&self, device: DeviceId) -> Result<Option<HubAddress>, ApiError> {
        Ok(self.hub_place_file(device)?.map(|f| HubAddress { url: f.url, agency: f.agency, person: f.person }))
    }

    /// Where laptop `device` syncs, with the token and key it syncs with, once it joined a hub.
    pub(crate) fn hub_place(&self, device: DeviceId) -> Result<Option<HubPlace>, ApiError> {
        let path = self.hub_file(device);
        let unreadable = |why: String| {
            ApiError::new(
                ErrorCode::Storage,
                format!("{} cannot be read ({why}): leave the hub and join again", path.display()),
            )
        };
        let Some(file) = self.hub_place_file(device)? else { return Ok(None) };
        let secrets = if file.secrets_in_keychain {
            let text = Zeroizing::new(
                Self::hub_secrets_entry(device)
                    .and_then(|entry| entry.get_password())
                    .map_err(|e| unreadable(format!("the keychain did not give its token: {e}")))?,
            );
            serde_json::from_str(&text).map_err(|e| unreadable(e.to_string()))?
        } else {
            match (file.token, file.device_key) {
                (Some(token), Some(device_key)) => HubSecrets { token, device_key },
                _ => return Err(unreadable("its token is missing".into())),
            }
        };
        Ok(Some(HubPlace {
            url: file.url,
            token: secrets.token,
            device_key: secrets.device_key,
            agency: file.agency,
            person: file.person,
        }))
    }

    /// Keeps where laptop `device` syncs: its token and device key in the keychain when one
    /// answers, else with the address in the owner-only file.
    pub(crate) fn keep_hub_place(&self, device: DeviceId, place: &HubPlace) -> Result<(), ApiError> {
        owner_only_folder(&self.folder)?;
        let secrets = HubSecrets { token: place.token.clone(), device_key: place.device_key.clone() };
        let in_keychain = keychain_answers() && {
            let text = Zeroizing::new(serde_json::to_string(&secrets).expect("secrets serialise"));
            Self::hub_secrets_entry(device).and_then(|entry| entry.set_password(&text)).is_ok()
        };
        let file = HubPlaceFile {
            url: place.url.clone(),
            agency: place.agency.clone(),
            person: place.person.clone(),
            token: (!in_keychain).then(|| secrets.token.clone()),
            device_key: (!in_keychain).then(|| secrets.device_key.clone()),
            secrets_in_keychain: in_keychain,
        };
        let text = Zeroizing::new(serde_json::to_vec_pretty(&file).expect("a hub place serialises"));
        let written = write_owner_only(&self.hub_file(device), &text);
        if written.is_err() && in_keychain {
            // No place without its file: the secrets just kept go too.
            if let Ok(entry) = Self::hub_secrets_entry(device) {
                let _ = entry.delete_credential();
            }
        }
        written
    }

    /// Forgets where laptop `device` syncs: it no longer reaches any hub. The file goes first (the
    /// laptop has left once it is gone), then the secrets in the keychain, if they were there.
    pub(crate) fn forget_hub_place(&self, device: DeviceId) -> Result<(), ApiError> {
        let in_keychain = self.hub_place_file(device).ok().flatten().is_some_and(|f| f.secrets_in_keychain);
        match fs::remove_file(self.hub_file(device)) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(fs_error("remove", &self.hub_file(device), e)),
        }
        if in_keychain {
            let forgotten = if keychain_answers() {
                Self::hub_secrets_entry(device).and_then(|entry| entry.delete_credential())
            } else {
                Err(keyring::Error::PlatformFailure("no keychain answers here".into()))
            };
            if let Err(e) = forgotten.or_else(|e| if matches!(e, keyring::Error::NoEntry) { Ok(()) } else { Err(e) }) {
                return Err(ApiError::new(
                    ErrorCode::Storage,
                    format!(
                        "this laptop has left the hub, but the system keychain kept its token ({e}): remove the entry \"sync-hub/{device}\" of {KEYCHAIN_SERVICE} from the keychain"
                    ),
                ));
            }
        }
        Ok(())
    }

    pub(crate) fn sealing_key(&self, device: DeviceId) -> Result<Option<Zeroizing<[u8; 32]>>, ApiError> {
        let damaged = || ApiError::new(ErrorCode::Storage, "this laptop's sealing key is damaged".to_string());
        if self.folder.join(format!("device-{device}.keychain")).exists() {
            let secret = keyring::Entry::new(KEYCHAIN_SERVICE, &format!("sealing-key/{device}"))
                .and_then(|entry| entry.get_password())
                .map_err(|e| {
                    ApiError::new(ErrorCode::Storage, format!("the keychain did not give the sealing key: {e}"))
                })?;
            return parse_secret(&Zeroizing::new(secret)).map(Some).ok_or_else(damaged);
        }
        let path = self.folder.join(format!("device-{device}.key"));
        match fs::read_to_string(&path) {
            Ok(text) => parse_secret(&Zeroizing::new(text)).map(Some).ok_or_else(damaged),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(fs_error("read", &path, e)),
        }
    }

    /// Keeps this laptop's new sealing key: in the keychain when one answers, else owner-only.
    pub(crate) fn keep_sealing_key(&self, device: DeviceId, secret: &[u8; 32]) -> Result<Kept, ApiError> {
        owner_only_folder(&self.folder)?;
        let hex_secret = Zeroizing::new(hex::encode(secret));
        if keychain_answers() {
            let kept = keyring::Entry::new(KEYCHAIN_SERVICE, &format!("sealing-key/{device}"))
                .and_then(|entry| entry.set_password(&hex_secret));
            if kept.is_ok() {
                write_owner_only(
                    &self.folder.join(format!("device-{device}.keychain")),
                    b"kept in the system keychain\n",
                )?;
                return Ok(Kept::Keychain);
            }
        }
        let path = self.folder.join(format!("device-{device}.key"));
        write_owner_only(&path, hex_secret.as_bytes())?;
        Ok(Kept::File(path))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    const SAM: PersonId = PersonId(Uuid::from_u128(1));

    #[test]
    fn a_passphrase_file_opens_only_with_its_passphrase_and_is_owner_only() {
        let dir = tempfile::tempdir().unwrap();
        let keys = LaptopKeys::in_data_folder(dir.path());
        let secret = [3u8; 32];
        let kept = keys.keep(SAM, "3f9a 1c0b 77e2 d410", &secret, false, Some("correct horse"), 10).unwrap();
        let Kept::File(path) = &kept else { panic!("a file: {kept:?}") };
        assert!(!fs::read(path).unwrap().windows(64).any(|w| w == hex::encode(secret).as_bytes()), "not plain text");
        assert_eq!(*keys.unlock(SAM, "Sam", "3F9A1C0B77E2D410", Some("correct horse")).unwrap(), secret);
        let wrong = keys.unlock(SAM, "Sam", "3f9a 1c0b 77e2 d410", Some("wrong horse")).unwrap_err();
        assert_eq!(wrong.code, ErrorCode::WrongPassphrase);
        let none = keys.unlock(SAM, "Sam", "3f9a 1c0b 77e2 d410", None).unwrap_err();
        assert_eq!(none.code, ErrorCode::PassphraseNeeded);
        assert_eq!(keys.unlock(SAM, "Sam", "0000 0000 0000 0000", None).unwrap_err().code, ErrorCode::NoSigningKey);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(fs::metadata(path).unwrap().permissions().mode() & 0o777, 0o600);
            assert_eq!(fs::metadata(keys.folder()).unwrap().permissions().mode() & 0o777, 0o700);
            assert_eq!(fs::metadata(path.parent().unwrap()).unwrap().permissions().mode() & 0o777, 0o700);
        }
        keys.forget(SAM, "3f9a 1c0b 77e2 d410");
        assert!(keys.held(SAM).is_empty());
    }

    #[test]
    fn a_short_passphrase_is_refused_before_anything_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let keys = LaptopKeys::in_data_folder(dir.path());
        let err = keys.keep(SAM, "aaaa", &[3u8; 32], false, Some("short"), 10).unwrap_err();
        assert!(err.message.contains("at least 8 characters"), "{}", err.message);
        assert!(keys.held(SAM).is_empty());
    }

    #[test]
    fn a_hub_place_is_kept_owner_only_read_back_and_forgotten() {
        let dir = tempfile::tempdir().unwrap();
        let keys = LaptopKeys::in_data_folder(dir.path());
        let device = DeviceId(Uuid::from_u128(7));
        assert!(keys.hub_place(device).unwrap().is_none());
        let place = HubPlace {
            url: "https://hub.example".into(),
            token: "hndf_secret_token".into(),
            device_key: "ab".repeat(32),
            agency: "Wayfarer".into(),
            person: "Sam Reyes".into(),
        };
        keys.keep_hub_place(device, &place).unwrap();
        let back = keys.hub_place(device).unwrap().unwrap();
        assert_eq!((back.url, back.token, back.device_key), (place.url, place.token.clone(), place.device_key));
        let file = keys.hub_file(device);
        let text = fs::read_to_string(&file).unwrap();
        assert_eq!(
            text.contains(&place.token),
            !keychain_answers(),
            "the token leaves the file when a keychain holds it"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);
        }
        keys.forget_hub_place(device).unwrap();
        assert!(keys.hub_place(device).unwrap().is_none());
        // A file written before the keychain held the secrets still reads.
        let older = serde_json::json!({"url": "u", "token": "t", "device_key": "k", "agency": "a", "person": "p"});
        fs::write(&file, older.to_string()).unwrap();
        assert_eq!(keys.hub_place(device).unwrap().unwrap().token, "t");
        fs::write(&file, r#"{"url": "u", "agency": "a", "person": "p"}"#).unwrap();
        let err = keys.hub_place(device).unwrap_err();
        assert!(err.message.contains("leave the hub and join again"), "{}", err.message);
        // Secrets the keychain no longer gives: where the laptop syncs is still said, and it can
        // still leave.
        fs::write(&file, r#"{"url": "u", "agency": "a", "person": "p", "secrets_in_keychain": true}"#).unwrap();
        assert!(keys.hub_place(device).is_err());
        assert_eq!(keys.hub_address(device).unwrap().unwrap().agency, "a");
        if let Err(e) = keys.forget_hub_place(device) {
            assert!(e.message.contains("has left the hub"), "{}", e.message);
        }
        assert!(keys.hub_address(device).unwrap().is_none(), "left");
    }

    #[test]
    fn the_sealing_key_is_kept_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let keys = LaptopKeys::in_data_folder(dir.path());
        let device = DeviceId(Uuid::from_u128(7));
        assert!(keys.sealing_key(device).unwrap().is_none());
        keys.keep_sealing_key(device, &[9u8; 32]).unwrap();
        assert_eq!(*keys.sealing_key(device).unwrap().unwrap(), [9u8; 32]);
    }
}
