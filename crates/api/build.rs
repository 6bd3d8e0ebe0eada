//! The SPA's built files (`frontend/dist`) are embedded with rust-embed, which needs the folder
//! to exist at compile time. A fresh clone has not built the SPA yet, so the folder is created
//! empty here and `cargo build` never fails; the server then answers the SPA's paths with a
//! problem+json 404 until `make frontend` builds it.

use std::path::Path;

fn main() {
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into());
    let dist = Path::new(&manifest_dir).join("../../frontend/dist");
    if !dist.exists()
        && let Err(err) = std::fs::create_dir_all(&dist)
    {
        println!("cargo::warning=could not create {}: {err}", dist.display());
    }
    // Release builds embed the files: rebuild when the built SPA changes. Debug builds read
    // the folder at run time, so rebuilding the SPA must not recompile this crate.
    if std::env::var("PROFILE").as_deref() == Ok("release") {
        println!("cargo::rerun-if-changed=../../frontend/dist");
    }
    println!("cargo::rerun-if-changed=build.rs");
}
