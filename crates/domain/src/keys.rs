//! Whose keys count: each person's signing keys (Ed25519, one per laptop they sign on) and each
//! laptop's document-sealing key (P-256, the key exported PDFs are signed with), as registered and
//! revoked in the log. A key counts from its registration until its revocation; a sign-off given
//! while it counted stays valid after. Part of the directory; pure.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::event::EventBody;
use crate::ids::{DeviceId, PersonId};
use crate::signing;
use crate::RuleError;

/// The longest reason a revocation may give.
pub const MAX_REASON_CHARS: usize = 500;

/// When and why a key stopped counting.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revocation {
    pub at: DateTime<Utc>,
    pub reason: String,
}

/// A person's signing key.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SigningKey {
    pub person: PersonId,
    /// The laptop it was made on (and whose disk or keychain holds its secret).
    pub device: DeviceId,
    /// Ed25519 public key, hex.
    pub public_key: String,
    pub fingerprint: String,
    pub registered_at: DateTime<Utc>,
    pub revoked: Option<Revocation>,
}

/// A laptop's document-sealing key.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceKey {
    pub device: DeviceId,
    /// P-256 public key, SEC1 uncompressed (65 bytes), hex.
    pub public_key: String,
    pub fingerprint: String,
    pub registered_at: DateTime<Utc>,
    pub revoked: Option<Revocation>,
}

/// Every key the log has registered, in the order registered.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Keys {
    pub signing: Vec<SigningKey>,
    pub devices: Vec<DeviceKey>,
}

impl Keys {
    /// The signing key with this fingerprint, whoever holds it.
    pub fn signing_key(&self, fingerprint: &str) -> Option<&SigningKey> {
        self.signing.iter().find(|k| k.fingerprint == fingerprint)
    }

    /// `person`'s key with this fingerprint, if it counts now (registered to them, not revoked).
    pub fn valid_key_of(&self, person: PersonId, fingerprint: &str) -> Option<&SigningKey> {
        self.signing.iter().find(|k| k.person == person && k.fingerprint == fingerprint && k.revoked.is_none())
    }

    /// Every key of `person`, oldest first.
    pub fn keys_of(&self, person: PersonId) -> impl Iterator<Item = &SigningKey> {
        self.signing.iter().filter(move |k| k.person == person)
    }

    /// The sealing key with this public key (hex), if the log has it.
    pub fn device_key(&self, public_key_hex: &str) -> Option<&DeviceKey> {
        self.devices.iter().find(|k| k.public_key.eq_ignore_ascii_case(public_key_hex))
    }

    /// The sealing key `device` uses now.
    pub fn device_key_of(&self, device: DeviceId) -> Option<&DeviceKey> {
        self.devices.iter().rev().find(|k| k.device == device && k.revoked.is_none())
    }

    // ---- decisions ---------------------------------------------------------------------------

    /// Registers `person`'s new key, made on `device`, with its proof of possession.
    pub fn register_signing_key(
        &self,
        person: PersonId,
        device: DeviceId,
        secret: &[u8; 32],
    ) -> Result<EventBody, RuleError> {
        let public_key = signing::public_key_hex(secret);
        if self.signing_key(&signing::fingerprint(&signing::public_key(secret))).is_some() {
            return Err(RuleError::KeyExists);
        }
        let proof = signing::sign(secret, &signing::key_message(person, device, &public_key));
        Ok(EventBody::SigningKeyRegistered { person, device, public_key, proof })
    }

    /// Revokes `person`'s keys that still count — the one with `fingerprint`, or all of them.
    pub fn revoke_signing_keys(
        &self,
        person: PersonId,
        name: &str,
        fingerprint: Option<&str>,
        reason: &str,
    ) -> Result<Vec<EventBody>, RuleError> {
        check_reason(reason)?;
        let chosen: Vec<&SigningKey> =
            self.keys_of(person).filter(|k| fingerprint.is_none_or(|f| same_fingerprint(&k.fingerprint, f))).collect();
        if chosen.is_empty() {
            return Err(RuleError::NoSigningKey { person: name.to_string() });
        }
        let valid: Vec<&&SigningKey> = chosen.iter().filter(|k| k.revoked.is_none()).collect();
        if valid.is_empty() {
            return Err(RuleError::KeyRevoked { person: name.to_string(), fingerprint: chosen[0].fingerprint.clone() });
        }
        Ok(valid
            .into_iter()
            .map(|k| EventBody::SigningKeyRevoked {
                person,
                fingerprint: k.fingerprint.clone(),
                reason: reason.trim().to_string(),
            })
            .collect())
    }

    /// Registers `device`'s sealing key (P-256, SEC1 uncompressed, hex).
    pub fn register_device_key(&self, device: DeviceId, public_key: String) -> Result<EventBody, RuleError> {
        if !is_p256_point(&public_key) {
            return Err(RuleError::IllegalTransition {
                event: "device_key_registered",
                reason: "a sealing key is a P-256 point, 65 bytes of hex".into(),
            });
        }
        if self.device_key(&public_key).is_some() {
            return Err(RuleError::KeyExists);
        }
        Ok(EventBody::DeviceKeyRegistered { device, public_key })
    }

    /// Revokes `device`'s sealing keys that still count.
    pub fn revoke_device_keys(&self, device: DeviceId, reason: &str) -> Result<Vec<EventBody>, RuleError> {
        check_reason(reason)?;
        let valid: Vec<EventBody> = self
            .devices
            .iter()
            .filter(|k| k.device == device && k.revoked.is_none())
            .map(|k| EventBody::DeviceKeyRevoked {
                device,
                fingerprint: k.fingerprint.clone(),
                reason: reason.trim().to_string(),
            })
            .collect();
        if valid.is_empty() {
            return Err(RuleError::NoDeviceKey { device: device.to_string() });
        }
        Ok(valid)
    }

    // ---- fold --------------------------------------------------------------------------------

    /// Folds a key event at `at`; refuses what the decisions refuse. `person_exists` says whether
    /// the directory knows the person.
    pub(crate) fn apply(
        &mut self,
        event: &EventBody,
        at: DateTime<Utc>,
        person_exists: impl Fn(PersonId) -> bool,
    ) -> Result<(), RuleError> {
        let illegal = |reason: &str| RuleError::IllegalTransition { event: event.name(), reason: reason.into() };
        match event {
            EventBody::SigningKeyRegistered { person, device, public_key, proof } => {
                if !person_exists(*person) {
                    return Err(illegal("a key is registered for a person of the agency"));
                }
                if !signing::verify(public_key, &signing::key_message(*person, *device, public_key), proof) {
                    return Err(illegal("the key's proof does not verify: whoever registered it does not hold it"));
                }
                let fingerprint = signing::fingerprint_of_hex(public_key).ok_or_else(|| illegal("not hex"))?;
                if self.signing_key(&fingerprint).is_some() {
                    return Err(illegal("this key is registered already"));
                }
                self.signing.push(SigningKey {
                    person: *person,
                    device: *device,
                    public_key: public_key.to_ascii_lowercase(),
                    fingerprint,
                    registered_at: at,
                    revoked: None,
                });
            }
            EventBody::SigningKeyRevoked { person, fingerprint, reason } => {
                check_reason(reason)?;
                let key = self
                    .signing
                    .iter_mut()
                    .find(|k| k.person == *person && k.fingerprint == *fingerprint)
                    .ok_or_else(|| illegal("no such key of that person"))?;
                revoke(&mut key.revoked, at, reason).map_err(illegal)?;
            }
            EventBody::DeviceKeyRegistered { device, public_key } => {
                if !is_p256_point(public_key) {
                    return Err(illegal("a sealing key is a P-256 point, 65 bytes of hex"));
                }
                if self.device_key(public_key).is_some() {
                    return Err(illegal("this sealing key is registered already"));
                }
                let fingerprint = signing::fingerprint_of_hex(public_key).ok_or_else(|| illegal("not hex"))?;
                self.devices.push(DeviceKey {
                    device: *device,
                    public_key: public_key.to_ascii_lowercase(),
                    fingerprint,
                    registered_at: at,
                    revoked: None,
                });
            }
            EventBody::DeviceKeyRevoked { device, fingerprint, reason } => {
                check_reason(reason)?;
                let key = self
                    .devices
                    .iter_mut()
                    .find(|k| k.device == *device && k.fingerprint == *fingerprint)
                    .ok_or_else(|| illegal("no such sealing key of that laptop"))?;
                revoke(&mut key.revoked, at, reason).map_err(illegal)?;
            }
            _ => return Err(illegal("not a key event")),
        }
        Ok(())
    }
}

/// Marks a key revoked at `at`, once.
fn revoke(revoked: &mut Option<Revocation>, at: DateTime<Utc>, reason: &str) -> Result<(), &'static str> {
    if revoked.is_some() {
        return Err("the key is revoked already");
    }
    *revoked = Some(Revocation { at, reason: reason.to_string() });
    Ok(())
}

/// Fingerprints compare ignoring case and spaces, so "3F9A1C0B…" finds "3f9a 1c0b …".
pub fn same_fingerprint(a: &str, b: &str) -> bool {
    let norm = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase();
    let (a, b) = (norm(a), norm(b));
    !b.is_empty() && a == b
}

fn check_reason(reason: &str) -> Result<(), RuleError> {
    if reason.trim().is_empty() {
        return Err(RuleError::Empty { what: "the reason" });
    }
    let len = reason.chars().count();
    if len > MAX_REASON_CHARS {
        return Err(RuleError::TooLong { what: "the reason", len, max: MAX_REASON_CHARS });
    }
    Ok(())
}

fn is_p256_point(hex_text: &str) -> bool {
    hex::decode(hex_text).is_ok_and(|b| b.len() == 65 && b[0] == 4)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use uuid::Uuid;

    const SAM: PersonId = PersonId(Uuid::from_u128(1));
    const FAY: PersonId = PersonId(Uuid::from_u128(2));
    const LAPTOP: DeviceId = DeviceId(Uuid::from_u128(9));

    fn at(h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 3, h, 0, 0).unwrap()
    }

    fn keys_with(secret: &[u8; 32], person: PersonId) -> Keys {
        let mut keys = Keys::default();
        let e = keys.register_signing_key(person, LAPTOP, secret).unwrap();
        keys.apply(&e, at(9), |_| true).unwrap();
        keys
    }

    #[test]
    fn a_registered_key_counts_for_its_person_only_until_revoked() {
        let secret = [5u8; 32];
        let mut keys = keys_with(&secret, SAM);
        let fp = signing::fingerprint(&signing::public_key(&secret));
        assert!(keys.valid_key_of(SAM, &fp).is_some());
        assert!(keys.valid_key_of(FAY, &fp).is_none(), "not Fay's key");
        for e in keys.revoke_signing_keys(SAM, "Sam", None, "lost laptop").unwrap() {
            keys.apply(&e, at(10), |_| true).unwrap();
        }
        assert!(keys.valid_key_of(SAM, &fp).is_none());
        assert_eq!(keys.signing[0].revoked, Some(Revocation { at: at(10), reason: "lost laptop".into() }));
        let again = keys.revoke_signing_keys(SAM, "Sam", None, "again").unwrap_err();
        assert!(matches!(again, RuleError::KeyRevoked { .. }), "{again}");
    }

    #[test]
    fn a_key_is_registered_only_with_its_proof_for_a_known_person() {
        let secret = [6u8; 32];
        let mut keys = Keys::default();
        let e = keys.register_signing_key(SAM, LAPTOP, &secret).unwrap();
        let EventBody::SigningKeyRegistered { person, device, public_key, proof } = e.clone() else { unreachable!() };
        let claimed = EventBody::SigningKeyRegistered { person: FAY, device, public_key: public_key.clone(), proof };
        assert!(keys.clone().apply(&claimed, at(9), |_| true).is_err(), "Sam's proof does not register it as Fay's");
        let forged = EventBody::SigningKeyRegistered { person, device, public_key, proof: "00".repeat(64) };
        assert!(keys.clone().apply(&forged, at(9), |_| true).is_err(), "no proof, no key");
        assert!(keys.clone().apply(&e, at(9), |_| false).is_err(), "an unknown person");
        keys.apply(&e, at(9), |_| true).unwrap();
        assert_eq!(keys.register_signing_key(SAM, LAPTOP, &secret), Err(RuleError::KeyExists));
        assert!(keys.apply(&e, at(9), |_| true).is_err(), "registered twice");
    }

    #[test]
    fn revoking_needs_a_reason_and_a_key_and_picks_one_by_fingerprint() {
        let mut keys = keys_with(&[5u8; 32], SAM);
        let second = keys.register_signing_key(SAM, LAPTOP, &[7u8; 32]).unwrap();
        keys.apply(&second, at(9), |_| true).unwrap();
        assert!(matches!(keys.revoke_signing_keys(SAM, "Sam", None, "  "), Err(RuleError::Empty { .. })));
        assert!(matches!(keys.revoke_signing_keys(FAY, "Fay", None, "left"), Err(RuleError::NoSigningKey { .. })));
        let fp = keys.signing[1].fingerprint.to_ascii_uppercase().replace(' ', "");
        let one = keys.revoke_signing_keys(SAM, "Sam", Some(&fp), "rotated").unwrap();
        assert_eq!(one.len(), 1);
        assert_eq!(keys.revoke_signing_keys(SAM, "Sam", None, "left").unwrap().len(), 2);
    }

    #[test]
    fn a_sealing_key_is_a_p256_point_registered_once_and_revocable() {
        let mut keys = Keys::default();
        assert!(keys.register_device_key(LAPTOP, "04".into()).is_err());
        let point = format!("04{}", "ab".repeat(64));
        let e = keys.register_device_key(LAPTOP, point.clone()).unwrap();
        keys.apply(&e, at(9), |_| true).unwrap();
        assert_eq!(keys.device_key_of(LAPTOP).map(|k| k.public_key.as_str()), Some(point.as_str()));
        assert_eq!(keys.register_device_key(LAPTOP, point.clone()), Err(RuleError::KeyExists));
        for e in keys.revoke_device_keys(LAPTOP, "stolen").unwrap() {
            keys.apply(&e, at(10), |_| true).unwrap();
        }
        assert!(keys.device_key_of(LAPTOP).is_none());
        assert!(keys.device_key(&point).is_some_and(|k| k.revoked.is_some()));
        assert!(matches!(keys.revoke_device_keys(LAPTOP, "again"), Err(RuleError::NoDeviceKey { .. })));
    }
}
