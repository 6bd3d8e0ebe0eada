//! The served routes and the documented routes are one list: every operation of the OpenAPI
//! document reaches a handler, and a documented path called with another method answers 405.
//! The routes are read from `madoguchi_api::openapi()`, never listed here.

use actix_web::http::Method;
use actix_web::test::TestRequest;

use crate::helpers::{TestApp, each_backend};
use crate::request::Call;

/// Every method an OpenAPI path item can document.
const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Every documented operation as (METHOD, path template).
fn documented() -> Vec<(String, String)> {
    let doc = serde_json::to_value(madoguchi_api::openapi()).expect("JSON");
    let paths = doc["paths"].as_object().expect("paths");
    let mut operations = Vec::new();
    for (path, item) in paths {
        for method in METHODS {
            if item.get(method).is_some() {
                operations.push((method.to_uppercase(), path.clone()));
            }
        }
    }
    operations
}

/// A concrete path for a template: each `{parameter}` becomes one segment.
fn instance(template: &str) -> String {
    template
        .split('/')
        .map(|s| if s.starts_with('{') { "0" } else { s })
        .collect::<Vec<_>>()
        .join("/")
}

/// A request as a client without credentials sends it: a JSON body where one may be.
fn call<'a>(app: &'a TestApp, method: &str, path: &str) -> Call<'a> {
    let req = TestRequest::default()
        .method(Method::from_bytes(method.as_bytes()).expect("a method"))
        .uri(path);
    let req = match method {
        "POST" | "PUT" | "PATCH" => req.set_json(serde_json::json!({})),
        _ => req,
    };
    Call::new(app, format!("{method} {path}"), req)
}

each_backend!(every_documented_operation_reaches_a_handler);
async fn every_documented_operation_reaches_a_handler(app: TestApp) {
    let operations = documented();
    assert!(!operations.is_empty(), "the document lists operations");
    for (method, template) in &operations {
        let answer = call(&app, method, &instance(template)).send().await;
        // An unrouted path falls through to the default service's problem+json 404
        // `not_found`; an unrouted method of a documented path gets 405.
        assert!(
            !(answer.status == 404 && answer.code() == "not_found"),
            "documented but not routed: {}",
            answer.context()
        );
        assert_ne!(
            answer.status,
            405,
            "documented method refused: {}",
            answer.context()
        );
    }
}

each_backend!(other_methods_of_a_documented_path_answer_405_with_allow);
async fn other_methods_of_a_documented_path_answer_405_with_allow(app: TestApp) {
    let operations = documented();
    let mut templates: Vec<&String> = operations.iter().map(|(_, t)| t).collect();
    templates.dedup();
    for template in templates {
        let served: Vec<&str> = operations
            .iter()
            .filter(|(_, t)| t == template)
            .map(|(m, _)| m.as_str())
            .collect();
        for method in ["GET", "PUT", "POST", "DELETE", "PATCH"] {
            if served.contains(&method) {
                continue;
            }
            let answer = call(&app, method, &instance(template)).send().await;
            answer.problem(405, "method_not_allowed");
            let allow = answer.header("allow").unwrap_or_default();
            let mut allowed: Vec<&str> = allow.split(", ").collect();
            let mut expected = served.clone();
            allowed.sort_unstable();
            expected.sort_unstable();
            assert_eq!(allowed, expected, "{}", answer.context());
        }
    }
}
