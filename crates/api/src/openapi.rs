//! The OpenAPI document: its description, tags and security schemes, and the schemas every
//! route shares. The paths come from the route list itself (`routes::api_v1`).

use actix_web::App;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::AppExt;

use crate::error::{codes, problem};
use crate::{routes, tokens};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Madoguchi API",
        description = "健康保険組合の会員ポータル Madoguchi の API。ハガキの仮ユーザID・仮パスワードでのログイン、本人確認、ユーザID・パスワード・メールアドレスの登録、会員情報。\n\nThe API of Madoguchi, the member portal of Japanese health insurance societies. Errors are RFC 9457 `application/problem+json` with a stable `code`; `detail` is Japanese unless `Accept-Language: en`. Tokens: `Authorization: Bearer` or the `madoguchi_session` cookie.",
        license(name = "Apache-2.0")
    ),
    tags(
        (name = "status", description = "Health and maintenance windows"),
        (name = "auth", description = "Login, logout and the session"),
        (name = "onboarding", description = "First sign-in: identity check and registration"),
        (name = "member", description = "The signed-in member"),
        (name = "terms", description = "Terms of use"),
        (name = "recovery", description = "Forgotten user ID or password"),
    ),
    modifiers(&Security),
    components(schemas(problem::Problem, problem::FieldProblem, codes::ProblemCode, codes::FieldCodes))
)]
pub(crate) struct ApiDoc;

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
        components.add_security_scheme(
            "cookie",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(tokens::COOKIE))),
        );
    }
}

/// The OpenAPI document, built from the same route list the server serves.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let (_, api) =
        routes::api_v1(App::new().into_utoipa_app().openapi(ApiDoc::openapi())).split_for_parts();
    api
}
