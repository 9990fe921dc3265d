//! The hub on 127.0.0.1, spoken to as an attacker would: another agency's token, a revoked one,
//! a forged chain or signature, a push as another laptop, a body far too large, a flood of bad
//! tokens — and what is kept, which never holds a token in clear. And the faults a hub lives
//! through: a body cut halfway, PostgreSQL dropping its connections or restarted under it.
//! Every test runs on both storages: the SQLite file, and PostgreSQL (a throwaway cluster on
//! 127.0.0.1 that the test command starts and names in `HANDOFF_TEST_POSTGRES`).

use std::collections::BTreeMap;
use std::time::Duration;

use ed25519_dalek::SigningKey;
use handoff_hub::postgres::Postgres;
use handoff_hub::server::Timings;
use handoff_hub::storage::{token_hash, Incoming, Sqlite, Storage};
use handoff_sync::protocol::*;

mod support;
use support::*;

#[test]
fn postgresql_dropping_the_hubs_connection_loses_nothing() {
    let Some(url) = postgres_database() else { return };
    let r = serve(Postgres::connect(&url).unwrap(), Box::new(String::new), tempfile::tempdir().unwrap());
    let sam = join(&r, "Wayfarer", "Sam", 1);
    let events: Vec<Numbered> = (1..=4).map(|n| event(&sam.device, n)).collect();
    let (_, first) = batch(&sam, CHAIN_START, &events[..2]);
    assert_eq!(post(&r, "push", &sam.token, &sam.device, first).0, 200);
    // As a restart would: every connection to the hub's database is dropped.
    let mut admin = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    admin
        .execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
            &[],
        )
        .unwrap();
    let (_, second) = batch(&sam, chain(CHAIN_START, &events[..2]), &events[2..]);
    let (status, said) = post(&r, "push", &sam.token, &sam.device, second);
    assert_eq!(status, 200, "{said}");
    let fay = join(&r, "Wayfarer", "Fay", 2);
    let pulled: Vec<u64> = pull(&r, &fay).1.iter().map(|e| e.seq).collect();
    assert_eq!(pulled, [1, 2, 3, 4], "nothing lost, nothing twice");
}

/// A PostgreSQL cluster of the test's own, so it can be stopped and started without disturbing
/// the tests that share the test command's: initdb'd in a temporary folder, on a free port of
/// 127.0.0.1, as the `postgres` user when the tests run as root (initdb refuses root).
struct Cluster {
    dir: tempfile::TempDir,
    bin: std::path::PathBuf,
    port: u16,
    as_postgres: bool,
    /// Settings the server starts with (`-c NAME=VALUE …`).
    settings: String,
}

impl Cluster {
    fn new() -> Option<Cluster> {
        Cluster::new_with(|_| String::new())
    }

    /// A cluster whose server starts with the settings `settings` makes once the cluster's
    /// folder is there (to put files of its own in it).
    fn new_with(settings: impl FnOnce(&Cluster) -> String) -> Option<Cluster> {
        let bin = from_test_command("HANDOFF_TEST_POSTGRES_BIN", "this PostgreSQL test of its own cluster")?;
        let dir = tempfile::tempdir().unwrap();
        let as_postgres = std::process::Command::new("id").arg("-u").output().unwrap().stdout.starts_with(b"0\n");
        if as_postgres {
            let chown = std::process::Command::new("chown").arg("postgres").arg(dir.path()).status().unwrap();
            assert!(chown.success());
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let mut cluster = Cluster { dir, bin: bin.into(), port, as_postgres, settings: String::new() };
        let data = cluster.dir.path().join("data");
        cluster.run("initdb", &["-D", data.to_str().unwrap(), "-A", "trust", "-U", "postgres"]);
        cluster.settings = settings(&cluster);
        cluster.start();
        Some(cluster)
    }

    fn run(&self, program: &str, args: &[&str]) {
        let program = self.bin.join(program);
        let mut command = if self.as_postgres {
            let mut c = std::process::Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&program);
            c
        } else {
            std::process::Command::new(&program)
        };
        let out = command.args(args).output().unwrap();
        assert!(out.status.success(), "{program:?} {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    }

    fn ctl(&self, what: &[&str]) {
        let data = self.dir.path().join("data");
        let log = self.dir.path().join("log");
        let options = format!("-k {} -h 127.0.0.1 -p {} {}", self.dir.path().display(), self.port, self.settings);
        let mut args = vec!["-D", data.to_str().unwrap(), "-l", log.to_str().unwrap(), "-o", &options, "-w"];
        args.extend_from_slice(what);
        self.run("pg_ctl", &args);
    }

    fn start(&self) {
        self.ctl(&["start"]);
    }

    /// A clean shutdown, as a restart or an upgrade of the server does.
    fn stop(&self) {
        self.ctl(&["-m", "fast", "stop"]);
    }

    fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let data = self.dir.path().join("data");
        let program = self.bin.join("pg_ctl");
        let args = ["-D", data.to_str().unwrap(), "-m", "immediate", "stop"];
        let _ = if self.as_postgres {
            std::process::Command::new("runuser").args(["-u", "postgres", "--"]).arg(program).args(args).output()
        } else {
            std::process::Command::new(program).args(args).output()
        };
    }
}

/// Runs `openssl` with `args`.
fn openssl(args: &[&str]) {
    let out = std::process::Command::new("openssl").args(args).output().unwrap();
    assert!(out.status.success(), "openssl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

/// An agency's own certificate authority in `dir` (`ca.pem`), and a certificate it signed for
/// 127.0.0.1 (`server.crt`, `server.key`).
fn certificate_for_127_0_0_1(dir: &std::path::Path) {
    let p = |name: &str| dir.join(name).to_str().unwrap().to_string();
    std::fs::write(dir.join("server.ext"), "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n").unwrap();
    let curve = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];
    let (ca, ca_key, key, csr) = (p("ca.pem"), p("ca.key"), p("server.key"), p("server.csr"));
    openssl(
        &[&["req", "-x509"], &curve[..], &["-days", "2", "-subj", "/CN=Agency CA", "-keyout", &ca_key, "-out", &ca]]
            .concat(),
    );
    openssl(&[&["req"], &curve[..], &["-subj", "/CN=127.0.0.1", "-keyout", &key, "-out", &csr]].concat());
    let (ext, crt) = (p("server.ext"), p("server.crt"));
    openssl(&[
        "x509",
        "-req",
        "-in",
        &csr,
        "-CA",
        &ca,
        "-CAkey",
        &ca_key,
        "-CAcreateserial",
        "-days",
        "2",
        "-extfile",
        &ext,
        "-out",
        &crt,
    ]);
}

#[test]
fn the_hub_reaches_postgresql_over_tls_and_checks_its_certificate() {
    let Some(cluster) = Cluster::new_with(|cluster| {
        // PostgreSQL reads its key only when the key is its user's alone.
        let dir = cluster.dir.path();
        certificate_for_127_0_0_1(dir);
        for file in ["server.crt", "server.key"] {
            std::fs::set_permissions(dir.join(file), std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
            if cluster.as_postgres {
                assert!(std::process::Command::new("chown")
                    .arg("postgres")
                    .arg(dir.join(file))
                    .status()
                    .unwrap()
                    .success());
            }
        }
        format!("-c ssl=on -c ssl_cert_file={0}/server.crt -c ssl_key_file={0}/server.key", dir.display())
    }) else {
        return;
    };
    let ca = cluster.dir.path().join("ca.pem");
    let over_tls = format!("{}?sslmode=require&sslrootcert={}", cluster.url(), ca.display());
    let hub = Postgres::connect(&over_tls).unwrap();
    hub.create_agency("Wayfarer").unwrap();
    assert_eq!(hub.agencies().unwrap()[0].name, "Wayfarer");
    let mut admin = postgres::Client::connect(&cluster.url(), postgres::NoTls).unwrap();
    let encrypted: i64 = admin
        .query_one(
            "SELECT count(*) FROM pg_stat_ssl JOIN pg_stat_activity USING (pid) WHERE ssl AND backend_type = 'client backend'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(encrypted, 2, "the hub's two connections, over TLS");

    // A certificate the system does not trust, with no sslrootcert naming its authority: refused.
    let refused = Postgres::connect(&format!("{}?sslmode=require", cluster.url())).err().unwrap().to_string();
    assert!(refused.contains("invalid peer certificate"), "{refused}");
    assert!(refused.contains("sslrootcert=FILE naming the authority that signed it"), "{refused}");
    // Addresses that say something the hub will not do, each refused with what to write instead.
    for (query, says) in [
        ("sslmode=prefer", "sslmode=prefer: the hub either checks"),
        ("sslmode=allow", "sslmode=allow"),
        ("sslmode=disable&sslrootcert=ca.pem", "say sslmode=require to check it"),
        (
            "sslmode=require&sslrootcert=no-such-file.pem",
            "no-such-file.pem as its certificate authority, which cannot be read",
        ),
    ] {
        let refused = Postgres::connect(&format!("{}?{query}", cluster.url())).err().unwrap().to_string();
        assert!(refused.contains(says), "{query}: {refused}");
    }
    // A plain address still reaches a PostgreSQL that also speaks TLS (one on the hub's machine).
    assert_eq!(Postgres::connect(&cluster.url()).unwrap().agencies().unwrap().len(), 1);
}

#[test]
fn postgresql_restarted_under_the_hub_loses_nothing_and_the_hub_carries_on() {
    let Some(cluster) = Cluster::new() else { return };
    let r = serve(Postgres::connect(&cluster.url()).unwrap(), Box::new(String::new), tempfile::tempdir().unwrap());
    let sam = join(&r, "Wayfarer", "Sam", 1);
    let events: Vec<Numbered> = (1..=6).map(|n| event(&sam.device, n)).collect();
    let (_, first) = batch(&sam, CHAIN_START, &events[..2]);
    assert_eq!(post(&r, "push", &sam.token, &sam.device, first).0, 200);

    // PostgreSQL is down: the hub answers that it cannot keep anything now, and keeps serving.
    cluster.stop();
    let (_, second) = batch(&sam, chain(CHAIN_START, &events[..2]), &events[2..4]);
    let (status, said) = post(&r, "push", &sam.token, &sam.device, second.clone());
    assert_eq!(status, 500, "{said}");
    assert!(!said.is_empty(), "the refusal says why");

    // Back up: the same push goes in on a new connection, and so does the next.
    cluster.start();
    let (status, said) = post(&r, "push", &sam.token, &sam.device, second);
    assert_eq!(status, 200, "{said}");
    cluster.stop();
    cluster.start();
    let (_, third) = batch(&sam, chain(CHAIN_START, &events[..4]), &events[4..]);
    let (status, said) = post(&r, "push", &sam.token, &sam.device, third);
    assert_eq!(status, 200, "{said}");
    let fay = join(&r, "Wayfarer", "Fay", 2);
    let pulled: Vec<u64> = pull(&r, &fay).1.iter().map(|e| e.seq).collect();
    assert_eq!(pulled, [1, 2, 3, 4, 5, 6], "nothing lost, nothing twice");
}

#[test]
fn a_body_cut_halfway_is_refused_and_writes_nothing() {
    on_each_storage(|r| {
        let sam = join(&r, "Wayfarer", "Sam", 1);
        let events: Vec<Numbered> = (1..=50).map(|n| event(&sam.device, n)).collect();
        let (_, body) = batch(&sam, CHAIN_START, &events);
        let (status, said) = post(&r, "push", &sam.token, &sam.device, body[..body.len() / 2].to_vec());
        assert_eq!(status, 400, "{said}");
        assert_eq!(pull(&r, &sam).1.len(), 0, "nothing was written");
        let (status, _) = post(&r, "push", &sam.token, &sam.device, body);
        assert_eq!(status, 200, "the whole body, sent again, goes in");
        assert_eq!(pull(&r, &sam).1.len(), 50);
    });
}

#[test]
fn an_event_no_laptop_could_read_is_refused_and_nothing_of_its_batch_is_kept() {
    on_each_storage(|r| {
        let sam = join(&r, "Wayfarer", "Sam", 1);
        let good = event(&sam.device, 1);
        // Signed and chained by the laptop's own key, but missing its clock stamp, times and
        // payload: every other laptop would fail to read it.
        let partial = serde_json::json!({"id": "0193a000-0000-7000-8000-000000000002", "device": sam.device, "kind": "deal_lost"});
        let bytes = [event_bytes(&good.event), serde_json::to_vec(&partial).unwrap()];
        let link = bytes.iter().zip(1u64..).fold(CHAIN_START, |l, (b, seq)| next_link(l, seq, b));
        let head = PushHead {
            device: sam.device.clone(),
            first_seq: 1,
            count: 2,
            chain: hex::encode(link),
            signature: sign_batch(&sam.key, &batch_message(&sam.agency, &sam.device, 1, 2, &link)),
        };
        let lines =
            [serde_json::json!({"seq": 1, "event": good.event}), serde_json::json!({"seq": 2, "event": partial})];
        let (status, said) = post(&r, "push", &sam.token, &sam.device, encode(&head, &lines));
        assert_eq!(status, 400, "{said}");
        assert!(said.contains("number 2 of the batch is not an event as Handoff keeps it"), "{said}");
        assert_eq!(pull(&r, &sam).1.len(), 0, "nothing of the batch was kept");
    });
}

#[test]
fn an_event_whose_id_is_not_a_uuid_as_a_laptop_writes_it_is_refused_and_nothing_of_its_batch_is_kept() {
    on_each_storage(|r| {
        let sam = join(&r, "Wayfarer", "Sam", 1);
        // Signed and chained by the laptop's own key: the first event as a laptop writes it, the
        // second under an id no laptop writes (one not a UUID, one a UUID in capitals).
        for odd in ["event-2", "0193A000-0000-7000-8000-000000000002"] {
            let mut second = event(&sam.device, 2);
            second.event.id = odd.into();
            let (_, body) = batch(&sam, CHAIN_START, &[event(&sam.device, 1), second]);
            let (status, said) = post(&r, "push", &sam.token, &sam.device, body);
            assert_eq!(status, 400, "{said}");
            assert!(
                said.contains("number 2 of the batch has an id that is not a UUID as Handoff writes one"),
                "{said}"
            );
            assert_eq!(pull(&r, &sam).1.len(), 0, "nothing of the batch was kept");
        }
        // The same batch with the id as a laptop writes it is kept.
        let (_, body) = batch(&sam, CHAIN_START, &[event(&sam.device, 1), event(&sam.device, 2)]);
        assert_eq!(post(&r, "push", &sam.token, &sam.device, body).0, 200);
        assert_eq!(pull(&r, &sam).1.len(), 2);
    });
}

#[test]
fn a_batch_after_a_gap_is_refused_and_writes_nothing() {
    on_each_storage_with(Duration::from_millis(100), |r| {
        let sam = join(&r, "Wayfarer", "Sam", 1);
        let events: Vec<Numbered> = (1..=4).map(|n| event(&sam.device, n)).collect();
        let (_, later) = batch(&sam, chain(CHAIN_START, &events[..2]), &events[2..]);
        let (status, said) = post(&r, "push", &sam.token, &sam.device, later.clone());
        assert_eq!(status, 409, "{said}");
        assert!(said.contains("before number 3: send them first"), "{said}");
        assert_eq!(pull(&r, &sam).1.len(), 0, "nothing was written");
        let (_, first) = batch(&sam, CHAIN_START, &events[..2]);
        assert_eq!(post(&r, "push", &sam.token, &sam.device, first).0, 200);
        assert_eq!(post(&r, "push", &sam.token, &sam.device, later).0, 200, "once the gap is filled it goes in");
        let pulled: Vec<u64> = pull(&r, &sam).1.iter().map(|e| e.seq).collect();
        assert_eq!(pulled, [1, 2, 3, 4]);
    });
}

/// A laptop keeps two batches on their way; when the later one reaches the hub first, it waits
/// for the one before and both are kept, in order.
#[test]
fn a_batch_that_overtakes_the_one_before_waits_for_it() {
    on_each_storage(|r| {
        let sam = join(&r, "Wayfarer", "Sam", 1);
        let events: Vec<Numbered> = (1..=300).map(|n| event(&sam.device, n)).collect();
        let (_, first) = batch(&sam, CHAIN_START, &events[..100]);
        let (_, second) = batch(&sam, chain(CHAIN_START, &events[..100]), &events[100..200]);
        let (_, third) = batch(&sam, chain(CHAIN_START, &events[..200]), &events[200..]);
        let (token, device) = (sam.token.clone(), sam.device.clone());
        let answers = r.runtime.block_on(async {
            // The last batch goes first, then the middle one, then the first.
            let third = tokio::spawn(send(r.url.clone(), "push", token.clone(), device.clone(), third));
            let second = tokio::spawn(send(r.url.clone(), "push", token.clone(), device.clone(), second));
            let first = send(r.url.clone(), "push", token, device, first).await;
            (first, second.await.unwrap(), third.await.unwrap())
        });
        assert_eq!((answers.0 .0, answers.1 .0, answers.2 .0), (200, 200, 200), "{answers:?}");
        let pulled: Vec<u64> = pull(&r, &sam).1.iter().map(|e| e.seq).collect();
        assert_eq!(pulled, (1..=300).collect::<Vec<u64>>(), "all kept once, in order");
    });
}

/// A token for `person` of `agency` (made with the agency when it is new).
fn token(r: &Running, agency: &str, person: &str) -> String {
    if !r.storage.agencies().unwrap().iter().any(|a| a.name == agency) {
        r.storage.create_agency(agency).unwrap();
    }
    let mut secret = [0u8; 32];
    rand::RngCore::fill_bytes(&mut rand::rng(), &mut secret);
    let token = format!("hndf_{}", hex::encode(secret));
    r.storage.create_token(agency, person, &token_hash(&token)).unwrap();
    token
}

/// A laptop: its id and key, joined with `token`.
struct Laptop {
    device: String,
    key: SigningKey,
    token: String,
    agency: String,
}

fn post(r: &Running, path: &str, token: &str, device: &str, body: Vec<u8>) -> (u16, String) {
    r.runtime.block_on(send(r.url.clone(), path, token.to_string(), device.to_string(), body))
}

async fn send(url: String, path: &str, token: String, device: String, body: Vec<u8>) -> (u16, String) {
    let (status, bytes) = exchange(url, path, token, device, body).await;
    let text = serde_json::from_slice::<Refusal>(&bytes).map(|r| r.error).unwrap_or_default();
    (status, text)
}

/// One request to the hub: its status and its body.
async fn exchange(url: String, path: &str, token: String, device: String, body: Vec<u8>) -> (u16, Vec<u8>) {
    let response = reqwest::Client::new()
        .post(format!("{url}/v1/{path}"))
        .bearer_auth(token)
        .header(DEVICE_HEADER, device)
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.bytes().await.unwrap().to_vec())
}

fn join(r: &Running, agency: &str, person: &str, n: u8) -> Laptop {
    let token = token(r, agency, person);
    let key = SigningKey::from_bytes(&[n; 32]);
    let device = format!("00000000-0000-7000-8000-0000000000{n:02}");
    let request = EnrolRequest {
        token: token.clone(),
        device: device.clone(),
        public_key: hex::encode(key.verifying_key().to_bytes()),
    };
    let (status, said) = post(r, "enrol", &token, &device, encode::<_, ()>(&request, &[]));
    assert_eq!(status, 200, "{said}");
    Laptop { device, key, token, agency: agency.into() }
}

fn event(device: &str, n: u64) -> Numbered {
    Numbered {
        seq: n,
        event: WireEvent {
            id: format!(
                "0193a000-0000-7000-8000-{:012}",
                n + device.len() as u64 * 1000 + u64::from(device.as_bytes()[device.len() - 1])
            ),
            device: device.into(),
            actor: None,
            recorded_by: None,
            occurred_at: "2026-03-03T10:00:00.000000Z".into(),
            recorded_at: "2026-03-03T10:00:00.000000Z".into(),
            hlc: format!("0001772532000000-{n:010}"),
            part: 0,
            version: 1,
            kind: "cold_outreach_recorded".into(),
            deal: None,
            payload: "{}".into(),
        },
    }
}

/// A batch of `events` as `laptop` signs it, after `before` (the hub's link).
fn batch(laptop: &Laptop, before: [u8; 32], events: &[Numbered]) -> (PushHead, Vec<u8>) {
    let c = chain(before, events);
    let first = events[0].seq;
    let message = batch_message(&laptop.agency, &laptop.device, first, events.len() as u64, &c);
    let head = PushHead {
        device: laptop.device.clone(),
        first_seq: first,
        count: events.len() as u64,
        chain: hex::encode(c),
        signature: sign_batch(&laptop.key, &message),
    };
    let body = encode(&head, events);
    (head, body)
}

fn pull(r: &Running, laptop: &Laptop) -> (u16, Vec<PulledEvent>) {
    let body = encode::<_, ()>(&PullRequest { cursors: BTreeMap::new() }, &[]);
    let (token, device) = (laptop.token.clone(), laptop.device.clone());
    let (status, bytes) = r.runtime.block_on(exchange(r.url.clone(), "pull", token, device, body));
    if status != 200 {
        return (status, Vec::new());
    }
    let (_, events): (PullHead, Vec<PulledEvent>) = decode(&bytes).unwrap();
    (status, events)
}

/// `laptop` waits for news beyond `cursors`; the hub's answer.
async fn wait_for_news(url: String, laptop: (String, String), cursors: Vec<(String, u64)>) -> bool {
    let request = WaitRequest { cursors: cursors.into_iter().collect() };
    let (status, bytes) = exchange(url, "wait", laptop.0, laptop.1, encode::<_, ()>(&request, &[])).await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&bytes));
    decode::<WaitResponse, serde_json::Value>(&bytes).unwrap().0.news
}

/// Returns once the hub holds a laptop's wait open (a wait is on its way).
fn until_the_hub_holds_a_wait(r: &Running) {
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while (r.waiting)() == 0 {
        assert!(std::time::Instant::now() < deadline, "the wait never reached the hub");
        std::thread::yield_now();
    }
}

#[test]
fn a_waiting_laptop_hears_of_its_agencys_news_at_once_and_of_nothing_after_a_while() {
    // Waits held open a minute and never looked at again unwoken: an answer long before then
    // came from the batch that was kept waking the wait (not a measure of speed: which path).
    let held = Duration::from_secs(60);
    let woken_only = Timings { wait_at_most: held, wait_look_again: held * 2, ..Timings::default() };
    on_each_storage_timed(woken_only, |r| {
        let sam = join(&r, "Wayfarer", "Sam", 1);
        let fay = join(&r, "Wayfarer", "Fay", 2);
        let fays = (fay.token.clone(), fay.device.clone());
        let (head, body) = batch(&sam, CHAIN_START, &[event(&sam.device, 1)]);
        assert_eq!(post(&r, "push", &sam.token, &sam.device, body).0, 200);
        assert!(r.runtime.block_on(wait_for_news(r.url.clone(), fays.clone(), vec![])), "held already: at once");

        let waiting = r.runtime.spawn(wait_for_news(r.url.clone(), fays.clone(), vec![(sam.device.clone(), 1)]));
        until_the_hub_holds_a_wait(&r);
        let asked = std::time::Instant::now();
        let (_, body) = batch(&sam, link(&head.chain).unwrap(), &[event(&sam.device, 2)]);
        assert_eq!(post(&r, "push", &sam.token, &sam.device, body).0, 200);
        assert!(r.runtime.block_on(waiting).unwrap(), "Sam's new event is news to Fay");
        assert!(asked.elapsed() < held / 2, "the batch kept woke the wait; it did not run out");
    });
    // Held open briefly: another agency's news is no news to Fay, and nothing new is said as nothing.
    let brief = Timings { wait_at_most: Duration::from_millis(300), ..Timings::default() };
    on_each_storage_timed(brief, |r| {
        let sam = join(&r, "Wayfarer", "Sam", 1);
        let fay = join(&r, "Wayfarer", "Fay", 2);
        let eve = join(&r, "Elsewhere", "Eve", 3);
        let (_, body) = batch(&sam, CHAIN_START, &[event(&sam.device, 1)]);
        assert_eq!(post(&r, "push", &sam.token, &sam.device, body).0, 200);
        let fays = (fay.token.clone(), fay.device.clone());
        let waiting = r.runtime.spawn(wait_for_news(r.url.clone(), fays, vec![(sam.device.clone(), 1)]));
        until_the_hub_holds_a_wait(&r);
        let (_, body) = batch(&eve, CHAIN_START, &[event(&eve.device, 1)]);
        assert_eq!(post(&r, "push", &eve.token, &eve.device, body).0, 200);
        assert!(!r.runtime.block_on(waiting).unwrap());
    });
}

#[test]
fn a_laptop_holds_one_wait_open_at_a_time_a_newer_one_ends_the_one_before() {
    let held = Duration::from_secs(60);
    on_each_storage_timed(Timings { wait_at_most: held, ..Timings::default() }, |r| {
        let sam = join(&r, "Wayfarer", "Sam", 1);
        let fay = join(&r, "Wayfarer", "Fay", 2);
        let ask = |cursors: u64| {
            let request = WaitRequest { cursors: [(sam.device.clone(), cursors)].into() };
            exchange(r.url.clone(), "wait", fay.token.clone(), fay.device.clone(), encode::<_, ()>(&request, &[]))
        };
        let first = r.runtime.spawn(ask(0));
        until_the_hub_holds_a_wait(&r);
        let second = r.runtime.spawn(ask(0));
        let (status, said) = r.runtime.block_on(first).unwrap();
        assert_eq!(status, 409, "{}", String::from_utf8_lossy(&said));
        assert!(String::from_utf8_lossy(&said).contains("opened another wait"));
        // The newer one is the one open, and hears of the news.
        let (_, body) = batch(&sam, CHAIN_START, &[event(&sam.device, 1)]);
        assert_eq!(post(&r, "push", &sam.token, &sam.device, body).0, 200);
        let (status, said) = r.runtime.block_on(second).unwrap();
        assert_eq!(status, 200);
        assert!(decode::<WaitResponse, serde_json::Value>(&said).unwrap().0.news);
    });
}

#[test]
fn a_signed_batch_is_kept_once_and_relayed_to_the_agency_only() {
    on_each_storage(|r| {
        let sam = join(&r, "Wayfarer", "Sam", 1);
        let events: Vec<Numbered> = (1..=3).map(|n| event(&sam.device, n)).collect();
        let (_, body) = batch(&sam, CHAIN_START, &events);
        assert_eq!(post(&r, "push", &sam.token, &sam.device, body.clone()).0, 200);
        assert_eq!(post(&r, "push", &sam.token, &sam.device, body).0, 200, "a repeated push changes nothing");
        let fay = join(&r, "Wayfarer", "Fay", 2);
        assert_eq!(pull(&r, &fay).1.len(), 3);
        // Another agency's laptop sees none of it.
        let other = join(&r, "Elsewhere", "Eve", 3);
        assert_eq!(pull(&r, &other).1.len(), 0);
    });
}

#[test]
fn another_agencys_token_a_revoked_token_and_an_unknown_laptop_are_refused() {
    on_each_storage(|r| {
        let sam = join(&r, "Wayfarer", "Sam", 1);
        let eve = join(&r, "Elsewhere", "Eve", 3);
        // Eve's token with Sam's laptop: that laptop has not joined her agency.
        let (_, body) = batch(&sam, CHAIN_START, &[event(&sam.device, 1)]);
        let (status, said) = post(&r, "push", &eve.token, &sam.device, body.clone());
        assert_eq!(status, 403, "{said}");
        let (status, _) = post(&r, "pull", &eve.token, &sam.device, encode::<_, ()>(&PullRequest::default(), &[]));
        assert_eq!(status, 403);
        let (status, _) = post(&r, "wait", &eve.token, &sam.device, encode::<_, ()>(&WaitRequest::default(), &[]));
        assert_eq!(status, 403);
        let log = WebhookLogRequest { limit: 10 };
        let (status, _) = post(&r, "webhook-log", &eve.token, &sam.device, encode::<_, ()>(&log, &[]));
        assert_eq!(status, 403);
        // The storage itself keeps a batch only under a laptop that joined that agency.
        let elsewhere = r.storage.access(&token_hash(&eve.token)).unwrap().unwrap().agency.id;
        let incoming = Incoming { seq: 1, id: "e1".into(), body: "{}".into(), link: "00".into() };
        let before = (r.kept)();
        let refused = r.storage.append(elsewhere, &sam.device, &[incoming], None).unwrap_err();
        assert!(refused.to_string().contains("has not joined"), "{refused}");
        assert_eq!((r.kept)(), before, "nothing kept");
        // Sam's laptop id joined under Eve's token is a laptop of her agency: it sees none of Sam's.
        let (_, sams_first) = batch(&sam, CHAIN_START, &[event(&sam.device, 1)]);
        assert_eq!(post(&r, "push", &sam.token, &sam.device, sams_first).0, 200);
        let key = SigningKey::from_bytes(&[9; 32]);
        let request = EnrolRequest {
            token: eve.token.clone(),
            device: sam.device.clone(),
            public_key: hex::encode(key.verifying_key().to_bytes()),
        };
        assert_eq!(post(&r, "enrol", &eve.token, &sam.device, encode::<_, ()>(&request, &[])).0, 200);
        let as_eve = Laptop { device: sam.device.clone(), key, token: eve.token.clone(), agency: "Elsewhere".into() };
        assert_eq!(pull(&r, &as_eve), (200, Vec::new()), "nothing of Wayfarer's");
        assert_eq!(pull(&r, &sam).1.len(), 1, "Sam's own still there");
        // A revoked token fails at its next request.
        let id = r.storage.tokens(Some("Wayfarer")).unwrap()[0].id.clone();
        r.storage.revoke_token(&id).unwrap();
        let (status, said) = post(&r, "push", &sam.token, &sam.device, body);
        assert_eq!(status, 401);
        assert!(said.contains("revoked"), "{said}");
    });
}

#[test]
fn a_laptop_joins_again_only_for_its_own_person_and_then_only_its_new_key_is_taken() {
    on_each_storage(|r| {
        let sam = join(&r, "Wayfarer", "Sam", 1);
        let fay_token = token(&r, "Wayfarer", "Fay");
        let enrol = |token: &str, key: &SigningKey| {
            let request = EnrolRequest {
                token: token.to_string(),
                device: sam.device.clone(),
                public_key: hex::encode(key.verifying_key().to_bytes()),
            };
            post(&r, "enrol", token, &sam.device, encode::<_, ()>(&request, &[]))
        };
        // Fay cannot take Sam's laptop over: a database copied from his.
        let (status, said) = enrol(&fay_token, &SigningKey::from_bytes(&[5; 32]));
        assert_eq!(status, 409, "{said}");
        assert!(said.contains("enrolled already for Sam"), "{said}");
        // Sam joins again from the same laptop with a new key (Handoff set up again): from then on
        // batches signed with the old key are refused, and the new key's are kept.
        let new_key = SigningKey::from_bytes(&[6; 32]);
        assert_eq!(enrol(&sam.token, &new_key).0, 200);
        let events = [event(&sam.device, 1)];
        let (_, old_signed) = batch(&sam, CHAIN_START, &events);
        let (status, said) = post(&r, "push", &sam.token, &sam.device, old_signed);
        assert_eq!(status, 403, "{said}");
        assert!(said.contains("not signed by this laptop's key"), "{said}");
        let renewed = Laptop { key: new_key, ..sam };
        let (_, new_signed) = batch(&renewed, CHAIN_START, &events);
        assert_eq!(post(&r, "push", &renewed.token, &renewed.device, new_signed).0, 200);
    });
}

#[test]
fn a_body_that_grows_too_large_when_decompressed_is_refused_with_413_and_read_no_further() {
    use std::io::Write;
    // Spaces, gzip'd a megabyte at a time: a few hundred bytes of body for each megabyte.
    let inflating_to = |bytes: u64| {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(1));
        let spaces = vec![b' '; 1 << 20];
        for _ in 0..bytes >> 20 {
            gz.write_all(&spaces).unwrap();
        }
        gz.write_all(&spaces[..(bytes % (1 << 20)) as usize]).unwrap();
        gz.finish().unwrap()
    };
    let push_bomb = inflating_to(MAX_INFLATED_BYTES + 1);
    let request_bomb = inflating_to(MAX_REQUEST_INFLATED_BYTES + 1);
    on_each_storage(|r| {
        // A laptop joining carries its token in the body: the hub reads at most a megabyte of it.
        let (status, said) = post(&r, "enrol", "", "", request_bomb.clone());
        assert_eq!(status, 413, "{said}");
        assert!(said.contains("grows beyond 1024 KB when decompressed"), "{said}");
        let sam = join(&r, "Wayfarer", "Sam", 1);
        let (status, _) = post(&r, "pull", &sam.token, &sam.device, request_bomb.clone());
        assert_eq!(status, 413);
        let (status, said) = post(&r, "push", &sam.token, &sam.device, push_bomb.clone());
        assert_eq!(status, 413, "{said}");
        assert!(said.contains("grows beyond 262144 KB"), "{said}");
        assert_eq!(pull(&r, &sam), (200, Vec::new()), "nothing kept");
    });
}

#[test]
fn a_forged_chain_or_signature_and_a_push_as_another_laptop_write_nothing() {
    on_each_storage(|r| {
        let sam = join(&r, "Wayfarer", "Sam", 1);
        let fay = join(&r, "Wayfarer", "Fay", 2);
        let events = vec![event(&sam.device, 1), event(&sam.device, 2)];

        // The chain does not match the events (one changed after signing).
        let (head, _) = batch(&sam, CHAIN_START, &events);
        let mut changed = events.clone();
        changed[1].event.payload = "{\"attempts\":9}".into();
        let (status, said) = post(&r, "push", &sam.token, &sam.device, encode(&head, &changed));
        assert_eq!(status, 400, "{said}");
        assert!(said.contains("chain"), "{said}");

        // Signed by another key.
        let forger = Laptop {
            device: sam.device.clone(),
            key: SigningKey::from_bytes(&[9; 32]),
            token: sam.token.clone(),
            agency: sam.agency.clone(),
        };
        let (_, body) = batch(&forger, CHAIN_START, &events);
        let (status, said) = post(&r, "push", &sam.token, &sam.device, body);
        assert_eq!(status, 403, "{said}");

        // Fay's laptop pushing Sam's events, under either name.
        let (_, body) = batch(&sam, CHAIN_START, &events);
        let (status, said) = post(&r, "push", &fay.token, &fay.device, body);
        assert_eq!(status, 403, "{said}");
        let fays_claiming = vec![Numbered { seq: 1, event: event(&sam.device, 1).event }];
        let (_, body) = batch(&fay, CHAIN_START, &fays_claiming);
        let (status, said) = post(&r, "push", &fay.token, &fay.device, body);
        assert_eq!(status, 403, "{said}");
        assert!(said.contains("another laptop"), "{said}");

        assert_eq!(pull(&r, &fay).1.len(), 0, "nothing was written");
    });
}

#[test]
fn a_batch_checked_ahead_from_a_batch_the_hub_refused_is_checked_again_from_what_it_holds() {
    on_each_storage(|r| {
        let sam = join(&r, "Wayfarer", "Sam", 1);
        let events: Vec<Numbered> = (1..=6).map(|n| event(&sam.device, n)).collect();
        let (head, body) = batch(&sam, CHAIN_START, &events[..2]);
        assert_eq!(post(&r, "push", &sam.token, &sam.device, body).0, 200);
        let after_two = link(&head.chain).unwrap();
        let (head, body) = batch(&sam, after_two, &events[2..4]);
        assert_eq!(post(&r, "push", &sam.token, &sam.device, body).0, 200);
        let held = link(&head.chain).unwrap();
        // A copy of the laptop sends other events as numbers 3 and 4, signed and chained: they
        // pass the check, and the hub refuses them against what it holds.
        let mut other = events[2..4].to_vec();
        for e in &mut other {
            e.event.payload = "{\"attempts\":2}".into();
        }
        let (head, body) = batch(&sam, after_two, &other);
        let (status, said) = post(&r, "push", &sam.token, &sam.device, body);
        assert_eq!(status, 409, "{said}");
        let not_held = link(&head.chain).unwrap();
        // A batch continuing the refused one checks out from where it ends, but not from what the
        // hub holds: refused.
        let (_, body) = batch(&sam, not_held, &events[4..]);
        let (status, said) = post(&r, "push", &sam.token, &sam.device, body);
        assert_eq!(status, 400, "{said}");
        assert!(said.contains("chain"), "{said}");
        // The laptop's own next batch, continuing what the hub holds, is kept.
        let (_, body) = batch(&sam, held, &events[4..]);
        let (status, said) = post(&r, "push", &sam.token, &sam.device, body);
        assert_eq!(status, 200, "{said}");
        let fay = join(&r, "Wayfarer", "Fay", 2);
        let pulled = pull(&r, &fay).1;
        assert_eq!(pulled.len(), 6);
        assert!(pulled.iter().all(|e| e.event.payload == "{}"), "only the laptop's own events are kept");
    });
}

#[test]
fn a_body_of_100_mb_is_refused_with_413() {
    on_each_storage(|r| {
        use std::io::Write;
        let sam = join(&r, "Wayfarer", "Sam", 1);
        // The hub stops reading at its limit and answers; the rest of the 100 MB is never taken.
        let addr = r.url.trim_start_matches("http://").to_string();
        let head = |framing: String| {
            format!(
                "POST /v1/push HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {}\r\n{DEVICE_HEADER}: {}\r\n{framing}\r\n\r\n",
                sam.token, sam.device
            )
        };
        let megabyte = vec![b'x'; 1 << 20];
        let answer = refused_as_sent(&addr, head(format!("Content-Length: {}", 100u64 << 20)), move |writer| {
            for _ in 0..100 {
                writer.write_all(&megabyte)?;
            }
            Ok(())
        });
        assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");

        // The same without a length given (chunked): refused once more than the limit arrived.
        let mut chunk = format!("{:x}\r\n", 1 << 20).into_bytes();
        chunk.extend(vec![b'x'; 1 << 20]);
        chunk.extend(b"\r\n");
        let answer = refused_as_sent(&addr, head("Transfer-Encoding: chunked".into()), move |writer| {
            for _ in 0..(MAX_BODY_BYTES >> 20) + 8 {
                writer.write_all(&chunk)?;
            }
            writer.write_all(b"0\r\n\r\n")
        });
        assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
        assert_eq!(pull(&r, &sam), (200, Vec::new()), "nothing kept");
    });
}

/// Sends `head` to the hub at `addr`, then the body `send` writes (on a thread of its own, until
/// the hub stops reading); the first bytes of the hub's answer.
fn refused_as_sent(
    addr: &str,
    head: String,
    send: impl FnOnce(&mut std::net::TcpStream) -> std::io::Result<()> + Send + 'static,
) -> String {
    use std::io::{Read, Write};
    let mut tcp = std::net::TcpStream::connect(addr).unwrap();
    tcp.set_read_timeout(Some(std::time::Duration::from_secs(30))).unwrap();
    tcp.write_all(head.as_bytes()).unwrap();
    let mut writer = tcp.try_clone().unwrap();
    let sending = std::thread::spawn(move || {
        let _ = send(&mut writer);
    });
    let mut answer = [0u8; 64];
    let n = tcp.read(&mut answer).unwrap();
    drop(tcp);
    sending.join().unwrap();
    String::from_utf8_lossy(&answer[..n]).into_owned()
}

#[test]
fn repeated_bad_tokens_get_429_and_a_good_token_still_gets_in() {
    on_each_storage(|r| {
        let sam = join(&r, "Wayfarer", "Sam", 1);
        let statuses: Vec<u16> = (0..15)
            .map(|i| {
                post(&r, "pull", &format!("hndf_guess_{i}"), &sam.device, encode::<_, ()>(&PullRequest::default(), &[]))
                    .0
            })
            .collect();
        assert_eq!(statuses[0], 401);
        assert_eq!(*statuses.last().unwrap(), 429, "{statuses:?}");
        assert_eq!(pull(&r, &sam).0, 200, "a good token is never locked out");
    });
}

#[test]
fn tokens_are_never_stored_in_clear() {
    on_each_storage(|r| {
        let made: Vec<String> = (0..3).map(|i| token(&r, "Wayfarer", &format!("Person {i}"))).collect();
        let text = (r.kept)();
        for t in &made {
            assert!(!text.contains(t.as_str()), "a token is in the hub's file in clear");
            assert!(text.contains(&token_hash(t)), "its hash is what is kept");
        }
    });
}

/// Regression: a push read the hub's SQLite file before it wrote, so when another connection
/// committed in between (the checkpoint thread restarting the log after a burst, or here any
/// writer) SQLite refused the push outright — "database is locked" — instead of it waiting its
/// turn.
#[test]
fn a_push_waits_its_turn_behind_another_writer_of_the_sqlite_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("hub.db");
    let r = serve(Sqlite::open(&file).unwrap(), Box::new(String::new), dir);
    let sam = join(&r, "Wayfarer", "Sam", 1);
    let events: Vec<Numbered> = (1..=2).map(|n| event(&sam.device, n)).collect();
    let (_, body) = batch(&sam, CHAIN_START, &events);
    let other = rusqlite::Connection::open(&file).unwrap();
    other
        .execute_batch(
            "BEGIN IMMEDIATE; INSERT INTO agencies (name, created_at) VALUES ('Elsewhere', '2026-11-29T00:00:00Z');",
        )
        .unwrap();
    let push = r.runtime.spawn(send(r.url.clone(), "push", sam.token.clone(), sam.device.clone(), body));
    // Long enough for the push to reach the file while the other writer holds it.
    std::thread::sleep(Duration::from_millis(300));
    other.execute_batch("COMMIT").unwrap();
    let (status, said) = r.runtime.block_on(push).unwrap();
    assert_eq!(status, 200, "{said}");
    assert_eq!(pull(&r, &sam).1.len(), 2);
}
