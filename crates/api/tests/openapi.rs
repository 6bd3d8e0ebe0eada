//! `openapi.yaml` at the repository root is the document the server serves at
//! `/api/openapi.json` and `madoguchi openapi` prints. Rewrite it with `UPDATE_OPENAPI=1`.

use std::path::PathBuf;

fn committed_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../openapi.yaml")
}

#[test]
fn openapi_yaml_is_current() {
    let generated = madoguchi_api::openapi().to_yaml().expect("YAML");
    let path = committed_path();
    if std::env::var("UPDATE_OPENAPI").is_ok_and(|v| v == "1") {
        std::fs::write(&path, &generated).expect("write openapi.yaml");
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "openapi.yaml is stale: run `UPDATE_OPENAPI=1 cargo test -p madoguchi-api --test openapi` and commit it"
    );
}

#[test]
fn every_route_documents_its_errors_as_problems() {
    let doc = serde_json::to_value(madoguchi_api::openapi()).expect("JSON");
    let paths = doc["paths"].as_object().expect("paths");
    let expected = [
        "/api/v1/health",
        "/api/v1/maintenance",
        "/api/v1/auth/login",
        "/api/v1/auth/logout",
        "/api/v1/session",
        "/api/v1/terms",
        "/api/v1/onboarding/terms",
        "/api/v1/onboarding/identity",
        "/api/v1/onboarding/credentials/check",
        "/api/v1/onboarding/credentials",
        "/api/v1/me",
    ];
    for path in expected {
        assert!(paths.contains_key(path), "{path} is not documented");
    }
    for (path, item) in paths {
        for (method, op) in item.as_object().expect("operations") {
            for (status, response) in op["responses"].as_object().expect("responses") {
                if status.starts_with('4') || (status.starts_with('5') && path != "/api/v1/health")
                {
                    assert!(
                        response["content"]["application/problem+json"].is_object(),
                        "{method} {path} {status} is not documented as application/problem+json"
                    );
                }
            }
        }
    }
}
