//! Verifiable sign-offs. Each person signs with their own Ed25519 key, made on a laptop they use
//! and registered in the log by an event that the key itself signs (so nobody can register a key
//! they do not hold). A sign-off carries the key's fingerprint and its signature of a message that
//! binds the deal, the signer, their role, the time and the brief's SHA-256; anyone with the log can
//! check it. Pure: keys and bytes in, answers out — where secrets live is the api's business.

use chrono::{DateTime, SecondsFormat, Utc};
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};

use crate::brief::SignerRole;
use crate::ids::{DealId, DeviceId, PersonId};

/// The exact bytes a sign-off signature covers.
pub fn signoff_message(deal: DealId, signer: PersonId, role: SignerRole, at: DateTime<Utc>, sha256: &str) -> Vec<u8> {
    format!(
        "handoff-signoff-v1\ndeal {deal}\nsigner {signer}\nrole {}\nat {}\nsha256 {sha256}\n",
        role.as_str(),
        at.to_rfc3339_opts(SecondsFormat::Micros, true)
    )
    .into_bytes()
}

/// The exact bytes a key registration's proof covers: the key's holder signs that this public key
/// is theirs, made on this device.
pub fn key_message(person: PersonId, device: DeviceId, public_key_hex: &str) -> Vec<u8> {
    format!("handoff-signing-key-v1\nperson {person}\ndevice {device}\npublic-key {public_key_hex}\n").into_bytes()
}

/// A public key's fingerprint: the first 16 hex digits of its SHA-256, in groups of four.
pub fn fingerprint(public_key: &[u8]) -> String {
    let digest = hex::encode(Sha256::digest(public_key));
    digest.as_bytes()[..16].chunks(4).map(|c| std::str::from_utf8(c).expect("hex")).collect::<Vec<_>>().join(" ")
}

/// The fingerprint of a public key written as hex, or `None` when it is not hex.
pub fn fingerprint_of_hex(public_key_hex: &str) -> Option<String> {
    hex::decode(public_key_hex).ok().map(|bytes| fingerprint(&bytes))
}

/// The public key of a secret key.
pub fn public_key(secret: &[u8; 32]) -> [u8; 32] {
    SigningKey::from_bytes(secret).verifying_key().to_bytes()
}

/// The public key of a secret key, as hex (how the log writes it).
pub fn public_key_hex(secret: &[u8; 32]) -> String {
    hex::encode(public_key(secret))
}

/// Signs `message` with a secret key; the signature as hex.
pub fn sign(secret: &[u8; 32], message: &[u8]) -> String {
    hex::encode(SigningKey::from_bytes(secret).sign(message).to_bytes())
}

/// Whether `signature_hex` is a valid signature of `message` by `public_key_hex`.
pub fn verify(public_key_hex: &str, message: &[u8], signature_hex: &str) -> bool {
    let Ok(key) = hex::decode(public_key_hex) else { return false };
    let Ok(sig) = hex::decode(signature_hex) else { return false };
    let (Ok(key), Ok(sig)) = (<[u8; 32]>::try_from(key.as_slice()), <[u8; 64]>::try_from(sig.as_slice())) else {
        return false;
    };
    let Ok(key) = VerifyingKey::from_bytes(&key) else { return false };
    key.verify_strict(message, &Signature::from_bytes(&sig)).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use uuid::Uuid;

    #[test]
    fn a_signature_verifies_only_for_its_exact_message_and_key() {
        let secret = [7u8; 32];
        let public = public_key_hex(&secret);
        let at = Utc.with_ymd_and_hms(2026, 3, 3, 14, 10, 0).unwrap();
        let deal = DealId(Uuid::from_u128(1));
        let signer = PersonId(Uuid::from_u128(2));
        let msg = signoff_message(deal, signer, SignerRole::Sales, at, "ab".repeat(32).as_str());
        let sig = sign(&secret, &msg);
        assert!(verify(&public, &msg, &sig));
        let other = signoff_message(deal, signer, SignerRole::Sales, at, "cd".repeat(32).as_str());
        assert!(!verify(&public, &other, &sig), "another hash");
        let other_key = public_key_hex(&[8u8; 32]);
        assert!(!verify(&other_key, &msg, &sig), "another key");
        assert!(!verify("zz", &msg, &sig) && !verify(&public, &msg, "00"));
    }

    #[test]
    fn a_key_proof_binds_the_person_and_the_device() {
        let secret = [9u8; 32];
        let public = public_key_hex(&secret);
        let (sam, fay, laptop) = (PersonId(Uuid::from_u128(1)), PersonId(Uuid::from_u128(2)), DeviceId(Uuid::nil()));
        let proof = sign(&secret, &key_message(sam, laptop, &public));
        assert!(verify(&public, &key_message(sam, laptop, &public), &proof));
        assert!(!verify(&public, &key_message(fay, laptop, &public), &proof), "claimed for someone else");
    }

    #[test]
    fn fingerprints_are_four_groups_of_four() {
        let f = fingerprint(&public_key(&[1u8; 32]));
        assert_eq!(f.len(), 19);
        assert_eq!(f.split(' ').count(), 4);
        assert_eq!(fingerprint_of_hex(&public_key_hex(&[1u8; 32])), Some(f));
        assert_eq!(fingerprint_of_hex("not hex"), None);
    }
}
