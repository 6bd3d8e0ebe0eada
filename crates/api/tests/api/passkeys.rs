//! Passkeys (DESIGN §9) as a member meets them: adding one from the menu, signing in with it
//! alone, a ceremony used once, another portal's or a removed passkey refused, a suspended
//! member refused, the operator's view and reset. The authenticator is a software one below:
//! a P-256 key that answers the browser's part of WebAuthn as a platform authenticator does.

use std::collections::BTreeMap;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use diesel::connection::SimpleConnection;
use ring::rand::SystemRandom;
use ring::signature::{ECDSA_P256_SHA256_ASN1_SIGNING, EcdsaKeyPair, KeyPair};
use serde_cbor_2::Value as Cbor;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::helpers::{TestApp, each_backend};
use crate::request::Answer;

const STRONG: &str = "Sakura2026x";
const USER: &str = "Takahashi01";
/// A public URL with a domain name: browsers take no IP address as a passkey's site.
const PORTAL: &str = "http://localhost:8080";

/// A passkey on a software authenticator: its key, its credential ID, the user handle the
/// site gave it and its signature counter.
struct SoftPasskey {
    key: EcdsaKeyPair,
    credential_id: Vec<u8>,
    user_handle: Vec<u8>,
    counter: u32,
    origin: String,
}

fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

fn unb64(text: &str) -> Vec<u8> {
    URL_SAFE_NO_PAD
        .decode(text.trim_end_matches('='))
        .expect("base64url")
}

fn client_data(kind: &str, challenge: &str, origin: &str) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "type": kind,
        "challenge": challenge,
        "origin": origin,
        "crossOrigin": false,
    }))
    .unwrap()
}

impl SoftPasskey {
    /// `navigator.credentials.create()` with the site's creation options, answered as
    /// `PublicKeyCredential.toJSON()` gives it.
    fn create(options: &Value, origin: &str) -> (Self, Value) {
        let rng = SystemRandom::new();
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, &rng).unwrap();
        let key = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, pkcs8.as_ref(), &rng)
            .unwrap();
        let rp_id = options["rp"]["id"].as_str().expect("rp.id");
        let challenge = options["challenge"].as_str().expect("challenge");
        let user_handle = unb64(options["user"]["id"].as_str().expect("user.id"));
        let credential_id: Vec<u8> = (0..16).map(|_| rand::random::<u8>()).collect();
        let point = key.public_key().as_ref();
        let cose = Cbor::Map(BTreeMap::from([
            (Cbor::Integer(1), Cbor::Integer(2)),
            (Cbor::Integer(3), Cbor::Integer(-7)),
            (Cbor::Integer(-1), Cbor::Integer(1)),
            (Cbor::Integer(-2), Cbor::Bytes(point[1..33].to_vec())),
            (Cbor::Integer(-3), Cbor::Bytes(point[33..65].to_vec())),
        ]));
        let mut auth_data = Sha256::digest(rp_id.as_bytes()).to_vec();
        auth_data.push(0x45); // user present, user verified, attested credential data
        auth_data.extend_from_slice(&0u32.to_be_bytes());
        auth_data.extend_from_slice(&[0; 16]); // AAGUID
        auth_data.extend_from_slice(&u16::try_from(credential_id.len()).unwrap().to_be_bytes());
        auth_data.extend_from_slice(&credential_id);
        auth_data.extend_from_slice(&serde_cbor_2::to_vec(&cose).unwrap());
        let attestation = Cbor::Map(BTreeMap::from([
            (Cbor::Text("fmt".into()), Cbor::Text("none".into())),
            (Cbor::Text("attStmt".into()), Cbor::Map(BTreeMap::new())),
            (Cbor::Text("authData".into()), Cbor::Bytes(auth_data)),
        ]));
        let client_data = client_data("webauthn.create", challenge, origin);
        let credential = json!({
            "id": b64(&credential_id),
            "rawId": b64(&credential_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": b64(&client_data),
                "attestationObject": b64(&serde_cbor_2::to_vec(&attestation).unwrap()),
                "transports": ["internal"],
            },
            "clientExtensionResults": {"credProps": {"rk": true}},
            "authenticatorAttachment": "platform",
        });
        let passkey = Self {
            key,
            credential_id,
            user_handle,
            counter: 0,
            origin: origin.to_owned(),
        };
        (passkey, credential)
    }

    /// `navigator.credentials.get()` with the site's request options.
    fn get(&mut self, options: &Value) -> Value {
        let rp_id = options["rpId"].as_str().expect("rpId");
        let challenge = options["challenge"].as_str().expect("challenge");
        self.counter += 1;
        let mut auth_data = Sha256::digest(rp_id.as_bytes()).to_vec();
        auth_data.push(0x05); // user present, user verified
        auth_data.extend_from_slice(&self.counter.to_be_bytes());
        let client_data = client_data("webauthn.get", challenge, &self.origin);
        let mut signed = auth_data.clone();
        signed.extend_from_slice(&Sha256::digest(&client_data));
        let signature = self.key.sign(&SystemRandom::new(), &signed).unwrap();
        json!({
            "id": b64(&self.credential_id),
            "rawId": b64(&self.credential_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": b64(&client_data),
                "authenticatorData": b64(&auth_data),
                "signature": b64(signature.as_ref()),
                "userHandle": b64(&self.user_handle),
            },
            "clientExtensionResults": {},
            "authenticatorAttachment": "platform",
        })
    }
}

/// The app at a domain name, with a registered member: the member token.
async fn member_at_portal(app: &mut TestApp) -> String {
    app.restart_at(PORTAL).await;
    app.registered("1-1-00", USER, STRONG).await
}

/// `POST /me/passkeys/options` with `current_password`.
async fn registration_options(app: &TestApp, token: &str, current_password: &str) -> Answer {
    app.post(
        "/api/v1/me/passkeys/options",
        json!({ "current_password": current_password }),
    )
    .bearer(token)
    .send()
    .await
}

/// Adds a passkey named `name` from the menu: the passkey and the answer.
async fn add_passkey(app: &TestApp, token: &str, name: &str) -> (SoftPasskey, Answer) {
    let begun = registration_options(app, token, STRONG).await;
    begun.ok(200);
    let options = &begun.body["public_key"];
    assert_eq!(
        options["authenticatorSelection"]["residentKey"], "required",
        "[{}] a discoverable credential, so the sign-in needs no user ID",
        app.backend
    );
    assert_eq!(
        options["authenticatorSelection"]["userVerification"], "required",
        "[{}]",
        app.backend
    );
    let (passkey, credential) = SoftPasskey::create(options, PORTAL);
    let added = app
        .post(
            "/api/v1/me/passkeys",
            json!({
                "challenge_id": begun.body["challenge_id"],
                "name": name,
                "credential": credential,
            }),
        )
        .bearer(token)
        .send()
        .await;
    (passkey, added)
}

/// A passkey sign-in ceremony begun: its ID and options.
async fn sign_in_options(app: &TestApp) -> (String, Value) {
    let begun = app.post_empty("/api/v1/auth/passkey/options").send().await;
    begun.ok(200);
    let id = begun.body["challenge_id"].as_str().unwrap().to_owned();
    (id, begun.body["public_key"].clone())
}

async fn sign_in(app: &TestApp, challenge_id: &str, credential: Value) -> Answer {
    app.post(
        "/api/v1/auth/passkey",
        json!({ "challenge_id": challenge_id, "credential": credential }),
    )
    .send()
    .await
}

each_backend!(a_member_adds_a_passkey_and_signs_in_with_it_alone);
async fn a_member_adds_a_passkey_and_signs_in_with_it_alone(mut app: TestApp) {
    let b = app.backend;
    let member = member_at_portal(&mut app).await;
    let (mut passkey, added) = add_passkey(&app, &member, "  ｉＰｈｏｎｅ ").await;
    added.ok(201);
    assert_eq!(added.body["name"], "iPhone", "[{b}] normalised and trimmed");
    let security = app.get("/api/v1/me/security").bearer(&member).send().await;
    security.ok(200);
    let listed = security.body["passkeys"].as_array().unwrap();
    assert_eq!(listed.len(), 1, "[{b}] {}", security.context());
    assert_eq!(listed[0]["id"], added.body["id"], "[{b}]");
    assert_eq!(listed[0]["last_used_at"], Value::Null, "[{b}]");
    let mails = app.mails_to("ichiro@example.jp");
    assert!(
        mails.iter().any(|m| m.kind == "passkey_added"),
        "[{b}] the member is told a passkey was added"
    );

    // パスキーでログイン: no user ID, no password, no second factor.
    let (challenge, options) = sign_in_options(&app).await;
    assert_eq!(options["userVerification"], "required", "[{b}]");
    assert_eq!(options["rpId"], "localhost", "[{b}]");
    let assertion = passkey.get(&options);
    let signed_in = sign_in(&app, &challenge, assertion.clone()).await;
    signed_in.ok(200).step("menu");
    let token = signed_in.token();
    let me = app.get("/api/v1/me").bearer(&token).send().await;
    me.ok(200);
    assert_eq!(me.body["user_id"], USER, "[{b}] {}", me.context());

    // The same ceremony, or the same answer again, opens nothing.
    sign_in(&app, &challenge, assertion)
        .await
        .problem(401, "invalid_credentials");
    let logins = app.get("/api/v1/me/logins").bearer(&token).send().await;
    assert_eq!(
        logins.body[0]["method"],
        "passkey",
        "[{b}] {}",
        logins.context()
    );
    assert_eq!(logins.body[0]["outcome"], "success", "[{b}]");
    let security = app.get("/api/v1/me/security").bearer(&token).send().await;
    assert_ne!(
        security.body["passkeys"][0]["last_used_at"],
        Value::Null,
        "[{b}]"
    );

    // A second sign-in with a fresh ceremony works (the counter moves on).
    let (challenge, options) = sign_in_options(&app).await;
    sign_in(&app, &challenge, passkey.get(&options))
        .await
        .ok(200)
        .step("menu");
}

each_backend!(an_unknown_or_forged_passkey_or_a_stale_ceremony_opens_nothing);
async fn an_unknown_or_forged_passkey_or_a_stale_ceremony_opens_nothing(mut app: TestApp) {
    let b = app.backend;
    let member = member_at_portal(&mut app).await;
    let (mut passkey, added) = add_passkey(&app, &member, "鍵").await;
    added.ok(201);

    // A passkey this portal never registered.
    let (challenge, options) = sign_in_options(&app).await;
    let creation = json!({
        "rp": {"id": "localhost"},
        "challenge": b64(b"elsewhere"),
        "user": {"id": b64(&passkey.user_handle)},
    });
    let (mut stranger, _) = SoftPasskey::create(&creation, PORTAL);
    sign_in(&app, &challenge, stranger.get(&options))
        .await
        .problem(401, "invalid_credentials");

    // The member's credential ID with another key's signature.
    let (challenge, options) = sign_in_options(&app).await;
    let mut forged = stranger.get(&options);
    forged["id"] = json!(b64(&passkey.credential_id));
    forged["rawId"] = forged["id"].clone();
    sign_in(&app, &challenge, forged)
        .await
        .problem(401, "invalid_credentials");

    // A ceremony five minutes old has expired.
    let (challenge, options) = sign_in_options(&app).await;
    app.advance(chrono::Duration::minutes(5));
    sign_in(&app, &challenge, passkey.get(&options))
        .await
        .problem(401, "invalid_credentials");

    // A body that is no credential at all is the same 401, never a 500.
    let (challenge, _) = sign_in_options(&app).await;
    sign_in(&app, &challenge, json!({"id": 1}))
        .await
        .problem(401, "invalid_credentials");
    app.post("/api/v1/auth/passkey", json!({"credential": {}}))
        .send()
        .await
        .has_field("challenge_id", "required");

    // Removed from the menu: it opens nothing any more.
    let id = added.body["id"].as_str().unwrap();
    app.delete(&format!("/api/v1/me/passkeys/{id}"))
        .bearer(&member)
        .send()
        .await
        .ok(204);
    app.delete(&format!("/api/v1/me/passkeys/{id}"))
        .bearer(&member)
        .send()
        .await
        .problem(404, "passkey_not_found");
    let (challenge, options) = sign_in_options(&app).await;
    sign_in(&app, &challenge, passkey.get(&options))
        .await
        .problem(401, "invalid_credentials");
    assert!(
        app.mails_to("ichiro@example.jp")
            .iter()
            .any(|m| m.kind == "passkey_removed"),
        "[{b}] the member is told"
    );
}

each_backend!(adding_a_passkey_asks_the_password_and_uses_its_ceremony_once);
async fn adding_a_passkey_asks_the_password_and_uses_its_ceremony_once(mut app: TestApp) {
    let b = app.backend;
    let member = member_at_portal(&mut app).await;
    registration_options(&app, &member, "Wrong2026x")
        .await
        .problem(401, "invalid_credentials");

    let begun = registration_options(&app, &member, STRONG).await;
    begun.ok(200);
    let (_, credential) = SoftPasskey::create(&begun.body["public_key"], PORTAL);
    let body = |name: &str| {
        json!({
            "challenge_id": begun.body["challenge_id"],
            "name": name,
            "credential": credential,
        })
    };
    // A name too long is the field's problem, and the ceremony is still there to finish.
    app.post("/api/v1/me/passkeys", body(&"鍵".repeat(41)))
        .bearer(&member)
        .send()
        .await
        .has_field("name", "passkey_name");
    app.post("/api/v1/me/passkeys", body(""))
        .bearer(&member)
        .send()
        .await
        .ok(201);
    app.post("/api/v1/me/passkeys", body("again"))
        .bearer(&member)
        .send()
        .await
        .problem(400, "passkey_rejected");

    // An answer made for another site does not verify.
    let begun = registration_options(&app, &member, STRONG).await;
    let (_, phished) = SoftPasskey::create(&begun.body["public_key"], "http://localhost.evil:8080");
    app.post(
        "/api/v1/me/passkeys",
        json!({"challenge_id": begun.body["challenge_id"], "credential": phished}),
    )
    .bearer(&member)
    .send()
    .await
    .problem(400, "passkey_rejected");
    let security = app.get("/api/v1/me/security").bearer(&member).send().await;
    assert_eq!(
        security.body["passkeys"].as_array().map(Vec::len),
        Some(1),
        "[{b}] {}",
        security.context()
    );
}

each_backend!(a_suspended_member_cannot_sign_in_with_a_passkey);
async fn a_suspended_member_cannot_sign_in_with_a_passkey(mut app: TestApp) {
    let member = member_at_portal(&mut app).await;
    let (mut passkey, added) = add_passkey(&app, &member, "iPhone").await;
    added.ok(201);
    let account = app.account("1-1-00");
    app.conn()
        .batch_execute(&format!(
            "UPDATE accounts SET state = 'suspended' WHERE id = '{}'",
            account.id
        ))
        .unwrap();
    let (challenge, options) = sign_in_options(&app).await;
    sign_in(&app, &challenge, passkey.get(&options))
        .await
        .problem(403, "account_suspended");
}

each_backend!(a_portal_at_an_ip_address_says_passkeys_are_unavailable);
async fn a_portal_at_an_ip_address_says_passkeys_are_unavailable(app: TestApp) {
    let member = app.registered("1-1-00", USER, STRONG).await;
    app.post_empty("/api/v1/auth/passkey/options")
        .send()
        .await
        .problem(404, "passkeys_unavailable");
    registration_options(&app, &member, STRONG)
        .await
        .problem(404, "passkeys_unavailable");
}
