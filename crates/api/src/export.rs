//! The documents for the trip file: the signed one-page brief and the 72-hour service pack as
//! PDFs, each sealed with this laptop's own digital signature (a standard PDF signature any PDF
//! reader can check, made with a key registered in the log), written safely (a temporary file,
//! then a rename; never over an existing file unless asked), and the editor's one-page meter.

use std::io::Write;
use std::path::Path;

use chrono::{DateTime, Utc};
use handoff_domain::directory::Directory;
use handoff_pdf as pdf;
use handoff_store::{query, Connection};
use zeroize::Zeroizing;

use crate::documents::{brief_doc, pack_doc};
use crate::dto::*;
use crate::load::load_from;
use crate::safe_file::{check_target, write_atomically, write_failed};
use crate::{ApiError, Ctx, ErrorCode};

fn exported(out: &Path, r: &pdf::Rendered, brief_sha256: String, draft: bool, sealed_by: String) -> ExportResponse {
    ExportResponse {
        sealed_by,
        path: out.display().to_string(),
        pages: r.pages,
        bytes: r.bytes.len(),
        brief_sha256,
        draft,
        replaced: r.replaced.iter().map(|c| c.to_string()).collect(),
        body_size_pt: r.body_size_pt,
    }
}

fn pdf_error(e: pdf::PdfError) -> ApiError {
    let code = match e {
        pdf::PdfError::TooLong { .. } => ErrorCode::TooLarge,
        pdf::PdfError::Write(_) => ErrorCode::Storage,
    };
    ApiError::new(code, e.to_string())
}

/// This laptop's sealing key, and its fingerprint: made, kept (keychain or an owner-only file)
/// and registered in the log the first time a document is exported here. Refused when the log
/// says it was revoked.
fn sealing_key(ctx: &Ctx, dir: &Directory, now: DateTime<Utc>) -> Result<(pdf::SealKey, String), ApiError> {
    let keys = ctx.keys()?;
    let device = ctx.store().device();
    let secret = match keys.sealing_key(device)? {
        Some(secret) => secret,
        None => {
            let secret = loop {
                let candidate = Zeroizing::new(rand::random::<[u8; 32]>());
                if pdf::seal_public_key(&candidate).is_ok() {
                    break candidate;
                }
            };
            keys.keep_sealing_key(device, &secret)?;
            secret
        }
    };
    // The log already holds this laptop's public key once it has sealed here: checking that the
    // secret pairs with it is cheaper than deriving it afresh.
    let registered = dir.keys.devices.iter().filter(|k| k.device == device).find_map(|k| {
        let public = hex::decode(&k.public_key).ok()?;
        pdf::SealKey::paired(&secret, &public).map(|key| (key, k))
    });
    let (key, known) = match registered {
        Some((key, k)) => (key, Some(k)),
        None => {
            let key = pdf::SealKey::derive(&secret).map_err(pdf_error)?;
            let known = dir.keys.device_key(&hex::encode(key.public_key()));
            (key, known)
        }
    };
    match known {
        Some(k) => match &k.revoked {
            None => Ok((key, k.fingerprint.clone())),
            Some(r) => Err(ApiError::new(
                ErrorCode::KeyRevoked,
                format!(
                    "this laptop's sealing key {} was revoked ({}): documents it seals no longer verify",
                    k.fingerprint, r.reason
                ),
            )),
        },
        None => {
            // A key kept here that this log has not seen (a new laptop, or a database brought here).
            let public = hex::encode(key.public_key());
            ctx.store().write(|w| {
                let body = w.directory()?.keys.register_device_key(device, public.clone())?;
                w.append(None, now, now, vec![body])?;
                Ok::<_, ApiError>(())
            })?;
            let fingerprint = handoff_domain::signing::fingerprint_of_hex(&public).unwrap_or_default();
            Ok((key, fingerprint))
        }
    }
}

/// Who seals on this laptop: the person it belongs to, when the directory knows them.
fn sealing_person(c: &Connection, dir: &Directory) -> Result<String, ApiError> {
    let me = query::me(c)?.filter(|p| dir.person(*p).is_some()).map(|p| dir.name_of(p));
    Ok(me.unwrap_or_default())
}

/// The seal of this laptop's key, naming the agency, the laptop and who uses it (`person`, read
/// with `dir` in the same look at the log as the document); with the fingerprint of its key.
fn seal_of(
    ctx: &Ctx,
    dir: &Directory,
    person: String,
    agency: &str,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(pdf::Seal, String), ApiError> {
    let (key, fingerprint) = sealing_key(ctx, dir, now)?;
    let seal = pdf::Seal {
        key,
        agency: agency.to_string(),
        device: ctx.store().device().to_string(),
        person,
        reason: reason.to_string(),
        at: now,
    };
    Ok((seal, fingerprint))
}

/// Exports the one-page brief, sealed. Before both signatures are valid it is marked as a draft.
pub fn export_brief(ctx: &Ctx, req: ExportRequest) -> Result<ExportResponse, ApiError> {
    check_target(&req.out, req.force)?;
    let now = ctx.now();
    let (doc, dir, person) = ctx.store().read(|c| {
        let dir = query::directory(c)?;
        let doc = brief_doc(&dir, &load_from(c, &req.deal)?, now)?;
        let person = sealing_person(c, &dir)?;
        Ok::<_, ApiError>((doc, dir, person))
    })?;
    let reason = if doc.draft { "Draft brief, not signed by both leads" } else { "The brief as signed by both leads" };
    let (seal, sealed_by) = seal_of(ctx, &dir, person, &doc.agency, reason, now)?;
    let rendered = pdf::render_brief_sealed(&doc, &seal).map_err(pdf_error)?;
    write_atomically(&req.out, req.force, |tmp| tmp.write_all(&rendered.bytes).map_err(|e| write_failed(&req.out, e)))?;
    Ok(exported(&req.out, &rendered, doc.sha256, doc.draft, sealed_by))
}

/// Exports the 72-hour service handoff pack, sealed.
pub fn export_service_pack(ctx: &Ctx, req: ExportRequest) -> Result<ExportResponse, ApiError> {
    check_target(&req.out, req.force)?;
    let now = ctx.now();
    let (doc, dir, person) = ctx.store().read(|c| {
        let dir = query::directory(c)?;
        let doc = pack_doc(&dir, &load_from(c, &req.deal)?, now)?;
        let person = sealing_person(c, &dir)?;
        Ok::<_, ApiError>((doc, dir, person))
    })?;
    let (seal, sealed_by) = seal_of(ctx, &dir, person, &doc.agency, "The 72-hour service handoff pack", now)?;
    let rendered = pdf::render_pack_sealed(&doc, &seal).map_err(pdf_error)?;
    write_atomically(&req.out, req.force, |tmp| tmp.write_all(&rendered.bytes).map_err(|e| write_failed(&req.out, e)))?;
    Ok(exported(&req.out, &rendered, doc.brief_sha256, false, sealed_by))
}

/// The brief or the service pack as the export lays it out, to print from the app: rendered
/// in memory, neither written nor sealed (paper carries no digital signature).
pub fn pdf_for_print(ctx: &Ctx, req: PrintRequest) -> Result<PrintablePdf, ApiError> {
    use base64::Engine as _;
    let now = ctx.now();
    let (rendered, title, draft) = ctx.store().read(|c| {
        let dir = query::directory(c)?;
        let deal = load_from(c, &req.deal)?;
        Ok::<_, ApiError>(match req.paper {
            TripPaper::Brief => {
                let doc = brief_doc(&dir, &deal, now)?;
                (pdf::render_brief(&doc).map_err(pdf_error)?, format!("{} — brief", deal.title), doc.draft)
            }
            TripPaper::ServicePack => {
                let doc = pack_doc(&dir, &deal, now)?;
                (pdf::render_pack(&doc).map_err(pdf_error)?, format!("{} — service pack", deal.title), false)
            }
        })
    })?;
    Ok(PrintablePdf {
        title,
        pages: rendered.pages,
        draft,
        pdf: base64::engine::general_purpose::STANDARD.encode(&rendered.bytes),
    })
}

/// Whether the brief fits one page as it is now, and if not, by how much: the editor's meter.
pub fn brief_fit(ctx: &Ctx, deal: &str) -> Result<FitDto, ApiError> {
    let now = ctx.now();
    let doc = ctx.store().read(|c| brief_doc(&query::directory(c)?, &load_from(c, deal)?, now))?;
    let f = pdf::measure_brief(&doc);
    Ok(FitDto {
        fits: f.fits,
        body_size_pt: f.body_size_pt,
        over_percent: f.over_percent,
        longest_sections: f.longest_sections,
    })
}
