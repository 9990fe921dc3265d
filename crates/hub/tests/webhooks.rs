//! CRM webhooks against a real hub on 127.0.0.1, on both storages: each CRM's delivery, shaped as
//! its documentation shapes it (see `docs/crm-formats.md` §5–7), signed as it signs, turns a won
//! deal into `deal added` and `deal won` at the CRM's close — once: a resend changes nothing, a
//! replay is refused, a bad or stale signature is 401 and writes nothing — and the deal reaches a
//! second laptop by sync with its Fulfilment owner named. Every delivery is in the webhook log.

use std::collections::BTreeMap;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use handoff_api::dto::*;
use handoff_api::{Ctx, LaptopKeys};
use handoff_hub::storage::{token_hash, WebhookSetup};
use hmac::{Hmac, Mac};
use sha2::Sha256;

mod support;
use support::*;

const AGENCY: &str = "Wayfarer Travel";

/// A laptop of the agency: its own database and keys.
struct Laptop {
    ctx: Ctx,
    _dir: tempfile::TempDir,
}

fn laptop() -> Laptop {
    let dir = tempfile::tempdir().unwrap();
    let ctx =
        Ctx::open(&dir.path().join("handoff.db"), true).unwrap().with_keys(LaptopKeys::in_data_folder(dir.path()));
    Laptop { ctx, _dir: dir }
}

fn token(r: &Running, person: &str) -> String {
    let token = format!("hndf_{}", hex::encode(rand::random::<[u8; 32]>()));
    r.storage.create_token(AGENCY, person, &token_hash(&token)).unwrap();
    token
}

/// Sam's laptop sets up Wayfarer (Sam sells, Fay leads Fulfilment, Maya founded it) and seeds
/// the hub with it.
fn agency_on_the_hub(r: &Running) -> Laptop {
    r.storage.create_agency(AGENCY).unwrap();
    let sams = laptop();
    let ctx = &sams.ctx;
    let init = InitRequest {
        agency: AGENCY.into(),
        timezone: "Europe/London".into(),
        workdays: None,
        hours: None,
        acting: Acting::default(),
    };
    handoff_api::init(ctx, init).unwrap();
    for (name, dept, email) in [
        ("Sam Reyes", "sales", Some("sam@wayfarer.example")),
        ("Fay Okafor", "fulfilment", None),
        ("Maya Chen", "founder", None),
    ] {
        let person = PersonAddRequest {
            name: name.into(),
            dept: dept.parse().unwrap(),
            email: email.map(str::to_string),
            confirmed_different: false,
            acting: Acting::default(),
        };
        handoff_api::person_add(ctx, person).unwrap();
    }
    for (dept, lead) in [("sales", "Sam Reyes"), ("fulfilment", "Fay Okafor")] {
        let staffed = DeptSetRequest {
            dept: dept.parse().unwrap(),
            lead: lead.into(),
            backups: vec![],
            acting: Acting::default(),
        };
        handoff_api::dept_set(ctx, staffed).unwrap();
    }
    handoff_api::sync_join(ctx, SyncJoinRequest { url: r.url.clone(), token: token(r, "Sam Reyes") }).unwrap();
    sams
}

/// A webhook checked with `secret`, for the default pipeline, with no access token.
fn setup(secret: String) -> WebhookSetup {
    WebhookSetup { secret, won_stages: vec![], api_token: None }
}

/// Sam's laptop brings in HubSpot `record`, still open, from an export with open deals in, and
/// sends it to the hub.
fn open_deal_from_a_hubspot_export(sams: &Laptop, record: &str) {
    let export = format!(
        "\"Record ID\",\"Deal Name\",\"Deal Stage\",\"Close Date\",\"Deal owner\",\"Amount\",\"Currency\",\"Associated Company\",\"Create Date\"\n\
         \"{record}\",\"Jones – Rome in spring\",\"Contract Sent\",\"\",\"Sam Reyes\",\"12500.5\",\"EUR\",\"Jones plc\",\"2026-11-02 10:00\"\n"
    );
    let options = ImportOptions { with_open: true, ..Default::default() };
    handoff_api::import_deals_from(&sams.ctx, "hubspot.csv", export.as_bytes(), &options, Acting::default()).unwrap();
    handoff_api::sync_now(&sams.ctx).unwrap();
}

/// How many events the hub holds for the agency.
fn held(r: &Running) -> usize {
    let agency = r.storage.agency(AGENCY).unwrap();
    r.storage.pull(agency.id, &BTreeMap::new(), 100_000).unwrap().0.len()
}

fn post(r: &Running, crm: &str, headers: &[(&str, String)], body: &[u8]) -> (u16, String) {
    let url = format!("{}/v1/crm/Wayfarer%20Travel/{crm}", r.url);
    let headers: Vec<(String, String)> = headers.iter().map(|(k, v)| (k.to_string(), v.clone())).collect();
    let body = body.to_vec();
    r.runtime.block_on(async move {
        let mut request = reqwest::Client::new().post(url).body(body);
        for (k, v) in headers {
            request = request.header(k, v);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let text = response.text().await.unwrap();
        let message = serde_json::from_str::<serde_json::Value>(&text)
            .ok()
            .and_then(|v| v["message"].as_str().map(str::to_string));
        (status, message.unwrap_or(text))
    })
}

fn hmac(key: &[u8], parts: &[&[u8]]) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).unwrap();
    for p in parts {
        mac.update(p);
    }
    mac.finalize().into_bytes().to_vec()
}

/// Handoff's own webhook headers for `body`, signed with `secret` at `at_s` (seconds).
fn generic_headers(secret: &str, id: &str, at_s: i64, body: &[u8]) -> Vec<(&'static str, String)> {
    let key = BASE64.decode(secret.strip_prefix("whsec_").unwrap()).unwrap();
    let ts = at_s.to_string();
    let sig = BASE64.encode(hmac(&key, &[id.as_bytes(), b".", ts.as_bytes(), b".", body]));
    vec![("webhook-id", id.to_string()), ("webhook-timestamp", ts), ("webhook-signature", format!("v1,{sig}"))]
}

fn now_s() -> i64 {
    chrono::Utc::now().timestamp()
}

fn log(r: &Running) -> Vec<(String, u16, String)> {
    r.storage.deliveries(Some(AGENCY), 100).unwrap().into_iter().map(|d| (d.outcome, d.status, d.detail)).collect()
}

/// The deal a laptop holds under a CRM record, after it synced.
fn synced_deal(l: &Laptop, record: &str) -> DealDetail {
    handoff_api::sync_now(&l.ctx).unwrap();
    let list = handoff_api::deal_list(&l.ctx, None).unwrap();
    let id = list
        .iter()
        .find_map(|d| {
            let detail = handoff_api::deal_show(&l.ctx, &d.id.to_string()).unwrap();
            (detail.external_id.as_deref() == Some(record)).then_some(d.id)
        })
        .unwrap_or_else(|| panic!("no deal holds record {record}"));
    handoff_api::deal_show(&l.ctx, &id.to_string()).unwrap()
}

#[test]
fn a_signed_won_deal_is_added_and_won_once_and_reaches_another_laptop_with_its_owner_named() {
    on_each_storage(|r| {
        let _sams = agency_on_the_hub(&r);
        let secret = handoff_crm::webhooks::new_generic_secret(rand::random());
        r.storage.set_webhook(AGENCY, "generic", &setup(r.secrets.seal(&secret))).unwrap();
        let closed = chrono::Utc::now() - chrono::Duration::minutes(3);
        let body = serde_json::json!({
            "record_id": "Z-1001", "title": "Lind family – Ski week", "customer": "Lind family", "amount": "9000.00",
            "currency": "EUR", "owner": "sam@wayfarer.example", "status": "won", "closed_at": closed.to_rfc3339(),
        })
        .to_string();
        let before = held(&r);

        // A bad signature, and a stale one: 401, nothing written.
        let mut forged = generic_headers(&secret, "msg_1", now_s(), body.as_bytes());
        forged[2].1 = format!("v1,{}", BASE64.encode([0u8; 32]));
        let (status, message) = post(&r, "generic", &forged, body.as_bytes());
        assert_eq!(status, 401, "{message}");
        assert!(message.contains("does not match"), "{message}");
        let stale = generic_headers(&secret, "msg_1", now_s() - 600, body.as_bytes());
        assert_eq!(post(&r, "generic", &stale, body.as_bytes()).0, 401);
        assert_eq!(held(&r), before, "a refused delivery writes no event");

        let signed = generic_headers(&secret, "msg_1", now_s(), body.as_bytes());
        let (status, message) = post(&r, "generic", &signed, body.as_bytes());
        assert_eq!(status, 200, "{message}");
        assert!(message.contains("record Z-1001: added and won; Fay Okafor owns the handoff"), "{message}");
        assert_eq!(held(&r), before + 2, "deal added and deal won");

        // The same delivery again is a replay: refused (answered 200, so a sender whose answer
        // was lost stops sending it), nothing more written.
        let (status, message) = post(&r, "generic", &signed, body.as_bytes());
        assert_eq!(status, 200, "{message}");
        assert!(message.contains("a replay of a delivery accepted before"), "{message}");
        // A resend (a new delivery of the same win) is idempotent.
        let resent = generic_headers(&secret, "msg_2", now_s(), body.as_bytes());
        let (status, message) = post(&r, "generic", &resent, body.as_bytes());
        assert_eq!(status, 200, "{message}");
        assert!(message.contains("already won in Handoff"), "{message}");
        assert_eq!(held(&r), before + 2);

        // Fay's laptop joins: the deal is there, won at the CRM's close, hers to hand off.
        let fays = laptop();
        handoff_api::sync_join(&fays.ctx, SyncJoinRequest { url: r.url.clone(), token: token(&r, "Fay Okafor") })
            .unwrap();
        let deal = synced_deal(&fays, "Z-1001");
        assert_eq!(deal.summary.title, "Lind family – Ski week");
        assert_eq!(deal.summary.sales_owner.name, "Sam Reyes", "matched by e-mail");
        assert_eq!(deal.fulfilment.as_ref().unwrap().acting.name, "Fay Okafor");
        assert_eq!(deal.summary.closed_at.unwrap().timestamp(), closed.timestamp());
        let source = deal.source.unwrap();
        assert_eq!((source.crm.as_str(), source.channel), ("webhook", handoff_domain::crm::SourceChannel::Webhook));

        // Any laptop of the agency reads the hub's webhook log (the app shows it under Sync).
        let seen = handoff_api::webhook_log(&fays.ctx).unwrap();
        assert_eq!(seen.len(), 5);
        assert!(seen[0].accepted && seen[0].detail.contains("already won in Handoff"), "{seen:?}");
        assert!(!seen[4].accepted && seen[4].status == 401);

        let lines = log(&r);
        let outcomes: Vec<(&str, u16)> = lines.iter().map(|(o, s, _)| (o.as_str(), *s)).collect();
        assert_eq!(
            outcomes,
            [("accepted", 200), ("refused", 200), ("accepted", 200), ("refused", 401), ("refused", 401)]
        );
        assert!(lines[4].2.contains("does not match"), "the log says why: {lines:?}");
    });
}

#[test]
fn pipedrive_needs_its_basic_auth_and_an_unknown_owner_goes_to_the_sales_lead_with_a_note() {
    on_each_storage(|r| {
        let sams = agency_on_the_hub(&r);
        let password = hex::encode(rand::random::<[u8; 32]>());
        r.storage
            .set_webhook(AGENCY, "pipedrive", &setup(handoff_crm::webhooks::basic_hash("handoff", &password)))
            .unwrap();
        // Shaped as Pipedrive's webhooks v2 guide shapes a change (see docs/crm-formats.md §6.2).
        let body = r#"{"meta":{"action":"change","entity":"deal","entity_id":"746","id":"8d6f6d3e-1111-2222-3333-444455556666","version":"2.0","company_id":"12882925","user_id":"18487521","change_source":"app","attempt":1,"timestamp":"2026-11-24T14:05:00.000Z"},"data":{"id":746,"title":"Smith family – Lisbon Dec 2026","status":"won","value":4200,"currency":"EUR","owner_id":18487521,"org_id":2,"person_id":3,"pipeline_id":1,"stage_id":5,"add_time":"2026-10-01T09:12:00Z","update_time":"2026-11-24T14:05:00Z","won_time":"2026-11-24T14:05:00Z","close_time":"2026-11-24T14:05:00Z","custom_fields":{}},"previous":{"status":"open"}}"#.as_bytes();
        let before = held(&r);
        let wrong = format!("Basic {}", BASE64.encode("handoff:guess"));
        let (status, _) = post(&r, "pipedrive", &[("authorization", wrong)], body);
        assert_eq!(status, 401);
        assert_eq!(post(&r, "pipedrive", &[], body).0, 401);
        assert_eq!(held(&r), before);

        let auth = format!("Basic {}", BASE64.encode(format!("handoff:{password}")));
        let (status, message) = post(&r, "pipedrive", &[("authorization", auth.clone())], body);
        assert_eq!(status, 200, "{message}");
        let deal = synced_deal(&sams, "746");
        assert_eq!(deal.summary.closed_at.unwrap().to_rfc3339(), "2026-11-24T14:05:00+00:00");
        assert_eq!(deal.summary.value, "4,200.00 EUR");
        assert_eq!(deal.summary.sales_owner.name, "Sam Reyes", "the Sales lead");
        let note = deal.source.unwrap().note.unwrap();
        assert!(note.contains("Pipedrive's owner \"18487521\" matches nobody in Sales"), "{note}");
        assert!(note.contains("does not name the customer"), "{note}");
        // Pipedrive's retry of the same delivery (its meta.id) is a replay.
        // Pipedrive's retry of the same delivery (its meta.id) is a replay: nothing more.
        let before = held(&r);
        let (status, message) = post(&r, "pipedrive", &[("authorization", auth)], body);
        assert_eq!((status, message.contains("replay")), (200, true), "{message}");
        assert_eq!(held(&r), before);
    });
}

#[test]
fn hubspot_wins_the_open_deal_it_names_and_its_signature_and_clock_are_checked() {
    on_each_storage(|r| {
        let sams = agency_on_the_hub(&r);
        // The open deal came in from a HubSpot export with open deals in.
        open_deal_from_a_hubspot_export(&sams, "332507367157");
        let secret = "yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy";
        r.storage.set_webhook(AGENCY, "hubspot", &setup(r.secrets.seal(secret))).unwrap();
        let occurred = chrono::Utc::now().timestamp_millis() - 60_000;
        // Shaped as HubSpot's webhook docs shape a deal property change (docs/crm-formats.md §5.2).
        let body = format!(
            r#"[{{"eventId":2995724042,"subscriptionId":6547123,"portalId":48975575,"appId":39522895,"occurredAt":{occurred},"subscriptionType":"deal.propertyChange","attemptNumber":0,"objectId":332507367157,"propertyName":"dealstage","propertyValue":"closedwon","changeSource":"CRM_UI","sourceId":"userId:1234567"}},{{"eventId":2995724043,"subscriptionId":6547123,"portalId":48975575,"appId":39522895,"occurredAt":{occurred},"subscriptionType":"deal.propertyChange","attemptNumber":0,"objectId":999,"propertyName":"dealstage","propertyValue":"closedwon","changeSource":"CRM_UI","sourceId":"userId:1234567"}}]"#
        );
        let uri = format!("{}/v1/crm/Wayfarer%20Travel/hubspot", r.url);
        let sign = |ts: i64, body: &str| {
            let ts = ts.to_string();
            let sig =
                BASE64.encode(hmac(secret.as_bytes(), &[b"POST", uri.as_bytes(), body.as_bytes(), ts.as_bytes()]));
            vec![("x-hubspot-request-timestamp", ts), ("x-hubspot-signature-v3", sig)]
        };
        let before = held(&r);
        let now_ms = chrono::Utc::now().timestamp_millis();
        assert_eq!(
            post(&r, "hubspot", &sign(now_ms - 400_000, &body), body.as_bytes()).0,
            401,
            "older than five minutes"
        );
        let mut tampered = sign(now_ms, &body);
        tampered[1].1 = sign(now_ms, "[]")[1].1.clone();
        // A signature that does not match says which address it was checked against (a hub
        // behind a proxy needs --public-url).
        let (status, message) = post(&r, "hubspot", &tampered, body.as_bytes());
        assert!(status == 401 && message.contains("checked against http://127.0.0.1"), "{message}");
        assert_eq!(held(&r), before);

        let (status, message) = post(&r, "hubspot", &sign(now_ms, &body), body.as_bytes());
        assert_eq!(status, 200, "{message}");
        assert!(message.contains("record 332507367157: won; Fay Okafor owns the handoff"), "{message}");
        assert!(
            message.contains("record 999: HubSpot's webhook names only the deal's id, and no laptop brought deal 999 in: give the hub the private app's access token (`handoff-hub webhooks token --agency \"Wayfarer Travel\" --crm hubspot --api-token-file FILE`)"),
            "{message}"
        );
        assert_eq!(held(&r), before + 1, "one deal won; the unknown one is left, said in the log");
        let deal = synced_deal(&sams, "332507367157");
        assert!(deal.conflicts.is_empty(), "{:?}", deal.conflicts);
        assert_eq!(deal.summary.status.as_str(), "won", "{:?}", deal.timeline);
        assert_eq!(deal.summary.closed_at.unwrap().timestamp_millis(), occurred);
    });
}

#[test]
fn with_an_api_token_pipedrives_owner_and_customer_are_named_as_pipedrive_names_them() {
    on_each_storage(|r| {
        let sams = agency_on_the_hub(&r);
        // Lena sells too: the deal is hers, as Pipedrive's user 18487522 is Lena.
        let lena = PersonAddRequest {
            name: "Lena Berg".into(),
            dept: "sales".parse().unwrap(),
            email: Some("lena@wayfarer.example".into()),
            confirmed_different: false,
            acting: Acting::default(),
        };
        handoff_api::person_add(&sams.ctx, lena).unwrap();
        handoff_api::sync_now(&sams.ctx).unwrap();
        let password = hex::encode(rand::random::<[u8; 32]>());
        let token = "0123456789abcdef0123456789abcdef01234567";
        let with_token = WebhookSetup {
            api_token: Some(r.secrets.seal(token)),
            ..setup(handoff_crm::webhooks::basic_hash("handoff", &password))
        };
        r.storage.set_webhook(AGENCY, "pipedrive", &with_token).unwrap();
        // Shaped as Pipedrive's "Get one user" (v1) and v2 organization and person answers.
        r.pipedrive.answer(
            "/v1/users/18487522",
            200,
            r#"{"success":true,"data":{"id":18487522,"name":"Lena Berg","default_currency":"EUR","email":"lena@wayfarer.example","active_flag":true,"is_admin":0}}"#,
        );
        r.pipedrive.answer(
            "/api/v2/organizations/2",
            200,
            r#"{"success":true,"data":{"id":2,"name":"Smith & Co","owner_id":18487522,"is_deleted":false}}"#,
        );
        r.pipedrive.answer("/api/v2/persons/4", 200, r#"{"success":true,"data":{"id":4,"name":"Ada Lind"}}"#);
        let delivery = |id: &str, deal: u32, org: &str, person: u32| {
            format!(
                r#"{{"meta":{{"action":"change","entity":"deal","entity_id":"{deal}","id":"{id}","version":"2.0","company_id":"12882925","user_id":"18487522","change_source":"app","attempt":1,"timestamp":"2026-11-24T14:05:00.000Z"}},"data":{{"id":{deal},"title":"Deal {deal}","status":"won","value":4200,"currency":"EUR","owner_id":18487522,"org_id":{org},"person_id":{person},"pipeline_id":1,"stage_id":5,"won_time":"2026-11-24T14:05:00Z","custom_fields":{{}}}},"previous":{{"status":"open"}}}}"#
            )
        };
        let auth = format!("Basic {}", BASE64.encode(format!("handoff:{password}")));
        let (status, message) =
            post(&r, "pipedrive", &[("authorization", auth.clone())], delivery("d-1", 746, "2", 3).as_bytes());
        assert_eq!(status, 200, "{message}");
        let deal = synced_deal(&sams, "746");
        assert_eq!(deal.summary.sales_owner.name, "Lena Berg");
        assert_eq!(deal.summary.customer, "Smith & Co");
        assert!(deal.source.unwrap().note.is_none());
        let asked = r.pipedrive.asked();
        // Asked at once: in either order.
        let mut paths: Vec<&str> = asked.iter().map(|(path, _)| path.as_str()).collect();
        paths.sort();
        assert_eq!(paths, ["/api/v2/organizations/2", "/v1/users/18487522"]);
        assert!(asked.iter().all(|(_, t)| t == token), "sent as x-api-token: {asked:?}");

        // No organization: the person is the customer.
        let (status, message) =
            post(&r, "pipedrive", &[("authorization", auth.clone())], delivery("d-2", 747, "null", 4).as_bytes());
        assert_eq!(status, 200, "{message}");
        assert_eq!(synced_deal(&sams, "747").summary.customer, "Ada Lind");

        // A token Pipedrive refuses: refused and said, nothing written, the delivery left for
        // Pipedrive's retry.
        r.pipedrive.answer(
            "/v1/users/18487522",
            401,
            r#"{"success":false,"error":"unauthorized access","errorCode":401}"#,
        );
        let count = held(&r);
        let (status, message) =
            post(&r, "pipedrive", &[("authorization", auth)], delivery("d-3", 748, "2", 3).as_bytes());
        assert!(status == 422 && message.contains("Pipedrive refused the hub's API token"), "{message}");
        assert_eq!(held(&r), count);
    });
}

/// A HubSpot delivery for `record`, moved to won at `occurred` (ms), and its signed headers.
fn hubspot_delivery(r: &Running, secret: &str, record: &str, occurred: i64) -> (String, Vec<(&'static str, String)>) {
    // Shaped as HubSpot's webhook docs shape a deal property change (docs/crm-formats.md §5.2).
    let body = format!(
        r#"[{{"eventId":2995724050,"subscriptionId":6547123,"portalId":48975575,"appId":39522895,"occurredAt":{occurred},"subscriptionType":"deal.propertyChange","attemptNumber":0,"objectId":{record},"propertyName":"dealstage","propertyValue":"closedwon","changeSource":"CRM_UI","sourceId":"userId:1234567"}}]"#
    );
    let uri = format!("{}/v1/crm/Wayfarer%20Travel/hubspot", r.url);
    let ts = chrono::Utc::now().timestamp_millis().to_string();
    let sig = BASE64.encode(hmac(secret.as_bytes(), &[b"POST", uri.as_bytes(), body.as_bytes(), ts.as_bytes()]));
    (body, vec![("x-hubspot-request-timestamp", ts), ("x-hubspot-signature-v3", sig)])
}

#[test]
fn hubspot_is_asked_about_a_won_deal_no_laptop_brought_in_with_the_agencys_access_token() {
    on_each_storage(|r| {
        let sams = agency_on_the_hub(&r);
        let secret = "yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy";
        let token = "pat-na1-11111111-2222-3333-4444-555555555555";
        let sealed = WebhookSetup { api_token: Some(r.secrets.seal(token)), ..setup(r.secrets.seal(secret)) };
        r.storage.set_webhook(AGENCY, "hubspot", &sealed).unwrap();
        // Shaped as HubSpot's CRM API answers (see handoff_crm::hubspot_api for the pages): the
        // deal names no currency, so the account's is asked.
        r.hubspot.answer(
            "/crm/v3/objects/deals/332507367158",
            200,
            r#"{"id":"332507367158","properties":{"amount":"18400.50","closedate":"2026-11-24T10:00:00Z","deal_currency_code":null,"dealname":"Atlas – Lisbon incentive","dealstage":"closedwon","hs_object_id":"332507367158","hubspot_owner_id":"910901"},"createdAt":"2026-10-02T08:11:21.457Z","updatedAt":"2026-11-24T10:00:03.120Z","archived":false,"associations":{"companies":{"results":[{"id":"184896670","type":"deal_to_company"}]},"contacts":{"results":[{"id":"51","type":"deal_to_contact"}]}}}"#,
        );
        r.hubspot.answer(
            "/crm/v3/owners/910901",
            200,
            r#"{"id":"910901","email":"sam@wayfarer.example","firstName":"Sam","lastName":"Reyes","userId":1234567,"createdAt":"2024-01-01T00:00:00Z","updatedAt":"2024-01-01T00:00:00Z","archived":false}"#,
        );
        r.hubspot.answer(
            "/crm/v3/objects/companies/184896670",
            200,
            r#"{"id":"184896670","properties":{"name":"Atlas Pharma","hs_object_id":"184896670"},"archived":false}"#,
        );
        r.hubspot.answer(
            "/account-info/v3/details",
            200,
            r#"{"portalId":48975575,"accountType":"STANDARD","timeZone":"Europe/London","companyCurrency":"GBP","additionalCurrencies":[],"utcOffset":"+00:00","utcOffsetMilliseconds":0,"uiDomain":"app.hubspot.com","dataHostingLocation":"eu1"}"#,
        );
        let occurred = chrono::Utc::now().timestamp_millis() - 30_000;
        let before = held(&r);
        let (body, headers) = hubspot_delivery(&r, secret, "332507367158", occurred);
        let (status, message) = post(&r, "hubspot", &headers, body.as_bytes());
        assert_eq!(status, 200, "{message}");
        assert!(message.contains("record 332507367158: added and won; Fay Okafor owns the handoff"), "{message}");
        let asked = r.hubspot.asked();
        assert!(asked.iter().all(|(_, bearer)| bearer == token), "{asked:?}");
        assert_eq!(
            asked[0].0,
            "/crm/v3/objects/deals/332507367158?properties=dealname,amount,deal_currency_code,hubspot_owner_id,dealstage,closedate&associations=companies,contacts"
        );
        assert_eq!(held(&r), before + 2, "deal added, deal won");

        let deal = synced_deal(&sams, "332507367158");
        assert_eq!(deal.summary.title, "Atlas – Lisbon incentive");
        assert_eq!(deal.summary.customer, "Atlas Pharma");
        assert_eq!((deal.summary.amount.as_str(), deal.summary.currency.as_str()), ("18400.50", "GBP"));
        assert_eq!(deal.summary.sales_owner.name, "Sam Reyes");
        assert_eq!(deal.summary.fulfilment_owner.as_ref().unwrap().name, "Fay Okafor");
        assert_eq!(deal.summary.closed_at.unwrap().timestamp_millis(), occurred);
        let source = deal.source.as_ref().unwrap();
        assert_eq!(source.crm, "HubSpot");
        assert!(source.note.is_none(), "{:?}", source.note);

        // HubSpot sends it again: known by its signature, HubSpot is not asked again.
        let (status, message) = post(&r, "hubspot", &headers, body.as_bytes());
        assert!(status == 200 && message.contains("already received"), "{message}");
        assert_eq!(r.hubspot.asked().len(), asked.len());
        assert_eq!(held(&r), before + 2);

        // A deal HubSpot does not know (yet) is refused, its key left for HubSpot's retry, which
        // is taken in once the API answers. A deal with no owner goes to the Sales lead, said.
        let (body, headers) = hubspot_delivery(&r, secret, "332507367159", occurred);
        let (status, message) = post(&r, "hubspot", &headers, body.as_bytes());
        assert!(status == 422 && message.contains("HubSpot has no deal 332507367159"), "{message}");
        assert_eq!(held(&r), before + 2, "nothing written");
        r.hubspot.answer(
            "/crm/v3/objects/deals/332507367159",
            200,
            r#"{"id":"332507367159","properties":{"amount":"2500","deal_currency_code":"EUR","dealname":"Okafor family – Crete","hubspot_owner_id":null},"associations":{"contacts":{"results":[{"id":"77","type":"deal_to_contact"}]}}}"#,
        );
        r.hubspot.answer(
            "/crm/v3/objects/contacts/77",
            200,
            r#"{"id":"77","properties":{"firstname":"Ada","lastname":"Okafor","email":"ada@example.com"}}"#,
        );
        let (status, message) = post(&r, "hubspot", &headers, body.as_bytes());
        assert_eq!(status, 200, "{message}");
        let deal = synced_deal(&sams, "332507367159");
        assert_eq!(deal.summary.customer, "Ada Okafor");
        assert_eq!(deal.summary.sales_owner.name, "Sam Reyes");
        assert!(deal.source.unwrap().note.unwrap().contains("HubSpot named no owner"));

        // A deal a laptop brought in after the hub first took a delivery is known to the next
        // one (the hub reads what was pushed since): won as it is held, HubSpot not asked.
        open_deal_from_a_hubspot_export(&sams, "332507367161");
        let asked_before = r.hubspot.asked().len();
        let (body, headers) = hubspot_delivery(&r, secret, "332507367161", occurred);
        let (status, message) = post(&r, "hubspot", &headers, body.as_bytes());
        assert!(
            status == 200 && message.contains("record 332507367161: won; Fay Okafor owns the handoff"),
            "{message}"
        );
        assert_eq!(r.hubspot.asked().len(), asked_before);
        let deal = synced_deal(&sams, "332507367161");
        assert_eq!((deal.summary.title.as_str(), deal.summary.status.as_str()), ("Jones – Rome in spring", "won"));

        // HubSpot's API failing for a moment (a 5xx) on one deal of a delivery of two: nothing of
        // it is kept, 503, and HubSpot's next sending of it takes both in.
        r.hubspot.answer(
            "/crm/v3/objects/deals/332507367162",
            200,
            r#"{"id":"332507367162","properties":{"amount":"900","deal_currency_code":"EUR","dealname":"Two of a batch","hubspot_owner_id":"910901"}}"#,
        );
        r.hubspot.answer("/crm/v3/objects/deals/332507367163", 502, "<html>Bad gateway</html>");
        let two = format!(
            "[{},{}]",
            hubspot_delivery(&r, secret, "332507367162", occurred).0.trim_matches(|c| c == '[' || c == ']'),
            hubspot_delivery(&r, secret, "332507367163", occurred).0.trim_matches(|c| c == '[' || c == ']')
        );
        let uri = format!("{}/v1/crm/Wayfarer%20Travel/hubspot", r.url);
        let ts = chrono::Utc::now().timestamp_millis().to_string();
        let sig = BASE64.encode(hmac(secret.as_bytes(), &[b"POST", uri.as_bytes(), two.as_bytes(), ts.as_bytes()]));
        let headers = vec![("x-hubspot-request-timestamp", ts), ("x-hubspot-signature-v3", sig)];
        let count = held(&r);
        let (status, message) = post(&r, "hubspot", &headers, two.as_bytes());
        assert!(status == 503 && message.contains("HubSpot's API answered 502"), "{message}");
        assert_eq!(held(&r), count, "nothing of the delivery kept");
        r.hubspot.answer(
            "/crm/v3/objects/deals/332507367163",
            200,
            r#"{"id":"332507367163","properties":{"amount":"950","deal_currency_code":"EUR","dealname":"Three of a batch","hubspot_owner_id":"910901"}}"#,
        );
        let (status, message) = post(&r, "hubspot", &headers, two.as_bytes());
        assert_eq!(status, 200, "{message}");
        assert_eq!(held(&r), count + 4, "both deals added and won");

        // A token HubSpot refuses is said in the log, and nothing is written.
        r.hubspot.answer(
            "/crm/v3/objects/deals/332507367160",
            401,
            r#"{"status":"error","category":"INVALID_AUTHENTICATION"}"#,
        );
        let count = held(&r);
        let (body, headers) = hubspot_delivery(&r, secret, "332507367160", occurred);
        let (status, message) = post(&r, "hubspot", &headers, body.as_bytes());
        assert!(status == 422 && message.contains("HubSpot refused the hub's API token"), "{message}");
        assert_eq!(held(&r), count);
        assert!(log(&r)
            .iter()
            .any(|(outcome, status, detail)| outcome == "refused" && *status == 422 && detail.contains("API token")));
    });
}

#[test]
fn webhook_secrets_and_passwords_are_checked_by_the_hub_that_keeps_them() {
    on_each_storage(|r| {
        agency_on_the_hub(&r);
        let password = "correct horse battery staple";
        r.storage
            .set_webhook(AGENCY, "pipedrive", &setup(handoff_crm::webhooks::basic_hash("handoff", password)))
            .unwrap();
        assert!(!(r.kept)().contains(password), "a Pipedrive password is kept only as its hash");
        // A CRM the agency has not set up is refused, and said so in the log.
        let (status, message) = post(&r, "generic", &[], b"{}");
        assert_eq!(status, 404, "{message}");
        assert!(message.contains("no webhook from \"generic\" is set up here for that agency"), "{message}");
        assert_eq!(post(&r, "salesforce", &[], b"{}").0, 404);
        // An HMAC secret the hub must read back is kept sealed with a key kept elsewhere.
        let secret = handoff_crm::webhooks::new_generic_secret(rand::random());
        r.storage.set_webhook(AGENCY, "generic", &setup(r.secrets.seal(&secret))).unwrap();
        let kept = (r.kept)();
        assert!(!kept.contains(&secret) && !kept.contains(secret.trim_start_matches("whsec_")), "sealed");
    });
}

#[test]
fn a_delivery_nothing_of_which_can_be_taken_in_is_refused_and_can_be_sent_again() {
    on_each_storage(|r| {
        agency_on_the_hub(&r);
        let secret = handoff_crm::webhooks::new_generic_secret(rand::random());
        r.storage.set_webhook(AGENCY, "generic", &setup(r.secrets.seal(&secret))).unwrap();
        let before = held(&r);
        // A date an empty field became in an automation tool: refused, and said why.
        let body = serde_json::json!({
            "record_id": "Z-9", "title": "Oslo", "customer": "Berg", "amount": "900.00", "currency": "EUR",
            "owner": "sam@wayfarer.example", "status": "won", "closed_at": "0001-01-01T00:00:00Z",
        })
        .to_string();
        let (status, message) =
            post(&r, "generic", &generic_headers(&secret, "msg_9", now_s(), body.as_bytes()), body.as_bytes());
        assert_eq!(status, 422, "{message}");
        assert!(message.contains("before 1970 or in the future"), "{message}");
        assert_eq!(held(&r), before);
        // Fixed in the tool and sent again under the same id: taken in (its key was not claimed).
        let fixed =
            body.replace("0001-01-01T00:00:00Z", &(chrono::Utc::now() - chrono::Duration::minutes(1)).to_rfc3339());
        let (status, message) =
            post(&r, "generic", &generic_headers(&secret, "msg_9", now_s(), fixed.as_bytes()), fixed.as_bytes());
        assert_eq!(status, 200, "{message}");
        assert_eq!(held(&r), before + 2);
    });
}
