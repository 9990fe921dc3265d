//! Signing keys: a person makes their own key on a laptop they sign on (its public half goes to
//! the log, signed by the key itself; its secret stays on this laptop, see `laptop_keys`), lists
//! who holds which, and revokes a key when someone leaves or loses a laptop. Making a new key for
//! someone who has one here replaces it (rotation): the old one is revoked in the same action.

use chrono::{DateTime, Utc};
use handoff_domain::directory::Directory;
use handoff_domain::ids::{DeviceId, PersonId};
use handoff_domain::keys::SigningKey;
use handoff_domain::signing;
use handoff_store::query;
use zeroize::Zeroizing;

use crate::dto::*;
use crate::laptop_keys::{Kept, LaptopKeys, DEFAULT_WORK_FACTOR, WORK_FACTORS};
use crate::view::person_ref;
use crate::{act, act_and_show, input, ApiError, Ctx, Decision, ErrorCode};

fn key_dto(dir: &Directory, keys: &LaptopKeys, device: DeviceId, k: &SigningKey) -> KeyDto {
    let kept = keys.where_is(k.person, &k.fingerprint);
    KeyDto {
        person: person_ref(dir, k.person),
        fingerprint: k.fingerprint.clone(),
        device: k.device.to_string(),
        this_laptop: k.device == device,
        registered_at: k.registered_at,
        revoked_at: k.revoked.as_ref().map(|r| r.at),
        revoked_reason: k.revoked.as_ref().map(|r| r.reason.clone()),
        needs_passphrase: matches!(kept, Some(Kept::File(_))),
        kept: kept.map(|k| k.describe()),
    }
}

/// Makes a signing key for the acting person on this laptop and registers it in the log.
pub fn key_create(ctx: &Ctx, req: KeyCreateRequest) -> Result<KeyCreateResponse, ApiError> {
    let Some(whose) = req.acting.actor.as_deref() else {
        return Err(ApiError::invalid("say whose key this is: a person makes their own signing key"));
    };
    let work_factor = req.work_factor.unwrap_or(DEFAULT_WORK_FACTOR);
    if !WORK_FACTORS.contains(&work_factor) {
        return Err(ApiError::invalid(format!(
            "a work factor of {work_factor} is outside {} to {}: leave it out for the default, {DEFAULT_WORK_FACTOR}",
            WORK_FACTORS.start(),
            WORK_FACTORS.end()
        )));
    }
    let keys = ctx.keys()?;
    let (dir, me) = ctx.store().read(|c| Ok::<_, ApiError>((query::directory(c)?, query::me(c)?)))?;
    dir.agency()?;
    let person = input::person(&dir, whose)?;
    let (person, name) = (person.id, person.name.clone());
    let keychain = req.passphrase.is_none() && me == Some(person);
    if req.passphrase.is_none() && !(keychain && keys.keychain_answers()) {
        let why = if me == Some(person) {
            "no system keychain answers on this laptop"
        } else {
            "this laptop is not theirs, and a key on a shared laptop opens only with its holder's passphrase"
        };
        return Err(ApiError::new(
            ErrorCode::PassphraseNeeded,
            format!("{name}'s key needs a passphrase only {name} knows: {why}"),
        ));
    }
    let secret: Zeroizing<[u8; 32]> = Zeroizing::new(rand::random());
    let fingerprint = signing::fingerprint(&signing::public_key(&secret));
    let replaced: Vec<String> = keys.held_keys(&dir, person).map(|k| k.fingerprint.clone()).collect();
    keys.keep(person, &fingerprint, &secret, keychain, req.passphrase.as_deref(), work_factor)?;
    let written = act_and_show(
        ctx,
        &req.acting,
        |w, dir, _, _| {
            let mut events = vec![dir.keys.register_signing_key(person, w.device(), &secret)?];
            for old in &replaced {
                let reason = format!("replaced by the key {fingerprint} made on the same laptop");
                events.extend(dir.keys.revoke_signing_keys(person, &name, Some(old), &reason)?);
            }
            Ok(Decision { events, answer: w.device() })
        },
        |w, device| Ok((device, query::directory(w.connection())?)),
    );
    let (device, dir) = match written {
        Ok(device) => device,
        Err(e) => {
            keys.forget(person, &fingerprint);
            return Err(e);
        }
    };
    for old in &replaced {
        keys.forget(person, old);
    }
    let key = dir.keys.signing_key(&fingerprint).expect("registered just now");
    Ok(KeyCreateResponse { key: key_dto(&dir, keys, device, key), replaced: replaced.into_iter().next() })
}

fn laptop_key_dto(k: &handoff_domain::keys::DeviceKey, device: DeviceId) -> LaptopKeyDto {
    LaptopKeyDto {
        device: k.device.to_string(),
        fingerprint: k.fingerprint.clone(),
        this_laptop: k.device == device,
        registered_at: k.registered_at,
        revoked_at: k.revoked.as_ref().map(|r| r.at),
        revoked_reason: k.revoked.as_ref().map(|r| r.reason.clone()),
    }
}

/// Every key the log has, oldest first: each person's signing keys, with where this laptop keeps
/// each secret it holds, and each laptop's PDF sealing key.
pub fn key_list(ctx: &Ctx) -> Result<KeysDto, ApiError> {
    let keys = ctx.keys()?;
    let device = ctx.store().device();
    let dir = ctx.store().read(query::directory)?;
    Ok(KeysDto {
        signing: dir.keys.signing.iter().map(|k| key_dto(&dir, keys, device, k)).collect(),
        laptops: dir.keys.devices.iter().map(|k| laptop_key_dto(k, device)).collect(),
    })
}

/// Revokes a laptop's sealing key (lost or retired), by the founder: files it sealed no longer
/// verify, since whoever holds the laptop could date a seal as they please.
pub fn laptop_key_revoke(ctx: &Ctx, req: LaptopKeyRevokeRequest) -> Result<Vec<LaptopKeyDto>, ApiError> {
    let this = ctx.store().device();
    let text = req.device.trim().to_ascii_lowercase();
    act_and_show(
        ctx,
        &req.acting,
        |_, dir, actor, _| {
            let mut devices: Vec<DeviceId> = dir.keys.devices.iter().map(|k| k.device).collect();
            devices.dedup();
            let matching: Vec<DeviceId> = devices
                .into_iter()
                .filter(|d| d.to_string() == text || (text.len() >= 6 && d.to_string().starts_with(&text)))
                .collect();
            let device = match matching.as_slice() {
                [one] => *one,
                [] => {
                    return Err(ApiError::new(
                        ErrorCode::NotFound,
                        format!(
                            "no laptop \"{}\" has a sealing key in the log: give its id from the key list",
                            req.device
                        ),
                    ))
                }
                _ => {
                    return Err(ApiError::new(
                        ErrorCode::Ambiguous,
                        format!("\"{}\" starts more than one laptop's id: give more of it", req.device),
                    ))
                }
            };
            let events = dir.revoke_device_keys(actor, device, &req.reason)?;
            Ok(Decision { events, answer: device })
        },
        |w, revoked| {
            let dir = query::directory(w.connection())?;
            Ok(dir.keys.devices.iter().filter(|k| k.device == revoked).map(|k| laptop_key_dto(k, this)).collect())
        },
    )
}

/// Revokes a person's keys that still count (or one, by fingerprint): by the holder or the
/// founder. Sign-offs given before stay valid; the key signs nothing new, anywhere the log goes.
pub fn key_revoke(ctx: &Ctx, req: KeyRevokeRequest) -> Result<Vec<KeyDto>, ApiError> {
    let keys = ctx.keys()?;
    let ((revoked, device), dir) = act_and_show(
        ctx,
        &req.acting,
        |w, dir, actor, _| {
            let person = input::person(dir, &req.person)?.id;
            let events = dir.revoke_signing_keys(actor, person, req.fingerprint.as_deref(), &req.reason)?;
            let fingerprints: Vec<(PersonId, String)> = events
                .iter()
                .filter_map(|e| match e {
                    handoff_domain::event::EventBody::SigningKeyRevoked { person, fingerprint, .. } => {
                        Some((*person, fingerprint.clone()))
                    }
                    _ => None,
                })
                .collect();
            Ok(Decision { events, answer: (fingerprints, w.device()) })
        },
        |w, answer| Ok((answer, query::directory(w.connection())?)),
    )?;
    for (person, fingerprint) in &revoked {
        keys.forget(*person, fingerprint);
    }
    Ok(revoked.iter().filter_map(|(_, f)| dir.keys.signing_key(f)).map(|k| key_dto(&dir, keys, device, k)).collect())
}

/// Whether `person` can sign on this laptop, and how: the app's sign dialog asks this first.
pub fn signer_key(ctx: &Ctx, person: &str) -> Result<SignerKeyDto, ApiError> {
    let keys = ctx.keys()?;
    let device = ctx.store().device();
    let (dir, me) = ctx.store().read(|c| Ok::<_, ApiError>((query::directory(c)?, query::me(c)?)))?;
    let p = input::person(&dir, person)?.id;
    Ok(SignerKeyDto {
        person: person_ref(&dir, p),
        key: keys.held_keys(&dir, p).last().map(|k| key_dto(&dir, keys, device, k)),
        keychain_for_new_key: me == Some(p) && keys.keychain_answers(),
    })
}

/// Registers a key whose secret is never kept (the sample agency signs with these, then forgets
/// them): returns when it was registered.
pub(crate) fn register_unkept_key(
    ctx: &Ctx,
    person: PersonId,
    secret: &[u8; 32],
    acting: &Acting,
) -> Result<DateTime<Utc>, ApiError> {
    act(ctx, acting, |w, dir, _, at| {
        Ok(Decision { events: vec![dir.keys.register_signing_key(person, w.device(), secret)?], answer: at })
    })
}
