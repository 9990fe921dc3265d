//! Checking an exported file: a brief or a service pack proves itself only when its own PDF
//! signature verifies over every byte with a laptop key the log registered and did not revoke —
//! then, and only then, what the file says (the brief's hash) is believed, and the brief's
//! sign-offs on that content are checked against each signer's registered key.

use std::io::Read;
use std::path::Path;

use handoff_domain::brief::SignerRole;
use handoff_domain::calendar::Calendar;
use handoff_domain::deal::Deal;
use handoff_domain::directory::Directory;
use handoff_domain::signing::{signoff_message, verify};
use handoff_pdf as pdf;
use handoff_store::query;
use handoff_store::Connection;

use crate::dto::*;
use crate::load::load_from;
use crate::view::person_ref;
use crate::{ApiError, Ctx};

/// The largest file `verify` reads: far above any brief or pack Handoff writes.
const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Which document a file is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Brief,
    Pack,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Brief => "brief",
            Kind::Pack => "service pack",
        }
    }
}

/// What a file's metadata says: which document, and the brief SHA-256 it carries.
struct Claims {
    kind: Option<Kind>,
    sha256: Option<String>,
}

fn info_text(raw: &[u8]) -> String {
    match raw {
        [0xFE, 0xFF, rest @ ..] => {
            let units: Vec<u16> = rest.chunks(2).map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)])).collect();
            String::from_utf16_lossy(&units)
        }
        _ => String::from_utf8_lossy(raw).into_owned(),
    }
}

/// The first 64-digit hex run in `text`, standing alone.
fn sha256_in(text: &str) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    (0..chars.len().saturating_sub(63)).find_map(|start| {
        let window: String = chars[start..start + 64].iter().collect();
        let bounded = start + 64 == chars.len() || !chars[start + 64].is_ascii_hexdigit();
        let begins = start == 0 || !chars[start - 1].is_ascii_hexdigit();
        (begins && bounded && window.chars().all(|c| c.is_ascii_hexdigit())).then(|| window.to_ascii_lowercase())
    })
}

fn claims(bytes: &[u8]) -> Claims {
    let none = Claims { kind: None, sha256: None };
    let Ok(doc) = lopdf::Document::load_mem(bytes) else { return none };
    let Some(info) = doc.trailer.get(b"Info").ok().and_then(|o| o.as_reference().ok()) else { return none };
    let Ok(info) = doc.get_dictionary(info) else { return none };
    let field = |key: &[u8]| info.get(key).and_then(|o| o.as_str()).map(info_text).unwrap_or_default();
    let (subject, keywords) = (field(b"Subject"), field(b"Keywords"));
    let kind = if keywords.contains("service handoff pack") {
        Some(Kind::Pack)
    } else if keywords.contains("handoff brief") {
        Some(Kind::Brief)
    } else {
        None
    };
    Claims { kind, sha256: sha256_in(&subject).or_else(|| sha256_in(&keywords)) }
}

fn read_capped(path: &Path) -> Result<Vec<u8>, ApiError> {
    let cannot = |e: std::io::Error| ApiError::invalid(format!("cannot read {}: {e}", path.display()));
    let file = std::fs::File::open(path).map_err(cannot)?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes).map_err(cannot)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(ApiError::invalid(format!(
            "{} is larger than {} MB: it is not a brief or pack exported by Handoff",
            path.display(),
            MAX_FILE_BYTES / 1024 / 1024
        )));
    }
    Ok(bytes)
}

fn stamp(cal: &Calendar, t: chrono::DateTime<chrono::Utc>) -> String {
    cal.local_datetime(t).format("%Y-%m-%d %H:%M").to_string()
}

/// The file's own signature, checked over every byte and against the laptop keys of the log.
fn check_seal(dir: &Directory, cal: &Calendar, bytes: &[u8], problems: &mut Vec<String>) -> Option<SealCheck> {
    let report = match pdf::check_seal(bytes) {
        Ok(r) => r,
        Err(e) => {
            problems.push(format!("the file's own digital signature fails: {e}"));
            return None;
        }
    };
    let public = hex::encode(&report.public_key);
    let key = dir.keys.device_key(&public);
    let mut check = SealCheck {
        valid: true,
        exported_by: report.common_name.clone(),
        exported_at: report.signed_at,
        key_fingerprint: handoff_domain::signing::fingerprint(&report.public_key),
        device: key.map(|k| k.device.to_string()),
        key_revoked: None,
    };
    match key {
        None => problems.push(format!(
            "it was sealed by a key this agency's log does not know ({}): it was not exported by one of its laptops",
            check.key_fingerprint
        )),
        Some(k) => {
            if let Some(r) = &k.revoked {
                let when = format!("revoked {} ({})", stamp(cal, r.at), r.reason);
                problems.push(format!("it was sealed by a laptop key that is {when}"));
                check.key_revoked = Some(when);
            }
        }
    }
    check.valid = check.device.is_some() && check.key_revoked.is_none();
    Some(check)
}

/// The deal a file's brief hash belongs to: named, or found by the hash.
fn find_deal(c: &Connection, named: Option<&str>, sha: Option<&str>) -> Result<Option<Deal>, ApiError> {
    if let Some(d) = named {
        return Ok(Some(load_from(c, d)?));
    }
    let Some(h) = sha else { return Ok(None) };
    Ok(query::deals(c, None)?
        .iter()
        .filter_map(|row| query::deal(c, row.id).ok().flatten())
        .find(|d| d.brief.sha256(d.id) == h || d.signatures.iter().any(|s| s.brief_sha256 == h)))
}

/// Each sign-off on the content with hash `sha`, checked against the signer's registered key.
fn signature_checks(dir: &Directory, cal: &Calendar, deal: &Deal, sha: &str) -> Vec<SignatureCheck> {
    deal.signatures
        .iter()
        .filter(|s| s.brief_sha256 == sha)
        .map(|s| {
            let key = dir.keys.signing_key(&s.key_fingerprint).filter(|k| k.person == s.signer);
            let message = signoff_message(deal.id, s.signer, s.role, s.at, &s.brief_sha256);
            let (verifies, problem) = match key {
                None => (false, Some(format!("the key {} is not registered to the signer", s.key_fingerprint))),
                Some(k) if verify(&k.public_key, &message, &s.signature) => (true, None),
                Some(_) => (false, Some("the signature does not match the signed content".to_string())),
            };
            SignatureCheck {
                signer: person_ref(dir, s.signer),
                role: s.role,
                at: s.at,
                key_fingerprint: s.key_fingerprint.clone(),
                verifies,
                problem,
                key_revoked_since: key
                    .and_then(|k| k.revoked.as_ref())
                    .map(|r| format!("revoked {} ({})", stamp(cal, r.at), r.reason)),
            }
        })
        .collect()
}

fn check_file(ctx: &Ctx, req: VerifyRequest, expected: Kind) -> Result<VerifyReport, ApiError> {
    let bytes = read_capped(&req.file)?;
    let claims = claims(&bytes);
    ctx.store().read(|c| {
        let dir = query::directory(c)?;
        let cal = dir.calendar()?.clone();
        let mut problems = Vec::new();
        let seal = check_seal(&dir, &cal, &bytes, &mut problems);
        let kind = claims.kind.unwrap_or(expected);
        if claims.kind.is_some_and(|k| k != expected) {
            problems.push(format!("this file is a {}, not a {}", kind.name(), expected.name()));
        }
        let sha = claims.sha256.clone();
        if sha.is_none() {
            problems.push(format!("the file carries no brief hash: it is not a {} exported by Handoff", expected.name()));
        }
        let deal = find_deal(c, req.deal.as_deref(), sha.as_deref())?;
        let mut report = VerifyReport {
            file: req.file.display().to_string(),
            kind: kind.name().to_string(),
            deal: deal.as_ref().map(DealRef::of),
            seal,
            file_sha256: sha.clone(),
            current_sha256: deal.as_ref().map(|d| d.brief.sha256(d.id)),
            matches_current: false,
            signatures: Vec::new(),
            ok: false,
            problems: Vec::new(),
        };
        let (Some(deal), Some(sha)) = (deal, sha) else {
            if report.file_sha256.is_some() {
                problems.push("no deal in this database has a brief with the file's hash: name the deal it belongs to".into());
            }
            report.problems = problems;
            return Ok(report);
        };
        let current = deal.brief.sha256(deal.id);
        report.matches_current = sha == current;
        if !report.matches_current {
            problems.push(format!(
                "the file's brief hash {sha} is not the brief as it is now ({current}): the brief changed after this file was made"
            ));
        }
        report.signatures = signature_checks(&dir, &cal, &deal, &sha);
        if expected == Kind::Brief {
            for role in [SignerRole::Sales, SignerRole::Fulfilment] {
                let holder = deal.signer(role);
                let mine = report.signatures.iter().find(|s| s.role == role && Some(s.signer.id) == holder);
                if !mine.is_some_and(|s| s.verifies) {
                    let name = holder.map(|p| dir.name_of(p)).unwrap_or_default();
                    let why = mine.and_then(|s| s.problem.clone()).map(|p| format!(" ({p})")).unwrap_or_default();
                    problems.push(format!("{name} ({}) has no verified signature on the file's content{why}", role.as_str()));
                }
            }
        }
        report.ok = problems.is_empty();
        report.problems = problems;
        Ok(report)
    })
}

/// Checks a brief PDF: sealed over every byte by a registered laptop key, the brief as it was
/// signed, and both sign-offs verifying against the signers' keys. `ok` only when all of it holds.
pub fn verify_brief(ctx: &Ctx, req: VerifyRequest) -> Result<VerifyReport, ApiError> {
    check_file(ctx, req, Kind::Brief)
}

/// Checks a service pack PDF: sealed over every byte by a registered laptop key, and made from
/// the brief as it is now.
pub fn verify_pack(ctx: &Ctx, req: VerifyRequest) -> Result<VerifyReport, ApiError> {
    check_file(ctx, req, Kind::Pack)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_is_found_only_standing_alone() {
        let h = "ab".repeat(32);
        assert_eq!(sha256_in(&format!("One-page handoff brief, SHA-256 {h}")), Some(h.clone()));
        assert_eq!(sha256_in(&format!("x{h}0")), None, "part of a longer hex run");
        assert_eq!(sha256_in("no hash"), None);
    }
}
