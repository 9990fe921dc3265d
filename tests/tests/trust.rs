//! What a signature and an exported file prove: each person signs with their own key, kept on the
//! laptop they made it on (a passphrase-encrypted file here, where no keychain answers); a copied
//! database signs nothing; a revoked key signs nothing new while its earlier sign-offs stand; and
//! an exported PDF carries a standard digital signature that `pdfsig` (poppler) and
//! `handoff verify` both check over every byte.

use std::path::Path;
use std::process::Command;

use crate::fixtures::{in_meeting_with_full_brief, sign_both, write_brief};
use crate::util::{p, Agency};

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

fn pdfsig(pdf: &Path) -> String {
    let out = Command::new("pdfsig").arg(pdf).output().expect("pdfsig (poppler-utils)");
    String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
}

/// Adds Sam Reyes's deal `title` for Acme, worth `value` EUR, with `extra` flags.
fn add_deal(a: &Agency, title: &str, value: &str, extra: &[&str]) {
    let args = ["deal", "add", "--title", title, "--customer", "Acme", "--value", value, "--currency", "EUR"];
    a.ok(&[&args[..], &["--owner", "Sam Reyes"], extra].concat());
}

/// Exports the brief of the Alpine retreat, signed by both, to `name`.
fn signed_brief(a: &Agency, name: &str) -> std::path::PathBuf {
    let file = a.path(name);
    a.ok(&["export", "brief", "Alpine retreat", "--out", p(&file)]);
    file
}

#[test]
fn signing_needs_the_signers_own_key_and_passphrase_and_a_refusal_writes_nothing() {
    let a = Agency::wayfarer();
    in_meeting_with_full_brief(&a);
    let sam = a.passphrase_file("Sam Reyes");
    let sign = ["brief", "sign", "Alpine retreat", "--as", "Sam Reyes", "--at", "2026-03-03 14:05"];

    let err = a.refused(&[&sign[..], &["--passphrase-file", p(&sam)]].concat());
    assert!(err.contains("Sam Reyes has no signing key on this laptop"), "{err}");
    assert!(err.contains("handoff key create --as PERSON"), "the CLI says how: {err}");

    a.make_key("Sam Reyes");
    a.make_key("Fay Okafor");
    let wrong = a.write("wrong", "not Sam's passphrase\n");
    let err = a.refused(&[&sign[..], &["--passphrase-file", p(&wrong)]].concat());
    assert!(err.contains("that passphrase does not open Sam Reyes's signing key"), "{err}");
    let fay = a.passphrase_file("Fay Okafor");
    let err = a.refused(&[&sign[..], &["--passphrase-file", p(&fay)]].concat());
    assert!(err.contains("does not open Sam Reyes's signing key"), "Fay's passphrase is not Sam's: {err}");
    // No passphrase and no terminal to ask on (the tests run without one).
    let err = a.refused(&sign);
    assert!(err.contains("passphrase") && err.contains("--passphrase-file"), "{err}");
    // Someone who is not a signer is told so before any passphrase is asked.
    let err = a.refused(&["brief", "sign", "Alpine retreat", "--as", "Bo Lind", "--at", "2026-03-03 14:05"]);
    assert!(err.contains("Bo Lind cannot sign the brief"), "{err}");

    // The right passphrase from standard input.
    let out = a
        .cmd()
        .args([&sign[..], &["--passphrase-file", "-"]].concat())
        .write_stdin(std::fs::read(&sam).unwrap())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let brief = a.json(&["brief", "show", "Alpine retreat"]);
    let key = &a.json(&["key", "list"])["signing"][0];
    assert_eq!(brief["sales"]["key_fingerprint"], key["fingerprint"], "signed with Sam's own key: {brief}");
}

#[test]
fn keys_the_database_and_the_data_folder_are_for_their_owner_only() {
    let a = Agency::empty();
    // The default database, in the app's data folder of this home.
    let data = a.home().join(".local/share/app.handoff.desktop");
    let out = Command::new(crate::util::handoff_bin())
        .env_remove("HANDOFF_DB")
        .env_remove("XDG_DATA_HOME")
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .env("HOME", a.home())
        .args(["init", "--agency", "Wayfarer", "--timezone", "Europe/London"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    #[cfg(unix)]
    {
        assert_eq!(mode(&data), 0o700, "the data folder");
        assert_eq!(mode(&data.join("handoff.db")), 0o600, "the database");
    }
    let b = Agency::wayfarer();
    let made = b.make_key("Sam Reyes");
    let kept = made["key"]["kept"].as_str().unwrap().to_string();
    assert!(kept.ends_with(".age"), "a passphrase-encrypted age file where no keychain answers: {kept}");
    let secret_file = Path::new(&kept);
    assert!(std::fs::read(secret_file).unwrap().starts_with(b"age-encryption.org/v1"), "the age format");
    #[cfg(unix)]
    {
        assert_eq!(mode(&b.db), 0o600, "a database made with --db");
        assert_eq!(mode(secret_file), 0o600, "the key file");
        assert_eq!(mode(secret_file.parent().unwrap()), 0o700);
        assert_eq!(mode(b.keys().folder()), 0o700);
    }
    let agency = b.ok(&["agency"]);
    assert!(agency.contains(&b.keys().folder().display().to_string()), "`agency` shows where keys are kept: {agency}");
    assert!(agency.contains("passphrase-protected"), "{agency}");
}

#[test]
fn a_copied_database_in_another_home_cannot_sign() {
    let a = Agency::wayfarer();
    in_meeting_with_full_brief(&a);
    a.make_key("Sam Reyes");
    let copy = Agency::empty();
    std::fs::copy(&a.db, &copy.db).unwrap();
    let sam = a.passphrase_file("Sam Reyes");
    let err = copy.refused(&["brief", "sign", "Alpine retreat", "--as", "Sam Reyes", "--passphrase-file", p(&sam)]);
    assert!(err.contains("Sam Reyes has no signing key on this laptop: their key is not kept on this laptop"), "{err}");
    let keys = copy.json(&["key", "list"])["signing"].clone();
    assert_eq!(keys[0]["kept"], serde_json::Value::Null, "the copy holds no secret: {keys}");
}

#[test]
fn a_revoked_key_signs_nothing_new_and_what_it_signed_still_verifies() {
    let a = Agency::wayfarer();
    in_meeting_with_full_brief(&a);
    sign_both(&a, "2026-03-03 14:10");
    a.ok(&["meeting", "end", "Alpine retreat", "--at", "2026-03-03 14:12"]);
    let before = signed_brief(&a, "before.pdf");

    // Only Sam or the founder revokes Sam's key, with a reason.
    let err = a.refused(&["key", "revoke", "Sam Reyes", "--reason", "left", "--as", "Fay Okafor"]);
    assert!(err.contains("revoked by Sam Reyes or by the founder"), "{err}");
    let err = a.refused(&["key", "revoke", "Sam Reyes", "--reason", " ", "--as", "Maya Chen"]);
    assert!(err.contains("reason"), "{err}");
    let revoked = a.json(&["key", "revoke", "Sam Reyes", "--reason", "laptop stolen", "--as", "Maya Chen"]);
    assert_eq!(revoked[0]["revoked_reason"], "laptop stolen");
    assert_eq!(revoked[0]["kept"], serde_json::Value::Null, "the revoked secret is forgotten here");

    // The earlier sign-off stands, and the file exported before still verifies, saying so.
    let report = a.json(&["verify", "brief", p(&before)]);
    assert_eq!(report["ok"], true, "{report}");
    let sam = report["signatures"].as_array().unwrap().iter().find(|s| s["role"] == "sales").unwrap().clone();
    assert!(sam["key_revoked_since"].as_str().unwrap().contains("laptop stolen"), "{report}");
    let text = a.ok(&["verify", "brief", p(&before)]);
    assert!(text.contains("VERIFIED") && text.contains("laptop stolen"), "{text}");

    // A new signature by Sam needs a new key: his old one signs nothing.
    add_deal(&a, "Lisbon", "1000", &["--at", "2026-03-04 09:00"]);
    a.ok(&["deal", "won", "Lisbon", "--at", "2026-03-04 09:30"]);
    a.ok(&["meeting", "start", "Lisbon", "--at", "2026-03-04 10:00"]);
    write_brief(&a, "Lisbon", "2026-03-04 10:01");
    let sam_file = a.passphrase_file("Sam Reyes");
    let err = a.refused(&[
        "brief",
        "sign",
        "Lisbon",
        "--as",
        "Sam Reyes",
        "--at",
        "2026-03-04 10:05",
        "--passphrase-file",
        p(&sam_file),
    ]);
    assert!(err.contains("Sam Reyes has no signing key on this laptop"), "{err}");
    let renewed = a.make_key("Sam Reyes");
    assert_eq!(renewed["replaced"], serde_json::Value::Null, "nothing left to replace here");
    a.ok(&[
        "brief",
        "sign",
        "Lisbon",
        "--as",
        "Sam Reyes",
        "--at",
        "2026-03-04 10:06",
        "--passphrase-file",
        p(&sam_file),
    ]);
}

#[test]
fn a_new_key_for_someone_with_one_here_replaces_it() {
    let a = Agency::wayfarer();
    let first = a.make_key("Sam Reyes");
    let second = a.make_key("Sam Reyes");
    assert_eq!(second["replaced"], first["key"]["fingerprint"]);
    let keys = a.json(&["key", "list"])["signing"].clone();
    let keys = keys.as_array().unwrap();
    assert_eq!(keys.len(), 2);
    assert!(keys[0]["revoked_reason"].as_str().unwrap().contains("replaced by the key"), "{keys:?}");
    assert_eq!(keys[1]["revoked_at"], serde_json::Value::Null);
}

#[test]
fn pdfsig_and_verify_agree_on_exported_briefs_and_packs_and_any_changed_byte_fails_both() {
    let a = Agency::wayfarer();
    in_meeting_with_full_brief(&a);
    sign_both(&a, "2026-03-03 14:10");
    a.ok(&["meeting", "end", "Alpine retreat", "--at", "2026-03-03 14:12"]);
    a.ok(&["whoami", "set", "Maya Chen"]);
    let brief = signed_brief(&a, "brief.pdf");
    let sig = pdfsig(&brief);
    assert!(sig.contains("Signature is Valid"), "{sig}");
    assert!(sig.contains("Total document signed"), "{sig}");
    assert!(sig.contains("Maya Chen"), "the certificate names who exported it: {sig}");
    let report = a.json(&["verify", "brief", p(&brief)]);
    assert_eq!(report["ok"], true, "{report}");
    assert!(report["seal"]["exported_by"].as_str().unwrap().contains("Maya Chen"), "{report}");
    assert_eq!(report["matches_current"], true);

    // One byte flipped in the middle of the file.
    let mut bytes = std::fs::read(&brief).unwrap();
    let middle = bytes.len() / 3;
    bytes[middle] ^= 0x01;
    let flipped = a.path("flipped.pdf");
    std::fs::write(&flipped, &bytes).unwrap();
    let out = a.run(&["verify", "brief", p(&flipped)]);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stdout));
    assert!(!pdfsig(&flipped).contains("Signature is Valid"), "pdfsig agrees: {}", pdfsig(&flipped));

    // The 72-hour pack is sealed the same way and checked with `verify pack`.
    a.ok(&["trip", "set", "Alpine retreat", "--start", "2026-06-01", "--end", "2026-06-05"]);
    let pack = a.path("pack.pdf");
    let r = a.json(&["export", "service-pack", "Alpine retreat", "--out", p(&pack)]);
    assert!(!r["sealed_by"].as_str().unwrap().is_empty());
    let sig = pdfsig(&pack);
    assert!(sig.contains("Signature is Valid") && sig.contains("Total document signed"), "{sig}");
    let report = a.json(&["verify", "pack", p(&pack)]);
    assert_eq!(report["ok"], true, "{report}");
    let out = a.run(&["verify", "brief", p(&pack)]);
    assert_eq!(out.status.code(), Some(1), "a pack is not a brief");
    let mut bytes = std::fs::read(&pack).unwrap();
    let at = bytes.len() / 2;
    bytes[at] ^= 0x20;
    std::fs::write(&pack, &bytes).unwrap();
    assert_eq!(a.run(&["verify", "pack", p(&pack)]).status.code(), Some(1));
}

#[test]
fn a_pdf_that_only_copies_a_hash_or_comes_from_elsewhere_does_not_verify() {
    let a = Agency::wayfarer();
    in_meeting_with_full_brief(&a);
    sign_both(&a, "2026-03-03 14:10");
    let brief = signed_brief(&a, "brief.pdf");
    let hash = a.json(&["brief", "show", "Alpine retreat"])["sha256"].as_str().unwrap().to_string();

    // A second deal's draft, its metadata rewritten (with a PDF library) to carry the first hash.
    add_deal(&a, "Cheap", "1", &["--at", "2026-03-03 15:00"]);
    a.ok(&["deal", "won", "Cheap", "--at", "2026-03-03 15:01"]);
    let draft = a.path("cheap.pdf");
    a.ok(&["export", "brief", "Cheap", "--out", p(&draft)]);
    let mut doc = lopdf::Document::load(&draft).unwrap();
    let info = doc.trailer.get(b"Info").unwrap().as_reference().unwrap();
    let dict = doc.get_dictionary_mut(info).unwrap();
    dict.set("Subject", lopdf::Object::string_literal(format!("One-page handoff brief, SHA-256 {hash}")));
    dict.set("Keywords", lopdf::Object::string_literal(format!("Handoff, handoff brief, SHA-256 {hash}")));
    let forged = a.path("forged.pdf");
    doc.save(&forged).unwrap();
    let out = a.run(&["--json", "verify", "brief", p(&forged)]);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stdout));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["ok"], false);
    assert!(report["problems"].to_string().contains("digital signature"), "{report}");

    // A genuine, sealed brief of another agency's laptop: unknown key here.
    let b = Agency::wayfarer();
    in_meeting_with_full_brief(&b);
    sign_both(&b, "2026-03-03 14:10");
    let elsewhere = signed_brief(&b, "elsewhere.pdf");
    assert!(pdfsig(&elsewhere).contains("Signature is Valid"));
    let out = a.run(&["--json", "verify", "brief", p(&elsewhere)]);
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(report["problems"].to_string().contains("does not know"), "{report}");
    // And the real one still verifies.
    a.ok(&["verify", "brief", p(&brief)]);
}

#[test]
fn the_timeline_says_who_acted_and_whose_laptop_recorded_it() {
    let a = Agency::wayfarer();
    assert!(a.ok(&["whoami"]).contains("Nobody is chosen"));
    let me = a.json(&["whoami", "set", "Maya Chen"]);
    assert_eq!(me["name"], "Maya Chen");
    add_deal(&a, "Lisbon", "1000", &["--as", "Sam Reyes"]);
    let deal = a.json(&["deal", "show", "Lisbon"]);
    let added = &deal["timeline"][0];
    assert_eq!(added["recorded_by"]["name"], "Maya Chen", "{deal}");
    assert_eq!(added["by"], "Sam Reyes, recorded on Maya Chen's laptop");
    let shown = a.ok(&["deal", "show", "Lisbon"]);
    assert!(shown.contains("recorded on Maya Chen's laptop"), "{shown}");
    a.ok(&["deal", "won", "Lisbon", "--as", "Maya Chen"]);
    let deal = a.json(&["deal", "show", "Lisbon"]);
    assert_eq!(deal["timeline"][1]["by"], "Maya Chen", "the same person: said once");
}

#[test]
fn a_revoked_laptop_key_seals_nothing_that_verifies() {
    let a = Agency::wayfarer();
    in_meeting_with_full_brief(&a);
    sign_both(&a, "2026-03-03 14:10");
    let brief = signed_brief(&a, "brief.pdf");
    let laptop = a.json(&["key", "list"])["laptops"][0]["device"].as_str().unwrap().to_string();
    let err = a.refused(&["key", "revoke", "--laptop", &laptop, "--reason", "stolen", "--as", "Sam Reyes"]);
    assert!(err.contains("by the founder, not by Sam Reyes"), "{err}");
    let err = a.refused(&["key", "revoke", "--laptop", "zzzzzz", "--reason", "stolen", "--as", "Maya Chen"]);
    assert!(err.contains("no laptop \"zzzzzz\""), "{err}");
    a.ok(&["key", "revoke", "--laptop", &laptop[..8], "--reason", "stolen from a car", "--as", "Maya Chen"]);

    let out = a.run(&["--json", "verify", "brief", p(&brief)]);
    assert_eq!(out.status.code(), Some(1), "a seal by a revoked laptop key no longer proves anything");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(report["problems"].to_string().contains("stolen from a car"), "{report}");
    let err = a.refused(&["export", "brief", "Alpine retreat", "--out", p(&a.path("again.pdf"))]);
    assert!(err.contains("sealing key") && err.contains("revoked"), "{err}");
}

/// A real Secret Service for one test: a private session bus with gnome-keyring's secrets
/// component on it, its login keyring unlocked. Stopped (bus and keyring) when dropped.
struct Keychain {
    bus: std::process::Child,
    address: String,
}

impl Keychain {
    fn start(home: &Path) -> Keychain {
        use std::io::BufRead;
        std::fs::create_dir_all(home).unwrap();
        let mut bus = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--print-address=1"])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("dbus-daemon (the dbus package)");
        let mut address = String::new();
        std::io::BufReader::new(bus.stdout.take().unwrap()).read_line(&mut address).unwrap();
        let address = address.trim().to_string();
        let mut keyring = Command::new("gnome-keyring-daemon")
            .args(["--unlock", "--components=secrets"])
            .env("DBUS_SESSION_BUS_ADDRESS", &address)
            .env("HOME", home)
            .env_remove("XDG_DATA_HOME")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("gnome-keyring-daemon (the gnome-keyring package)");
        use std::io::Write;
        keyring.stdin.take().unwrap().write_all(b"the login password").unwrap();
        assert!(keyring.wait().unwrap().success(), "gnome-keyring-daemon did not start");
        Keychain { bus, address }
    }
}

impl Drop for Keychain {
    fn drop(&mut self) {
        // gnome-keyring-daemon leaves when its bus goes away.
        let _ = self.bus.kill();
        let _ = self.bus.wait();
    }
}

#[test]
fn the_laptops_own_person_keeps_their_key_in_a_real_keychain_and_others_need_their_passphrase() {
    let a = Agency::wayfarer();
    let keychain = Keychain::start(&a.home());
    let run = |args: &[&str]| {
        let out = a.cmd().env("DBUS_SESSION_BUS_ADDRESS", &keychain.address).args(args).output().unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    in_meeting_with_full_brief(&a);
    a.ok(&["whoami", "set", "Sam Reyes"]);
    let (ok, agency, err) = run(&["agency"]);
    assert!(ok && agency.contains("the keychain holds the key of this laptop's own person"), "{agency}{err}");

    // Sam uses this laptop: his key goes to the keychain, and signing asks for nothing.
    let (ok, made, err) = run(&["--json", "key", "create", "--as", "Sam Reyes"]);
    assert!(ok, "{err}");
    let made: serde_json::Value = serde_json::from_str(&made).unwrap();
    assert_eq!(made["key"]["kept"], "the system keychain");
    assert_eq!(made["key"]["needs_passphrase"], false);
    let (ok, _, err) = run(&["brief", "sign", "Alpine retreat", "--as", "Sam Reyes", "--at", "2026-03-03 14:10"]);
    assert!(ok, "{err}");
    // The secret is nowhere on disk in the keys folder: only a marker says where it is.
    let fingerprint: String =
        made["key"]["fingerprint"].as_str().unwrap().chars().filter(|c| !c.is_whitespace()).collect();
    let sam_folder = a.keys().folder().join(made["key"]["person"]["id"].as_str().unwrap());
    let files: Vec<String> = std::fs::read_dir(&sam_folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(files, vec![format!("{fingerprint}.keychain")]);

    // Fay is not this laptop's person: her key needs a passphrase only she knows.
    let (ok, _, err) = run(&["key", "create", "--as", "Fay Okafor"]);
    assert!(!ok && err.contains("needs a passphrase only Fay Okafor knows"), "{err}");
    let fay = a.passphrase_file("Fay Okafor");
    let (ok, _, err) =
        run(&["key", "create", "--as", "Fay Okafor", "--passphrase-file", p(&fay), "--work-factor", "10"]);
    assert!(ok, "{err}");
    let (ok, _, err) = run(&["brief", "sign", "Alpine retreat", "--as", "Fay Okafor", "--at", "2026-03-03 14:11"]);
    assert!(!ok && err.contains("protected by their passphrase"), "{err}");
    let (ok, _, err) = run(&[
        "brief",
        "sign",
        "Alpine retreat",
        "--as",
        "Fay Okafor",
        "--at",
        "2026-03-03 14:11",
        "--passphrase-file",
        p(&fay),
    ]);
    assert!(ok, "{err}");

    // The laptop's sealing key goes to the keychain too; the export verifies.
    let brief = a.path("brief.pdf");
    let (ok, _, err) = run(&["export", "brief", "Alpine retreat", "--out", p(&brief)]);
    assert!(ok, "{err}");
    assert!(std::fs::read_dir(a.keys().folder()).unwrap().any(|e| e
        .unwrap()
        .file_name()
        .to_string_lossy()
        .ends_with(".keychain")));
    let (ok, report, err) = run(&["verify", "brief", p(&brief)]);
    assert!(ok && report.contains("VERIFIED"), "{report}{err}");

    // Without the keychain (another session, the keychain locked), Sam's key cannot be had.
    drop(keychain);
    a.ok(&["brief", "set", "Alpine retreat", "--section", "risks", "--text", "Two passports expire in July"]);
    let err = a.refused(&["brief", "sign", "Alpine retreat", "--as", "Sam Reyes"]);
    assert!(err.contains("the keychain did not give Sam Reyes's key"), "{err}");
}
