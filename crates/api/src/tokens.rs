//! Session tokens (DESIGN §3): HS256 JWTs whose scope is one step of the flow, carrying the
//! account's session version so that logout, password change and suspension revoke every
//! earlier token. The same token travels as `Authorization: Bearer` or in the
//! `madoguchi_session` cookie (HttpOnly, SameSite=Strict, Path=/api).

use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use chrono::{DateTime, Duration, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, errors::ErrorKind};
use madoguchi_domain::onboarding::Step;
use madoguchi_domain::session;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::ApiError;

pub const COOKIE: &str = "madoguchi_session";
/// A remembered browser's cookie (この端末を記憶する, DESIGN §9): a random token, 30 days.
pub const DEVICE_COOKIE: &str = "madoguchi_device";
/// The `aud` of every token: Madoguchi's own API.
pub const AUDIENCE: &str = "madoguchi";
/// How far a token's `nbf` may lie ahead of this server's clock: another server of the
/// deployment may have issued it with a clock a little ahead.
const NBF_LEEWAY_SECONDS: i64 = 30;
/// A member token is renewed by a request in its last 10 minutes…
pub const RENEW_WITHIN_MINUTES: i64 = 10;
/// …but never beyond 8 hours after the login.
pub const MAX_SESSION_HOURS: i64 = 8;

/// The scope string of each step.
pub fn scope(step: Step) -> &'static str {
    match step {
        Step::VerifyIdentity => "onboarding:identity",
        Step::RegisterCredentials => "onboarding:credentials",
        Step::ChangePassword => "password_change",
        Step::SecondFactor => "second_factor",
        Step::Menu => "member",
    }
}

fn step_of(scope_str: &str) -> Option<Step> {
    [
        Step::VerifyIdentity,
        Step::RegisterCredentials,
        Step::ChangePassword,
        Step::SecondFactor,
        Step::Menu,
    ]
    .into_iter()
    .find(|s| scope(*s) == scope_str)
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    /// Who issued the token: the public URL's origin.
    pub iss: String,
    /// Who it is for: always [`AUDIENCE`].
    pub aud: String,
    /// The account ID.
    pub sub: String,
    pub scope: String,
    /// The account's session version when the token was issued.
    pub sv: i64,
    pub iat: i64,
    /// Not valid before (the time of issue).
    pub nbf: i64,
    pub exp: i64,
    /// When the member signed in (the 8-hour cap counts from here).
    pub auth: i64,
    /// The temporary credential an onboarding or password-change token stands on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cred: Option<String>,
}

impl Claims {
    pub fn step(&self) -> Option<Step> {
        step_of(&self.scope)
    }
}

/// What every route that issues a token answers (DESIGN §3).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"access_token": "eyJhbGciOiJIUzI1NiJ9…", "token_type": "Bearer", "expires_in": 1800,
    "next_step": "verify_identity", "tenant_name": "日本電気健康保険組合"}))]
pub struct TokenResponse {
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: &'static str,
    /// Seconds until the token expires.
    pub expires_in: i64,
    #[schema(value_type = String, example = "verify_identity")]
    pub next_step: Step,
    pub tenant_name: String,
    /// The registered user ID (only on registration).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// With `next_step: second_factor`: the methods the member may show, in the screen's
    /// order (`totp`, `email_code`, `recovery_code`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Vec<String>>, example = json!(["totp", "recovery_code"]))]
    pub second_factor_methods: Option<madoguchi_domain::two_step::Methods>,
}

/// Signs and checks tokens.
#[derive(Clone)]
pub struct Tokens {
    encoding: EncodingKey,
    decoding: DecodingKey,
    /// HS256 only (`alg=none` and others are refused); `exp`, `nbf`, `sub`, `iss` (this
    /// deployment's origin) and `aud` ([`AUDIENCE`]) required, the last two checked here.
    /// `exp` and `nbf` are checked in `verify` against the injected clock instead. Built once,
    /// not per request.
    validation: Validation,
    issuer: String,
    secure_cookie: bool,
}

/// A token just issued.
pub struct Issued {
    pub token: String,
    pub claims: Claims,
}

impl Tokens {
    /// Keys from `secret`; `issuer` is the public URL's origin.
    pub fn new(secret: &[u8], secure_cookie: bool, issuer: &str) -> Self {
        crate::jwt_hmac::install();
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation: {
                let mut validation = Validation::new(Algorithm::HS256);
                validation.algorithms = vec![Algorithm::HS256];
                validation.validate_exp = false;
                validation.validate_nbf = false;
                validation.set_issuer(&[issuer]);
                validation.set_audience(&[AUDIENCE]);
                validation.required_spec_claims = ["exp", "nbf", "sub", "iss", "aud"]
                    .iter()
                    .map(|s| (*s).to_owned())
                    .collect();
                validation
            },
            issuer: issuer.to_owned(),
            secure_cookie,
        }
    }

    /// A token of `step` for the account; `auth` is the login time (kept on renewals).
    pub fn issue(
        &self,
        account_id: &str,
        step: Step,
        session_version: i64,
        credential: Option<&str>,
        auth: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<Issued, ApiError> {
        let cap = auth + Duration::hours(MAX_SESSION_HOURS);
        let exp = (now + session::token_lifetime(step)).min(cap);
        let claims = Claims {
            iss: self.issuer.clone(),
            aud: AUDIENCE.to_owned(),
            sub: account_id.to_owned(),
            scope: scope(step).to_owned(),
            sv: session_version,
            iat: now.timestamp(),
            nbf: now.timestamp(),
            exp: exp.timestamp(),
            auth: auth.timestamp(),
            cred: credential.map(str::to_owned),
        };
        let token = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|e| ApiError::Internal(anyhow::anyhow!("token signing: {e}")))?;
        Ok(Issued { token, claims })
    }

    /// Checks signature, algorithm (HS256 only: `alg=none` and others are refused), issuer,
    /// audience, `nbf` and expiry.
    pub fn verify(&self, token: &str, now: DateTime<Utc>) -> Result<Claims, ApiError> {
        let data = jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
            .map_err(|e| match e.kind() {
                ErrorKind::ExpiredSignature => ApiError::TokenExpired,
                _ => ApiError::Unauthenticated,
            })?;
        // Expiry against the injected clock, with no leeway.
        if data.claims.exp <= now.timestamp() {
            return Err(ApiError::TokenExpired);
        }
        if data.claims.nbf > now.timestamp() + NBF_LEEWAY_SECONDS {
            return Err(ApiError::Unauthenticated);
        }
        if data.claims.step().is_none() {
            return Err(ApiError::Unauthenticated);
        }
        Ok(data.claims)
    }

    /// The session cookie carrying `issued`.
    pub fn cookie(&self, issued: &Issued, now: DateTime<Utc>) -> Cookie<'static> {
        Cookie::build(COOKIE, issued.token.clone())
            .http_only(true)
            .same_site(SameSite::Strict)
            .secure(self.secure_cookie)
            .path("/api")
            .max_age(CookieDuration::seconds(
                (issued.claims.exp - now.timestamp()).max(0),
            ))
            .finish()
    }

    /// A remembered browser's cookie: HttpOnly, SameSite=Strict, Secure in production, sent
    /// only to the API, for `days`.
    pub fn device_cookie(&self, token: &str, days: i64) -> Cookie<'static> {
        Cookie::build(DEVICE_COOKIE, token.to_owned())
            .http_only(true)
            .same_site(SameSite::Strict)
            .secure(self.secure_cookie)
            .path("/api")
            .max_age(CookieDuration::days(days))
            .finish()
    }

    /// An expired cookie (logout).
    pub fn removal_cookie(&self) -> Cookie<'static> {
        let mut c = Cookie::build(COOKIE, "")
            .http_only(true)
            .same_site(SameSite::Strict)
            .secure(self.secure_cookie)
            .path("/api")
            .finish();
        c.make_removal();
        c
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;

    const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef";
    const ISSUER: &str = "https://portal.example.jp";

    fn tokens() -> Tokens {
        Tokens::new(SECRET, false, ISSUER)
    }

    /// A JWT signed by hand, with any header algorithm and any claims.
    fn sign(alg: &str, claims: &serde_json::Value, secret: &[u8]) -> String {
        use hmac::{Hmac, Mac};
        let header = URL_SAFE_NO_PAD.encode(format!(r#"{{"alg":"{alg}","typ":"JWT"}}"#));
        let body = URL_SAFE_NO_PAD.encode(serde_json::to_vec(claims).unwrap());
        let message = format!("{header}.{body}");
        let signature = match alg {
            "HS512" => {
                let mut mac = Hmac::<sha2::Sha512>::new_from_slice(secret).unwrap();
                mac.update(message.as_bytes());
                mac.finalize().into_bytes().to_vec()
            }
            _ => {
                let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret).unwrap();
                mac.update(message.as_bytes());
                mac.finalize().into_bytes().to_vec()
            }
        };
        format!("{message}.{}", URL_SAFE_NO_PAD.encode(signature))
    }

    #[test]
    fn a_token_round_trips_with_its_step() {
        let now = Utc::now();
        let issued = tokens()
            .issue("acc", Step::VerifyIdentity, 3, Some("cred"), now, now)
            .unwrap();
        let claims = tokens().verify(&issued.token, now).unwrap();
        assert_eq!(
            (claims.step(), claims.sv, claims.cred.as_deref()),
            (Some(Step::VerifyIdentity), 3, Some("cred"))
        );
        assert_eq!(claims.exp - claims.iat, 30 * 60);
    }

    #[test]
    fn expired_tampered_foreign_and_unsigned_tokens_are_refused() {
        let now = Utc::now();
        let issued = tokens()
            .issue("acc", Step::Menu, 1, None, now, now)
            .unwrap();
        assert!(matches!(
            tokens().verify(&issued.token, now + Duration::minutes(30)),
            Err(ApiError::TokenExpired)
        ));
        let other = Tokens::new(b"another-secret-another-secret-xx", false, ISSUER);
        assert!(matches!(
            other.verify(&issued.token, now),
            Err(ApiError::Unauthenticated)
        ));
        let mut parts: Vec<String> = issued.token.split('.').map(str::to_owned).collect();
        let forged = URL_SAFE_NO_PAD.encode(
            serde_json::to_vec(&Claims {
                sub: "someone-else".into(),
                ..issued.claims.clone()
            })
            .unwrap(),
        );
        parts[1] = forged;
        assert!(matches!(
            tokens().verify(&parts.join("."), now),
            Err(ApiError::Unauthenticated)
        ));
        let none_header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
        let unsigned = format!("{none_header}.{}.", issued.token.split('.').nth(1).unwrap());
        assert!(matches!(
            tokens().verify(&unsigned, now),
            Err(ApiError::Unauthenticated)
        ));
        let claims = serde_json::to_value(&issued.claims).unwrap();
        let hs512 = sign("HS512", &claims, SECRET);
        assert!(matches!(
            tokens().verify(&hs512, now),
            Err(ApiError::Unauthenticated)
        ));
        assert!(
            tokens()
                .verify(&sign("HS256", &claims, SECRET), now)
                .is_ok(),
            "the hand-made signature is right"
        );
    }

    #[test]
    fn issuer_audience_and_not_before_are_checked() {
        let now = Utc::now();
        let issued = tokens()
            .issue("acc", Step::Menu, 1, None, now, now)
            .unwrap();
        assert_eq!(
            (issued.claims.iss.as_str(), issued.claims.aud.as_str()),
            (ISSUER, AUDIENCE)
        );
        assert_eq!(issued.claims.nbf, now.timestamp());
        // Another deployment sharing the secret by mistake still issues for its own origin.
        let elsewhere = Tokens::new(SECRET, false, "https://other.example.jp");
        assert!(matches!(
            elsewhere.verify(&issued.token, now),
            Err(ApiError::Unauthenticated)
        ));
        let claims = serde_json::to_value(&issued.claims).unwrap();
        let changed = |field: &str, value: serde_json::Value| {
            let mut c = claims.clone();
            match value {
                serde_json::Value::Null => {
                    c.as_object_mut().unwrap().remove(field);
                }
                v => c[field] = v,
            }
            sign("HS256", &c, SECRET)
        };
        for (field, value) in [
            ("aud", serde_json::json!("another-service")),
            ("iss", serde_json::json!("https://other.example.jp")),
            ("nbf", serde_json::json!(now.timestamp() + 3600)),
            ("iss", serde_json::Value::Null),
            ("aud", serde_json::Value::Null),
            ("nbf", serde_json::Value::Null),
        ] {
            assert!(
                matches!(
                    tokens().verify(&changed(field, value.clone()), now),
                    Err(ApiError::Unauthenticated)
                ),
                "{field} = {value}"
            );
        }
        // A server whose clock is a few seconds behind the issuer's still accepts it.
        let ahead = changed("nbf", serde_json::json!(now.timestamp() + 10));
        assert!(tokens().verify(&ahead, now).is_ok());
    }

    #[test]
    fn sessions_never_outlive_eight_hours_after_login() {
        let login = Utc::now();
        let late = login + Duration::hours(7) + Duration::minutes(50);
        let issued = tokens()
            .issue("acc", Step::Menu, 1, None, login, late)
            .unwrap();
        assert_eq!(issued.claims.exp, (login + Duration::hours(8)).timestamp());
    }
}
