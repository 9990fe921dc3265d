//! The seal: a standard PDF digital signature over the whole file, the kind Acrobat and
//! `pdfsig` check, and its check.
//!
//! A sealed document is written in one pass with its seal: [`write_signature_field`] adds an
//! invisible signature field on page 1 (listed in the catalog's `/AcroForm`, `/SigFlags 3`) and
//! its signature dictionary (`/Filter /Adobe.PPKLite`, `/SubFilter /adbe.pkcs7.detached`) to the
//! document as it is written. The dictionary's `/Contents` is a DER CMS `SignedData` (detached)
//! over the `/ByteRange`: the whole file except that hex string. It is signed with ECDSA P-256
//! and SHA-256, carries the content-type, message-digest and signing-time signed attributes and
//! embeds a certificate that the same key issues to itself at signing time, naming the agency
//! (O), the device (OU) and the person who exported (CN).
//!
//! The dictionary is first written with fixed-width placeholders — a `/ByteRange` of four wide
//! numbers and a `/Contents` of [`CONTENTS_BYTES`] zero bytes. Once the file is whole, [`sign`]
//! finds the placeholders, writes the byte ranges over the first (padded with spaces to the same
//! width) and the CMS, hashed over those ranges, into the second (padded with zeros). Nothing is
//! read back or written twice.
//!
//! [`check_seal`] is the reverse: exactly one signature, whose ranges cover the whole file, whose
//! message digest is the file's, whose signature verifies against the embedded certificate's
//! key, and whose certificate is signed by that same key.

use std::time::Duration;

use chrono::{DateTime, Utc};
use cms::builder::{SignedDataBuilder, SignerInfoBuilder};
use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use cms::content_info::ContentInfo;
use cms::signed_data::{EncapsulatedContentInfo, SignedData, SignerIdentifier};
use der::asn1::{GeneralizedTime, OctetString, SetOfVec, UtcTime, Utf8StringRef};
use der::oid::ObjectIdentifier;
use der::{Any, Decode, Encode, Reader, SliceReader};
use lopdf::{Dictionary, Document, Object};
use p256::ecdsa::signature::{Keypair, Signer, Verifier};
use p256::ecdsa::{DerSignature, SigningKey, VerifyingKey};
use pdf_writer::{Finish, Name as PdfName, Pdf, Ref, Str, TextStr};
use ring::rand::SystemRandom;
use ring::signature::{EcdsaKeyPair, KeyPair as _, ECDSA_P256_SHA256_ASN1_SIGNING};
use sha2::{Digest, Sha256};
use spki::{AlgorithmIdentifierOwned, DynSignatureAlgorithmIdentifier, SubjectPublicKeyInfoOwned};
use x509_cert::attr::{Attribute, AttributeTypeAndValue};
use x509_cert::builder::{Builder, CertificateBuilder, Profile};
use x509_cert::ext::pkix::name::DirectoryString;
use x509_cert::name::{Name, RdnSequence, RelativeDistinguishedName};
use x509_cert::serial_number::SerialNumber;
use x509_cert::time::{Time, Validity};
use x509_cert::Certificate;

use crate::model::PdfError;

/// Room kept for the CMS in `/Contents`, in bytes (written as twice as many hex digits). A seal's
/// CMS is well under 2 KB: one certificate, three signed attributes and one signature.
pub const CONTENTS_BYTES: usize = 8192;

/// How long the self-issued certificate is valid from the signing time.
const CERT_YEARS: u32 = 10;

/// Each number of the `/ByteRange` written first, before the offsets are known: the widest a
/// PDF integer written here can be.
const BYTE_RANGE_PLACEHOLDER: i32 = i32::MAX;

const OID_CN: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.3");
const OID_O: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.10");
const OID_OU: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.11");
const OID_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.1");
const OID_SIGNED_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.2");
const OID_CONTENT_TYPE: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.3");
const OID_MESSAGE_DIGEST: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.4");
const OID_SIGNING_TIME: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.5");
const OID_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");
const OID_ECDSA_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.2");
const OID_EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");

/// A laptop's sealing key, ready to sign: its P-256 secret and public key, checked to be a pair.
///
/// Signing goes through ring, whose P-256 (precomputed tables, hand-tuned arithmetic) is several
/// times faster than the `p256` crate's; the certificate and CMS builders see it through the
/// `signature` traits. Its `Debug` shows the public key only.
pub struct SealKey {
    pair: EcdsaKeyPair,
    public: VerifyingKey,
}

impl SealKey {
    /// The key of a secret scalar (32 bytes, big-endian), deriving its public key; `Err` if the
    /// bytes are not a valid P-256 secret.
    pub fn derive(secret: &[u8; 32]) -> Result<SealKey, PdfError> {
        let public = sec1_uncompressed(signing_key(secret)?.verifying_key());
        SealKey::paired(secret, &public)
            .ok_or_else(|| PdfError::Write("the seal key is not a valid P-256 secret key".to_string()))
    }

    /// The key of a secret and the public key (SEC1 uncompressed) already known for it; `None`
    /// when they are not a pair. Cheaper than [`SealKey::derive`]: the check runs on ring.
    pub fn paired(secret: &[u8; 32], public: &[u8]) -> Option<SealKey> {
        let pair = EcdsaKeyPair::from_private_key_and_public_key(
            &ECDSA_P256_SHA256_ASN1_SIGNING,
            secret,
            public,
            &SystemRandom::new(),
        )
        .ok()?;
        let public = VerifyingKey::from_sec1_bytes(public).ok()?;
        Some(SealKey { pair, public })
    }

    /// The public key, SEC1 uncompressed (65 bytes).
    pub fn public_key(&self) -> &[u8] {
        self.pair.public_key().as_ref()
    }
}

impl std::fmt::Debug for SealKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SealKey").field("public", &hex_upper(self.public_key())).finish()
    }
}

impl Keypair for SealKey {
    type VerifyingKey = VerifyingKey;

    fn verifying_key(&self) -> VerifyingKey {
        self.public
    }
}

impl DynSignatureAlgorithmIdentifier for SealKey {
    fn signature_algorithm_identifier(&self) -> spki::Result<AlgorithmIdentifierOwned> {
        // RFC 5758: ecdsa-with-SHA256 carries no parameters.
        Ok(AlgorithmIdentifierOwned { oid: OID_ECDSA_SHA256, parameters: None })
    }
}

impl Signer<DerSignature> for SealKey {
    fn try_sign(&self, msg: &[u8]) -> Result<DerSignature, p256::ecdsa::Error> {
        let signature = self.pair.sign(&SystemRandom::new(), msg).map_err(|_| p256::ecdsa::Error::new())?;
        DerSignature::from_bytes(signature.as_ref())
    }
}

/// Who seals a document, and when.
pub struct Seal {
    /// The device's sealing key.
    pub key: SealKey,
    pub agency: String,
    /// The device id (a UUID as text).
    pub device: String,
    /// The person who exported the document (may be empty when nobody is known).
    pub person: String,
    /// e.g. "Signed brief for the trip file".
    pub reason: String,
    /// When it was sealed, UTC.
    pub at: DateTime<Utc>,
}

impl std::fmt::Debug for Seal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Seal")
            .field("key", &self.key)
            .field("agency", &self.agency)
            .field("device", &self.device)
            .field("person", &self.person)
            .field("reason", &self.reason)
            .field("at", &self.at)
            .finish()
    }
}

impl Seal {
    /// The certificate subject's common name: the person and the device ("Maya Chen (Handoff
    /// device 0192f3a4)"), or the device alone when nobody is known.
    pub fn common_name(&self) -> String {
        let short: String = self.device.chars().take(8).collect();
        let device = format!("Handoff device {short}");
        match self.person.trim() {
            "" => device,
            person => format!("{person} ({device})"),
        }
    }

    /// The certificate subject's organizational unit: the whole device id.
    pub fn unit(&self) -> String {
        format!("Handoff device {}", self.device)
    }
}

/// What a sealed file proves, once its signature checks out over the whole file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SealReport {
    /// The signer's public key from the embedded certificate (SEC1 uncompressed, 65 bytes).
    pub public_key: Vec<u8>,
    /// The certificate subject's CN, as written.
    pub common_name: String,
    /// The certificate subject's O, as written.
    pub organization: String,
    /// The certificate subject's OU, as written.
    pub unit: String,
    /// The signing time from the signed attributes (falling back to the dictionary's `/M`).
    pub signed_at: Option<DateTime<Utc>>,
    /// The signature dictionary's `/Reason`.
    pub reason: String,
}

/// Why a file's seal does not check out.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SealError {
    #[error("this is not a PDF that can be read: {0}")]
    NotPdf(String),
    #[error("the PDF carries no signature")]
    NoSignature,
    #[error("the PDF carries {0} signatures; a sealed document carries exactly one")]
    SeveralSignatures(usize),
    #[error("the signature does not cover the whole file: {0}")]
    NotWholeFile(String),
    #[error("the file was changed after signing")]
    Changed,
    #[error("the signature is not valid: {0}")]
    Invalid(String),
}

fn write_err(e: impl std::fmt::Display) -> PdfError {
    PdfError::Write(e.to_string())
}

fn signing_key(secret: &[u8; 32]) -> Result<SigningKey, PdfError> {
    SigningKey::from_bytes(secret.into())
        .map_err(|_| PdfError::Write("the seal key is not a valid P-256 secret key".to_string()))
}

fn sec1_uncompressed(key: &VerifyingKey) -> Vec<u8> {
    key.to_encoded_point(false).as_bytes().to_vec()
}

/// The public key (SEC1 uncompressed, 65 bytes) of a seal secret; `Err` if the 32 bytes are not
/// a valid P-256 scalar.
pub fn seal_public_key(secret: &[u8; 32]) -> Result<Vec<u8>, PdfError> {
    Ok(sec1_uncompressed(signing_key(secret)?.verifying_key()))
}

/// The `/ByteRange` written first and overwritten once the offsets are known, as it is written:
/// 0 and three numbers of ten digits each, wide enough for any offset of a file up to 2 GB.
fn byte_range_placeholder() -> String {
    let wide = i64::from(BYTE_RANGE_PLACEHOLDER);
    byte_range_text(&[0, wide, wide, wide])
}

/// Writes the seal's two objects into a document being written: the signature dictionary
/// `sig_id`, with its placeholders, and the invisible signature field on page `page_id` that
/// points to it (`field_id`). The document's writer adds the field to that page's `/Annots` and
/// to the catalog's `/AcroForm`; [`sign`] fills the placeholders once the file is whole.
pub(crate) fn write_signature_field(pdf: &mut Pdf, sig_id: Ref, field_id: Ref, page_id: Ref, seal: &Seal) {
    let mut sig = pdf.indirect(sig_id).dict();
    sig.pair(PdfName(b"Type"), PdfName(b"Sig"))
        .pair(PdfName(b"Filter"), PdfName(b"Adobe.PPKLite"))
        .pair(PdfName(b"SubFilter"), PdfName(b"adbe.pkcs7.detached"));
    sig.insert(PdfName(b"ByteRange")).array().items([
        0,
        BYTE_RANGE_PLACEHOLDER,
        BYTE_RANGE_PLACEHOLDER,
        BYTE_RANGE_PLACEHOLDER,
    ]);
    // Written as a literal string of as many zero digits as the hex string will hold, and turned
    // into that hex string by [`sign`] swapping its brackets.
    sig.pair(PdfName(b"Contents"), Str(&[b'0'; 2 * CONTENTS_BYTES]))
        .pair(PdfName(b"M"), Str(pdf_date(seal.at).as_bytes()))
        .pair(PdfName(b"Name"), TextStr(&seal.common_name()))
        .pair(PdfName(b"Reason"), TextStr(&seal.reason));
    sig.finish();

    let mut field = pdf.indirect(field_id).dict();
    field
        .pair(PdfName(b"Type"), PdfName(b"Annot"))
        .pair(PdfName(b"Subtype"), PdfName(b"Widget"))
        .pair(PdfName(b"FT"), PdfName(b"Sig"))
        .pair(PdfName(b"T"), Str(b"Seal"))
        .pair(PdfName(b"V"), sig_id);
    field.insert(PdfName(b"Rect")).array().items([0, 0, 0, 0]);
    // Print and Locked: an invisible widget that readers list but nobody edits.
    field.pair(PdfName(b"F"), 132).pair(PdfName(b"P"), page_id);
}

/// Signs a whole file written with [`write_signature_field`]: finds its two placeholders, writes
/// the byte ranges over the first (padded with spaces to the same width) and the CMS, hashed over
/// those ranges, into the second (padded with zeros).
pub(crate) fn sign(out: &mut [u8], seal: &Seal) -> Result<(), PdfError> {
    let key = &seal.key;
    let cert = certificate(key, seal)?;
    let mut placeholder = Vec::with_capacity(2 * CONTENTS_BYTES + 2);
    placeholder.push(b'(');
    placeholder.resize(2 * CONTENTS_BYTES + 1, b'0');
    placeholder.push(b')');
    let gap_start = find_once(out, &placeholder)
        .ok_or_else(|| PdfError::Write("the signature's contents placeholder was not written once".to_string()))?;
    // The gap is the /Contents hex string with its angle brackets; the ranges are the rest.
    let gap_end = gap_start + placeholder.len();
    out[gap_start] = b'<';
    out[gap_end - 1] = b'>';
    let ranges = [0, gap_start, gap_end, out.len() - gap_end];
    let wide = byte_range_placeholder();
    let range_at = find_once(out, wide.as_bytes())
        .ok_or_else(|| PdfError::Write("the signature's byte range placeholder was not written once".to_string()))?;
    let mut text = byte_range_text(&ranges.map(|n| n as i64));
    if text.len() > wide.len() {
        return Err(PdfError::Write("the PDF is too large to seal".to_string()));
    }
    // Pad inside the brackets so the array keeps its width: "[0 123 456 789      ]".
    text.insert_str(text.len() - 1, &" ".repeat(wide.len() - text.len()));
    out[range_at..range_at + wide.len()].copy_from_slice(text.as_bytes());

    let digest = covered_digest(out, gap_start, gap_end);
    let cms = signed_data(key, cert, &digest, seal.at)?;
    if cms.len() > CONTENTS_BYTES {
        return Err(PdfError::Write(format!("the signature ({} bytes) does not fit its placeholder", cms.len())));
    }
    let hex = hex_upper(&cms);
    out[gap_start + 1..gap_start + 1 + hex.len()].copy_from_slice(hex.as_bytes());
    Ok(())
}

/// A `/ByteRange` array as pdf-writer writes it.
fn byte_range_text(ranges: &[i64; 4]) -> String {
    format!("[{} {} {} {}]", ranges[0], ranges[1], ranges[2], ranges[3])
}

/// Where `needle` occurs in `hay`, when it occurs exactly once (overlapping occurrences count).
/// Its first 64 bytes are searched for (a substring search, linear), and the rest compared where
/// they occur: comparing the 16 KB contents placeholder at every offset of the file was quadratic
/// inside its run of zeros, a tenth of an export's CPU, and setting up a search for all 16 KB
/// cost another hundredth.
fn find_once(hay: &[u8], needle: &[u8]) -> Option<usize> {
    let head = memchr::memmem::Finder::new(&needle[..needle.len().min(64)]);
    let mut hits = std::iter::successors(head.find(hay), |&at| head.find(&hay[at + 1..]).map(|next| at + 1 + next))
        .filter(|&at| hay[at..].starts_with(needle));
    let first = hits.next()?;
    hits.next().is_none().then_some(first)
}

fn covered_digest(pdf: &[u8], gap_start: usize, gap_end: usize) -> Vec<u8> {
    let mut h = Sha256::new();
    h.update(&pdf[..gap_start]);
    h.update(&pdf[gap_end..]);
    h.finalize().to_vec()
}

fn hex_upper(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
    bytes.iter().flat_map(|b| [DIGITS[usize::from(b >> 4)] as char, DIGITS[usize::from(b & 15)] as char]).collect()
}

fn der_time(at: DateTime<Utc>) -> Result<der::DateTime, PdfError> {
    let secs =
        u64::try_from(at.timestamp()).map_err(|_| PdfError::Write("the signing time is before 1970".to_string()))?;
    der::DateTime::from_unix_duration(Duration::from_secs(secs)).map_err(write_err)
}

/// RFC 5280 and RFC 5652: UTCTime through 2049, GeneralizedTime after.
fn x509_time(at: DateTime<Utc>) -> Result<Time, PdfError> {
    let t = der_time(at)?;
    Ok(if t.year() < 2050 {
        Time::UtcTime(UtcTime::from_date_time(t).map_err(write_err)?)
    } else {
        Time::GeneralTime(GeneralizedTime::from_date_time(t))
    })
}

/// A PDF date, "D:20260303142000Z".
fn pdf_date(at: DateTime<Utc>) -> String {
    at.format("D:%Y%m%d%H%M%SZ").to_string()
}

fn rdn(oid: ObjectIdentifier, value: &str) -> Result<RelativeDistinguishedName, PdfError> {
    let value = Any::encode_from(&Utf8StringRef::new(value).map_err(write_err)?).map_err(write_err)?;
    let set = SetOfVec::try_from(vec![AttributeTypeAndValue { oid, value }]).map_err(write_err)?;
    Ok(RelativeDistinguishedName(set))
}

/// The subject: O (the agency, when there is one), OU (the device), CN (the person and device).
fn subject(seal: &Seal) -> Result<Name, PdfError> {
    let mut rdns = Vec::new();
    if !seal.agency.trim().is_empty() {
        rdns.push(rdn(OID_O, seal.agency.trim())?);
    }
    rdns.push(rdn(OID_OU, &seal.unit())?);
    rdns.push(rdn(OID_CN, &seal.common_name())?);
    Ok(RdnSequence(rdns))
}

/// A random positive serial number of 16 bytes.
fn random_serial() -> Result<SerialNumber, PdfError> {
    use rand_core::RngCore;
    let mut bytes = [0u8; 16];
    rand_core::OsRng.try_fill_bytes(&mut bytes).map_err(write_err)?;
    bytes[0] = (bytes[0] & 0x7f) | 0x40;
    SerialNumber::new(&bytes).map_err(write_err)
}

/// The certificate the key issues to itself at signing time, valid for [`CERT_YEARS`].
fn certificate(key: &SealKey, seal: &Seal) -> Result<Certificate, PdfError> {
    let until = seal
        .at
        .checked_add_months(chrono::Months::new(12 * CERT_YEARS))
        .ok_or_else(|| PdfError::Write("the signing time is out of range".to_string()))?;
    let validity = Validity { not_before: x509_time(seal.at)?, not_after: x509_time(until)? };
    let subject = subject(seal)?;
    let spki = SubjectPublicKeyInfoOwned::from_key(key.verifying_key()).map_err(write_err)?;
    // A leaf profile issued by its own subject: self-signed, key usage digital signature and
    // non-repudiation, not a CA.
    let profile =
        Profile::Leaf { issuer: subject.clone(), enable_key_agreement: false, enable_key_encipherment: false };
    let builder =
        CertificateBuilder::new(profile, random_serial()?, validity, subject, spki, key).map_err(write_err)?;
    builder.build::<DerSignature>().map_err(write_err)
}

/// The DER CMS `SignedData` (detached) over a content whose SHA-256 is `digest`.
fn signed_data(key: &SealKey, cert: Certificate, digest: &[u8], at: DateTime<Utc>) -> Result<Vec<u8>, PdfError> {
    let content = EncapsulatedContentInfo { econtent_type: OID_DATA, econtent: None };
    let sha256 = AlgorithmIdentifierOwned { oid: OID_SHA256, parameters: None };
    let sid = SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
        issuer: cert.tbs_certificate.issuer.clone(),
        serial_number: cert.tbs_certificate.serial_number.clone(),
    });
    let mut signer = SignerInfoBuilder::new(key, sid, sha256.clone(), &content, Some(digest)).map_err(write_err)?;
    // The builder adds content-type and message-digest; the signing time is the seal's, not
    // the clock's.
    let time = Any::encode_from(&x509_time(at)?).map_err(write_err)?;
    let values = SetOfVec::try_from(vec![time]).map_err(write_err)?;
    signer.add_signed_attribute(Attribute { oid: OID_SIGNING_TIME, values }).map_err(write_err)?;
    let info = SignedDataBuilder::new(&content)
        .add_digest_algorithm(sha256)
        .map_err(write_err)?
        .add_certificate(CertificateChoices::Certificate(cert))
        .map_err(write_err)?
        .add_signer_info::<SealKey, DerSignature>(signer)
        .map_err(write_err)?
        .build()
        .map_err(write_err)?;
    info.to_der().map_err(write_err)
}

/// Every signature dictionary in the document (a dictionary with `/ByteRange` and `/Contents`),
/// wherever it sits: an object of its own or inside another.
fn signature_dicts(doc: &Document) -> Vec<Dictionary> {
    fn walk(o: &Object, out: &mut Vec<Dictionary>) {
        match o {
            Object::Dictionary(d) => {
                if d.has(b"ByteRange") && d.has(b"Contents") {
                    out.push(d.clone());
                }
                d.iter().for_each(|(_, v)| walk(v, out));
            }
            Object::Array(items) => items.iter().for_each(|v| walk(v, out)),
            Object::Stream(s) => s.dict.iter().for_each(|(_, v)| walk(v, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    doc.objects.values().for_each(|o| walk(o, &mut out));
    out
}

/// A `/ByteRange` read straight from the bytes after each `/ByteRange` key, for a file lopdf
/// cannot read (so that bytes appended after signing are named as such).
fn raw_byte_ranges(pdf: &[u8]) -> Vec<Vec<i64>> {
    const KEY: &[u8] = b"/ByteRange";
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = memchr::memmem::find(&pdf[from..], KEY) {
        let start = from + at + KEY.len();
        from = start;
        let rest = &pdf[start..];
        let Some(open) = rest.iter().position(|c| !c.is_ascii_whitespace()).filter(|&i| rest[i] == b'[') else {
            continue;
        };
        let Some(close) = rest[open..].iter().position(|&c| c == b']') else { continue };
        let inner = String::from_utf8_lossy(&rest[open + 1..open + close]).into_owned();
        let numbers: Vec<i64> = inner.split_ascii_whitespace().filter_map(|n| n.parse().ok()).collect();
        found.push(numbers);
    }
    found
}

fn hex_decode(hex: &[u8]) -> Option<Vec<u8>> {
    let digits: Vec<u8> = hex
        .iter()
        .filter(|c| !c.is_ascii_whitespace())
        .map(|&c| (c as char).to_digit(16).map(|d| d as u8))
        .collect::<Option<_>>()?;
    Some(digits.chunks(2).map(|p| (p[0] << 4) | p.get(1).copied().unwrap_or(0)).collect())
}

/// Checks the byte ranges against the file; returns the CMS bytes from the gap.
fn covered_ranges(pdf: &[u8], ranges: &[i64]) -> Result<(usize, usize, Vec<u8>), SealError> {
    let not_whole = |why: &str| SealError::NotWholeFile(why.to_string());
    let [a, b, c, d] = <[i64; 4]>::try_from(ranges).map_err(|_| not_whole("its byte range is not two ranges"))?;
    let [a, b, c, d] = [a, b, c, d].map(|n| usize::try_from(n).unwrap_or(usize::MAX));
    if a != 0 {
        return Err(not_whole("it does not start at the beginning of the file"));
    }
    if b == 0 || b >= c || c > pdf.len() {
        return Err(not_whole("its byte range does not fit the file"));
    }
    let end = c.checked_add(d).ok_or_else(|| not_whole("its byte range does not fit the file"))?;
    if end < pdf.len() {
        return Err(SealError::NotWholeFile(format!("{} bytes were added after signing", pdf.len() - end)));
    }
    if end > pdf.len() {
        return Err(not_whole("the file is shorter than what was signed"));
    }
    let gap = &pdf[b..c];
    if gap.len() < 2 || gap[0] != b'<' || gap[gap.len() - 1] != b'>' {
        return Err(not_whole("the bytes left out are not exactly the signature"));
    }
    let cms = hex_decode(&gap[1..gap.len() - 1])
        .ok_or_else(|| not_whole("the bytes left out are not exactly the signature"))?;
    Ok((b, c, cms))
}

/// Checks a file's PDF signature: exactly one signature, its `/ByteRange` covers the whole file
/// (starts at 0, the gap is exactly the `/Contents` hex string, ends at the end of the file), the
/// message digest equals SHA-256 of the covered bytes, the CMS signature verifies against the
/// embedded certificate's key, and the certificate is signed by that same key.
pub fn check_seal(pdf: &[u8]) -> Result<SealReport, SealError> {
    if !pdf.starts_with(b"%PDF-") {
        return Err(SealError::NotPdf("it does not start with %PDF-".to_string()));
    }
    let doc = match Document::load_mem(pdf) {
        Ok(doc) => doc,
        Err(e) => {
            // Name what is wrong with the signature when one can be found without lopdf (bytes
            // added after signing make the file unreadable to it).
            let ranges = raw_byte_ranges(pdf);
            if ranges.len() == 1 {
                let (b, c, _) = covered_ranges(pdf, &ranges[0])?;
                if !digest_matches(pdf, b, c) {
                    return Err(SealError::Changed);
                }
            }
            return Err(SealError::NotPdf(e.to_string()));
        }
    };
    let sigs = signature_dicts(&doc);
    let sig = match sigs.as_slice() {
        [] => {
            // A signature dictionary lopdf could not read (it skips broken objects) still
            // shows in the bytes.
            return Err(match raw_byte_ranges(pdf).first() {
                None => SealError::NoSignature,
                Some(ranges) => covered_ranges(pdf, ranges)
                    .err()
                    .unwrap_or_else(|| invalid("the signature dictionary cannot be read")),
            });
        }
        [one] => one,
        many => return Err(SealError::SeveralSignatures(many.len())),
    };
    let ranges: Vec<i64> = sig
        .get(b"ByteRange")
        .and_then(Object::as_array)
        .map(|a| a.iter().map(|o| o.as_i64().unwrap_or(-1)).collect())
        .map_err(|_| SealError::NotWholeFile("its byte range is not two ranges".to_string()))?;
    let (b, c, cms) = covered_ranges(pdf, &ranges)?;
    let contents = sig.get(b"Contents").and_then(Object::as_str).unwrap_or_default();
    if contents != cms.as_slice() {
        return Err(SealError::NotWholeFile("the bytes left out are not exactly the signature".to_string()));
    }
    let text = |key: &[u8]| sig.get(key).ok().and_then(|o| lopdf::decode_text_string(o).ok()).unwrap_or_default();
    let verified = verify_cms(&cms, &covered_digest(pdf, b, c))?;
    Ok(SealReport {
        public_key: verified.public_key,
        common_name: verified.names.0,
        organization: verified.names.1,
        unit: verified.names.2,
        signed_at: verified.signed_at.or_else(|| parse_pdf_date(&text(b"M"))),
        reason: text(b"Reason"),
    })
}

fn digest_matches(pdf: &[u8], b: usize, c: usize) -> bool {
    let Some(cms) = hex_decode(&pdf[b + 1..c - 1]) else { return false };
    let Ok(signed) = parse_signed_data(&cms) else { return false };
    let digest = covered_digest(pdf, b, c);
    signed.signer_infos.0.iter().next().and_then(|si| message_digest(si.signed_attrs.as_ref()?)).as_deref()
        == Some(digest.as_slice())
}

struct Verified {
    public_key: Vec<u8>,
    /// CN, O, OU.
    names: (String, String, String),
    signed_at: Option<DateTime<Utc>>,
}

fn invalid(why: impl std::fmt::Display) -> SealError {
    SealError::Invalid(why.to_string())
}

/// The `SignedData` of a CMS `ContentInfo`; the hex string's zero padding after it is ignored.
fn parse_signed_data(cms: &[u8]) -> Result<SignedData, SealError> {
    let mut reader = SliceReader::new(cms).map_err(invalid)?;
    let info = ContentInfo::decode(&mut reader).map_err(|e| invalid(format!("the CMS cannot be read ({e})")))?;
    let rest = reader.read_slice(reader.remaining_len()).map_err(invalid)?;
    if rest.iter().any(|&b| b != 0) {
        return Err(invalid("there are bytes after the CMS"));
    }
    if info.content_type != OID_SIGNED_DATA {
        return Err(invalid("the CMS is not signed data"));
    }
    info.content.decode_as::<SignedData>().map_err(|e| invalid(format!("the CMS signed data cannot be read ({e})")))
}

fn message_digest(attrs: &SetOfVec<Attribute>) -> Option<Vec<u8>> {
    let attr = attrs.iter().find(|a| a.oid == OID_MESSAGE_DIGEST)?;
    let value = attr.values.iter().next()?;
    value.decode_as::<OctetString>().ok().map(|o| o.as_bytes().to_vec())
}

fn verify_cms(cms: &[u8], digest: &[u8]) -> Result<Verified, SealError> {
    let signed = parse_signed_data(cms)?;
    if signed.encap_content_info.econtent.is_some() {
        return Err(invalid("the CMS is not detached"));
    }
    let mut infos = signed.signer_infos.0.iter();
    let (Some(si), None) = (infos.next(), infos.next()) else {
        return Err(invalid("the CMS does not have exactly one signer"));
    };
    if si.digest_alg.oid != OID_SHA256 {
        return Err(invalid("the digest is not SHA-256"));
    }
    if ![OID_ECDSA_SHA256, OID_EC_PUBLIC_KEY].contains(&si.signature_algorithm.oid) {
        return Err(invalid("the signature is not ECDSA with SHA-256"));
    }
    if signed.encap_content_info.econtent_type != OID_DATA
        || !signed.digest_algorithms.iter().any(|a| a.oid == OID_SHA256)
    {
        return Err(invalid("the CMS does not sign data with SHA-256"));
    }
    let attrs = si.signed_attrs.as_ref().ok_or_else(|| invalid("the CMS has no signed attributes"))?;
    let content_type = attrs
        .iter()
        .find(|a| a.oid == OID_CONTENT_TYPE)
        .and_then(|a| a.values.iter().next())
        .and_then(|v| v.decode_as::<ObjectIdentifier>().ok());
    if content_type != Some(OID_DATA) {
        return Err(invalid("the signed content type is not data"));
    }

    let SignerIdentifier::IssuerAndSerialNumber(sid) = &si.sid else {
        return Err(invalid("the signer is not named by issuer and serial number"));
    };
    let cert = signed
        .certificates
        .iter()
        .flat_map(|set| set.0.iter())
        .find_map(|c| match c {
            CertificateChoices::Certificate(cert)
                if cert.tbs_certificate.issuer == sid.issuer
                    && cert.tbs_certificate.serial_number == sid.serial_number =>
            {
                Some(cert)
            }
            _ => None,
        })
        .ok_or_else(|| invalid("the signer's certificate is not embedded"))?;
    let spki = &cert.tbs_certificate.subject_public_key_info;
    let key_bytes =
        spki.subject_public_key.as_bytes().ok_or_else(|| invalid("the certificate's key cannot be read"))?;
    let key =
        VerifyingKey::from_sec1_bytes(key_bytes).map_err(|_| invalid("the certificate's key is not a P-256 key"))?;

    let signature =
        DerSignature::from_bytes(si.signature.as_bytes()).map_err(|_| invalid("the signature cannot be read"))?;
    let attrs_der = attrs.to_der().map_err(invalid)?;
    key.verify(&attrs_der, &signature).map_err(|_| invalid("it does not verify against the signer's certificate"))?;
    // The signed attributes are the signer's: now they can say whether the file is the one signed.
    let signed_digest = message_digest(attrs).ok_or_else(|| invalid("the CMS has no message digest"))?;
    if signed_digest != digest {
        return Err(SealError::Changed);
    }

    // The names in the certificate count only if the same key vouches for them.
    let cert_sig = cert
        .signature
        .as_bytes()
        .and_then(|b| DerSignature::from_bytes(b).ok())
        .ok_or_else(|| invalid("the certificate's signature cannot be read"))?;
    let tbs = cert.tbs_certificate.to_der().map_err(invalid)?;
    if cert.signature_algorithm.oid != OID_ECDSA_SHA256 || key.verify(&tbs, &cert_sig).is_err() {
        return Err(invalid("the certificate is not signed by the signer's own key"));
    }

    let signed_at = attrs
        .iter()
        .find(|a| a.oid == OID_SIGNING_TIME)
        .and_then(|a| a.values.iter().next())
        .and_then(|v| Time::from_der(&v.to_der().ok()?).ok())
        .and_then(|t| DateTime::<Utc>::from_timestamp(i64::try_from(t.to_unix_duration().as_secs()).ok()?, 0));
    let name = |oid: ObjectIdentifier| -> String {
        cert.tbs_certificate
            .subject
            .0
            .iter()
            .flat_map(|rdn| rdn.0.iter())
            .filter(|atv| atv.oid == oid)
            .filter_map(|atv| match DirectoryString::from_der(&atv.value.to_der().ok()?).ok()? {
                DirectoryString::Utf8String(s) => Some(s),
                DirectoryString::PrintableString(s) => Some(s.to_string()),
                DirectoryString::TeletexString(s) => Some(s.to_string()),
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    Ok(Verified { public_key: sec1_uncompressed(&key), names: (name(OID_CN), name(OID_O), name(OID_OU)), signed_at })
}

/// A PDF date ("D:20260303142000Z", "D:20260303152000+01'00'") as UTC; `None` when unreadable.
fn parse_pdf_date(s: &str) -> Option<DateTime<Utc>> {
    let s = s.strip_prefix("D:").unwrap_or(s);
    let local = chrono::NaiveDateTime::parse_from_str(s.get(..14)?, "%Y%m%d%H%M%S").ok()?;
    let zone = &s[14..];
    let offset_minutes = match zone.as_bytes().first() {
        None | Some(b'Z') => 0,
        Some(&sign @ (b'+' | b'-')) => {
            let digits: String = zone[1..].chars().filter(char::is_ascii_digit).collect();
            let h: i64 = digits.get(..2)?.parse().ok()?;
            let m: i64 = digits.get(2..4).and_then(|m| m.parse().ok()).unwrap_or(0);
            let minutes = h * 60 + m;
            if sign == b'-' {
                -minutes
            } else {
                minutes
            }
        }
        _ => return None,
    };
    Some((local - chrono::Duration::minutes(offset_minutes)).and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{BriefDoc, PageSize};
    use chrono::TimeZone;
    use lopdf::{IncrementalDocument, StringFormat};

    const SECRET: [u8; 32] = [7; 32];

    fn a_brief() -> BriefDoc {
        BriefDoc {
            page: PageSize::A4,
            agency: "Wayfarer Travel".into(),
            deal_title: "Zermatt leadership retreat".into(),
            customer: "Novatech AG".into(),
            value: "84,600.00 CHF".into(),
            trip_dates: "1 Feb 2027 – 5 Feb 2027".into(),
            destination: "Zermatt".into(),
            travellers: "24 travellers".into(),
            sales_author: "Zoë Müller".into(),
            fulfilment_owner: "Łukasz Wójcik".into(),
            sections: vec![("Customer".into(), "Novatech AG, Zürich.".into()), ("Trip".into(), "Five days.".into())],
            signoffs: Vec::new(),
            sha256: "ab".repeat(32),
            draft: true,
            generated_at: "2026-03-03 14:20 UTC".into(),
            created: String::new(),
            generator: "Handoff 0.1.0".into(),
        }
    }

    fn brief_pdf() -> Vec<u8> {
        crate::render_brief(&a_brief()).unwrap().bytes
    }

    fn sealed_by(seal: &Seal) -> Vec<u8> {
        crate::render_brief_sealed(&a_brief(), seal).unwrap().bytes
    }

    fn a_seal() -> Seal {
        Seal {
            key: SealKey::derive(&SECRET).unwrap(),
            agency: "Wayfarer Travel".into(),
            device: "0192f3a4-5b6c-7d8e-9f00-112233445566".into(),
            person: "Maya Chen".into(),
            reason: "Signed brief for the trip file".into(),
            at: Utc.with_ymd_and_hms(2026, 3, 3, 14, 20, 5).unwrap(),
        }
    }

    /// The brief unsealed and sealed.
    fn sealed() -> (Vec<u8>, Vec<u8>) {
        (brief_pdf(), sealed_by(&a_seal()))
    }

    /// The byte range written into a sealed file, read back through lopdf.
    fn ranges_of(pdf: &[u8]) -> [usize; 4] {
        let doc = Document::load_mem(pdf).unwrap();
        let sigs = signature_dicts(&doc);
        let r: Vec<usize> = sigs[0]
            .get(b"ByteRange")
            .unwrap()
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o.as_i64().unwrap() as usize)
            .collect();
        r.try_into().unwrap()
    }

    #[test]
    fn a_sealed_file_checks_out_with_the_signers_key_names_time_and_reason() {
        let (_, out) = sealed();
        let report = check_seal(&out).unwrap_or_else(|e| panic!("{e}"));
        let key = seal_public_key(&SECRET).unwrap();
        assert_eq!(key.len(), 65);
        assert_eq!(key[0], 0x04);
        assert_eq!(report.public_key, key);
        assert_eq!(report.common_name, "Maya Chen (Handoff device 0192f3a4)");
        assert_eq!(report.organization, "Wayfarer Travel");
        assert_eq!(report.unit, "Handoff device 0192f3a4-5b6c-7d8e-9f00-112233445566");
        assert_eq!(report.signed_at, Some(a_seal().at));
        assert_eq!(report.reason, "Signed brief for the trip file");
    }

    #[test]
    fn the_sealed_file_draws_the_same_page_and_its_ranges_cover_all_but_the_contents() {
        let (pdf, out) = sealed();
        let [a, b, c, d] = ranges_of(&out);
        assert_eq!((a, c + d), (0, out.len()));
        assert_eq!(c - b, 2 * CONTENTS_BYTES + 2);
        assert_eq!((out[b], out[c - 1]), (b'<', b'>'));
        assert!(out[b + 1..c - 1].iter().all(u8::is_ascii_hexdigit));
        assert!(out.starts_with(b"%PDF-1.7"), "SHA-256 in a signature is PDF 1.6 on");
        assert!(pdf.starts_with(b"%PDF-1.4"), "an unsealed document stays 1.4");
        // The same page, drawn with the same content; only the sealed one lists the field.
        let page_of = |bytes: &[u8]| {
            let doc = Document::load_mem(bytes).unwrap();
            let page = *doc.get_pages().values().next().unwrap();
            let content = doc.get_page_content(page);
            let annots = doc.get_dictionary(page).unwrap().get(b"Annots").ok().cloned();
            let form = doc.catalog().unwrap().get(b"AcroForm").ok().cloned();
            (content, annots.is_some(), form.is_some())
        };
        let (plain, sealed) = (page_of(&pdf), page_of(&out));
        assert_eq!(plain.0, sealed.0);
        assert_eq!((plain.1, plain.2), (false, false));
        assert_eq!((sealed.1, sealed.2), (true, true));
    }

    #[test]
    fn the_cms_is_detached_with_the_three_signed_attributes_and_a_self_issued_certificate() {
        let (_, out) = sealed();
        let [_, b, c, _] = ranges_of(&out);
        let signed = parse_signed_data(&hex_decode(&out[b + 1..c - 1]).unwrap()).unwrap();
        assert!(signed.encap_content_info.econtent.is_none());
        assert_eq!(signed.encap_content_info.econtent_type, OID_DATA);
        let si = signed.signer_infos.0.iter().next().unwrap();
        assert_eq!(si.signature_algorithm.oid, OID_ECDSA_SHA256);
        let oids: Vec<ObjectIdentifier> = si.signed_attrs.as_ref().unwrap().iter().map(|a| a.oid).collect();
        for oid in [OID_CONTENT_TYPE, OID_MESSAGE_DIGEST, OID_SIGNING_TIME] {
            assert!(oids.contains(&oid), "{oid} in {oids:?}");
        }
        let certs: Vec<&CertificateChoices> = signed.certificates.as_ref().unwrap().0.iter().collect();
        let [CertificateChoices::Certificate(cert)] = certs.as_slice() else { panic!("one certificate") };
        let tbs = &cert.tbs_certificate;
        assert_eq!(tbs.issuer, tbs.subject);
        assert_eq!(tbs.version, x509_cert::certificate::Version::V3);
        let from = tbs.validity.not_before.to_unix_duration().as_secs() as i64;
        let until = tbs.validity.not_after.to_unix_duration().as_secs() as i64;
        assert_eq!(from, a_seal().at.timestamp());
        let ten_years = Utc.with_ymd_and_hms(2036, 3, 3, 14, 20, 5).unwrap().timestamp();
        assert_eq!(until, ten_years);
        assert!(tbs.serial_number.as_bytes().len() >= 15);
    }

    #[test]
    fn serial_numbers_are_random() {
        let serial = |out: &[u8]| {
            let [_, b, c, _] = ranges_of(out);
            let signed = parse_signed_data(&hex_decode(&out[b + 1..c - 1]).unwrap()).unwrap();
            let CertificateChoices::Certificate(cert) = signed.certificates.unwrap().0.iter().next().unwrap().clone()
            else {
                panic!()
            };
            cert.tbs_certificate.serial_number
        };
        let one = sealed_by(&a_seal());
        let two = sealed_by(&a_seal());
        assert_ne!(serial(&one), serial(&two));
    }

    #[test]
    fn flipping_any_covered_byte_fails_the_check() {
        let (_, out) = sealed();
        let [_, b, c, _] = ranges_of(&out);
        // Every 97th byte of the file, plus the bytes around the signature and those after it.
        let mut positions: Vec<usize> = (0..out.len()).step_by(97).collect();
        positions.extend([0, 5, b - 1, c, out.len() - 1]);
        positions.extend((b.saturating_sub(600)..b).step_by(7));
        positions.extend((c..out.len()).step_by(3));
        let mut changed = 0;
        for at in positions.into_iter().filter(|at| *at < b || *at >= c) {
            let mut bad = out.clone();
            bad[at] ^= 0x01;
            match check_seal(&bad) {
                Ok(_) => panic!("flipping byte {at} went unnoticed"),
                Err(SealError::Changed) => changed += 1,
                Err(_) => {}
            }
        }
        assert!(changed > 100, "most flips are reported as a change, {changed}");
    }

    #[test]
    fn a_change_inside_the_brief_is_reported_as_a_change() {
        let (_, out) = sealed();
        // A byte inside the file's first compressed stream.
        let start = out.windows(7).position(|w| w == b"stream\n").unwrap() + 7;
        let mut bad = out.clone();
        bad[start + 50] ^= 0x20;
        assert_eq!(check_seal(&bad), Err(SealError::Changed));
        assert_eq!(SealError::Changed.to_string(), "the file was changed after signing");
    }

    #[test]
    fn changing_what_the_cms_signs_or_names_fails_the_check() {
        let (_, out) = sealed();
        let [_, b, c, _] = ranges_of(&out);
        let cms = hex_decode(&out[b + 1..c - 1]).unwrap();
        let signed = parse_signed_data(&cms).unwrap();
        let si = signed.signer_infos.0.iter().next().unwrap();
        let find = |part: &[u8]| cms.windows(part.len()).position(|w| w == part).unwrap();
        let signature = find(si.signature.as_bytes());
        let digest = find(&message_digest(si.signed_attrs.as_ref().unwrap()).unwrap());
        let name = find(b"Maya Chen");
        let data_oid = find(&OID_DATA.to_der().unwrap());
        // The CMS's bytes: the signature value, the signed message digest, a letter of the
        // certificate's name, the content type, the first byte, and the zero padding after it.
        for (what, byte) in [
            ("signature", signature + 10),
            ("message digest", digest + 3),
            ("certificate name", name + 1),
            ("content type", data_oid + 10),
            ("ContentInfo tag", 0),
            ("padding", CONTENTS_BYTES - 1),
        ] {
            let at = b + 1 + 2 * byte;
            let mut bad = out.clone();
            bad[at] = if bad[at] == b'A' { b'B' } else { b'A' };
            let err = check_seal(&bad).unwrap_err();
            assert!(matches!(err, SealError::Invalid(_)), "{what}: {err}");
        }
        // A digit that is not hex is no signature at all.
        let mut bad = out.clone();
        bad[b + 1] = b'x';
        assert!(matches!(check_seal(&bad), Err(SealError::NotWholeFile(_))), "{:?}", check_seal(&bad));
    }

    #[test]
    fn bytes_added_after_signing_fail_the_check() {
        let (_, out) = sealed();
        let mut one = out.clone();
        one.push(b'\n');
        assert_eq!(check_seal(&one), Err(SealError::NotWholeFile("1 bytes were added after signing".into())));
        // So much that lopdf no longer finds the end of the file.
        let mut lots = out.clone();
        lots.extend(std::iter::repeat_n(b'x', 4000));
        assert_eq!(check_seal(&lots), Err(SealError::NotWholeFile("4000 bytes were added after signing".into())));
    }

    #[test]
    fn an_incremental_update_after_signing_fails_the_check() {
        let (_, out) = sealed();
        let prev = Document::load_mem(&out).unwrap();
        let info = prev.trailer.get(b"Info").unwrap().as_reference().unwrap();
        let mut inc = IncrementalDocument::create_from(out.clone(), prev);
        inc.opt_clone_object_to_new_document(info).unwrap();
        inc.new_document.get_dictionary_mut(info).unwrap().set("Title", Object::string_literal("Changed"));
        let mut updated = Vec::new();
        inc.save_to(&mut updated).unwrap();
        let err = check_seal(&updated).unwrap_err();
        assert!(matches!(err, SealError::NotWholeFile(_)), "{err}");
        assert!(err.to_string().contains("were added after signing"), "{err}");
    }

    #[test]
    fn a_placeholder_is_found_only_when_it_occurs_exactly_once() {
        assert_eq!(find_once(b"ab(000)cd", b"(000)"), Some(2));
        assert_eq!(find_once(b"(000)", b"(000)"), Some(0));
        assert_eq!(find_once(b"xx(000)", b"(000)"), Some(2), "at the very end");
        assert_eq!(find_once(b"(000)x(000)", b"(000)"), None, "twice");
        assert_eq!(find_once(b"aaa", b"aa"), None, "twice, overlapping");
        assert_eq!(find_once(b"(00)", b"(000)"), None, "absent");
        assert_eq!(find_once(b"", b"(000)"), None);
        // The contents placeholder as `sign` looks for it, inside a file of zeros on both sides.
        let mut needle = vec![b'('];
        needle.resize(2 * CONTENTS_BYTES + 1, b'0');
        needle.push(b')');
        let mut hay = vec![b'0'; 40_000];
        hay.extend_from_slice(&needle);
        hay.extend(vec![b'0'; 40_000]);
        assert_eq!(find_once(&hay, &needle), Some(40_000));
        // Its first 64 bytes occurring elsewhere, cut short: still found once.
        let mut hay = needle[..100].to_vec();
        hay.push(b'x');
        hay.extend_from_slice(&needle);
        assert_eq!(find_once(&hay, &needle), Some(101));
        hay.extend_from_slice(&needle);
        assert_eq!(find_once(&hay, &needle), None, "the whole of it twice");
    }

    #[test]
    fn a_byte_range_short_of_the_whole_file_fails_the_check() {
        let (_, out) = sealed();
        let [a, b, c, d] = ranges_of(&out);
        let start = byte_range_text(&[a, b, c, d].map(|n| n as i64));
        let at = find_once(&out, start.trim_end_matches(']').as_bytes()).unwrap();
        let width = out[at..].iter().position(|&ch| ch == b']').unwrap() + 1;
        let old = String::from_utf8(out[at..at + width].to_vec()).unwrap();
        for ranges in [[a, b, c, d - 10], [a + 1, b, c, d], [a, b - 2, c, d], [a, b, c + 4, d - 4]] {
            let mut new = byte_range_text(&ranges.map(|n| n as i64));
            new.insert_str(new.len() - 1, &" ".repeat(old.len() - new.len()));
            let mut bad = out.clone();
            bad[at..at + old.len()].copy_from_slice(new.as_bytes());
            let err = check_seal(&bad).unwrap_err();
            assert!(matches!(err, SealError::NotWholeFile(_)), "{ranges:?}: {err}");
        }
    }

    #[test]
    fn a_file_without_a_signature_says_so() {
        assert_eq!(check_seal(&brief_pdf()), Err(SealError::NoSignature));
        assert_eq!(SealError::NoSignature.to_string(), "the PDF carries no signature");
        assert!(matches!(check_seal(b"hello"), Err(SealError::NotPdf(_))));
        assert!(matches!(check_seal(b"%PDF-1.4\n%%EOF"), Err(SealError::NotPdf(_))));
    }

    #[test]
    fn a_second_signature_is_reported() {
        let (_, out) = sealed();
        let mut doc = Document::load_mem(&out).unwrap();
        let mut extra = Dictionary::new();
        extra.set("ByteRange", vec![Object::Integer(0); 4]);
        extra.set("Contents", Object::String(vec![0; 4], StringFormat::Hexadecimal));
        doc.add_object(extra);
        let mut two = Vec::new();
        doc.save_to(&mut two).unwrap();
        assert_eq!(check_seal(&two), Err(SealError::SeveralSignatures(2)));
    }

    #[test]
    fn without_a_person_the_device_signs_and_unicode_names_round_trip() {
        let nobody = Seal { person: String::new(), ..a_seal() };
        let report = check_seal(&sealed_by(&nobody)).unwrap();
        assert_eq!(report.common_name, "Handoff device 0192f3a4");
        let unicode = Seal {
            agency: "Reisebüro Łódź".into(),
            person: "Zoë Müller".into(),
            reason: "Unterschriebenes Briefing für die Reiseakte".into(),
            ..a_seal()
        };
        let report = check_seal(&sealed_by(&unicode)).unwrap();
        assert_eq!(report.common_name, "Zoë Müller (Handoff device 0192f3a4)");
        assert_eq!(report.organization, "Reisebüro Łódź");
        assert_eq!(report.reason, unicode.reason);
    }

    #[test]
    fn signing_times_after_2049_are_written_and_read_back() {
        let late = Seal { at: Utc.with_ymd_and_hms(2051, 6, 1, 8, 0, 0).unwrap(), ..a_seal() };
        let report = check_seal(&sealed_by(&late)).unwrap();
        assert_eq!(report.signed_at, Some(late.at));
    }

    #[test]
    fn invalid_secrets_are_refused() {
        assert!(seal_public_key(&[0; 32]).is_err());
        assert!(seal_public_key(&[0xff; 32]).is_err());
        assert!(matches!(SealKey::derive(&[0; 32]), Err(PdfError::Write(_))));
        assert!(matches!(SealKey::derive(&[0xff; 32]), Err(PdfError::Write(_))));
        let debug = format!("{:?}", a_seal());
        assert!(!debug.contains(&hex_upper(&SECRET)) && !debug.contains("7, 7"), "Debug does not print the secret");
        assert!(debug.contains(&hex_upper(&seal_public_key(&SECRET).unwrap())), "{debug}");
    }

    #[test]
    fn a_key_is_paired_only_with_its_own_public_key() {
        let public = seal_public_key(&SECRET).unwrap();
        let key = SealKey::paired(&SECRET, &public).expect("the secret and its public key pair");
        assert_eq!(key.public_key(), &public[..]);
        assert_eq!(SealKey::derive(&SECRET).unwrap().public_key(), &public[..]);
        let mut other = SECRET;
        other[31] ^= 1;
        let theirs = seal_public_key(&other).unwrap();
        assert!(SealKey::paired(&SECRET, &theirs).is_none(), "another key's public half");
        assert!(SealKey::paired(&SECRET, &public[..64]).is_none(), "a cut public key");
        assert!(SealKey::paired(&[0; 32], &public).is_none(), "an invalid secret");
        // What ring signs verifies against the key the certificate carries (the seal's own check).
        let report = check_seal(&sealed_by(&Seal { key, ..a_seal() })).unwrap();
        assert_eq!(report.public_key, public);
    }

    #[test]
    fn pdf_dates_parse_with_and_without_offsets() {
        let at = Utc.with_ymd_and_hms(2026, 3, 3, 14, 20, 0).unwrap();
        assert_eq!(parse_pdf_date(&pdf_date(at)), Some(at));
        assert_eq!(parse_pdf_date("D:20260303152000+01'00'"), Some(at));
        assert_eq!(parse_pdf_date("D:20260303094000-04'40'"), Some(at));
        assert_eq!(parse_pdf_date("junk"), None);
    }
}
