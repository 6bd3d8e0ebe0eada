//! `madoguchi openapi`: the API document, printed without touching a database.

use crate::helpers::{JA, Run, command};

#[test]
fn openapi_prints_the_yaml_document_without_a_database() {
    let dir = tempfile::tempdir().expect("working directory");
    // A closed port: the command must not need the database.
    let cmd = command(dir.path(), "postgres://postgres@127.0.0.1:1/x", JA);
    let run = Run::exec("none", cmd, &["openapi"]).success();
    assert!(run.stdout.starts_with("openapi: 3."), "{run}");
    assert!(
        run.stdout.contains("/api/v1/health:"),
        "the health route is documented"
    );
    assert!(
        !dir.path().join("var").exists(),
        "nothing written to the working directory"
    );
}
