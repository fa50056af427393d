//! Brings the vendored front-end libraries (htmx, ECharts) in from the npm
//! registry, as pinned by package-lock.json, and copies them to OUT_DIR so
//! src/assets.rs can embed them. Nothing from node_modules is committed.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::{env, fs};

/// (npm package, file inside the package, name in OUT_DIR).
const VENDOR: &[(&str, &str, &str)] =
    &[("htmx.org", "dist/htmx.min.js", "htmx.min.js"), ("echarts", "dist/echarts.min.js", "echarts.min.js")];

fn main() {
    let crate_dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let out_dir = PathBuf::from(env::var("OUT_DIR").expect("OUT_DIR"));
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=package.json");
    println!("cargo:rerun-if-changed=package-lock.json");
    // templates/ and static/ need no line here: askama and include_bytes!
    // already make rustc rebuild the crate when one of them changes.

    let manifest = fs::read_to_string(crate_dir.join("package.json")).expect("read package.json");
    let stale = VENDOR.iter().any(|(package, file, _)| {
        let dir = crate_dir.join("node_modules").join(package);
        // A missing file or a version other than the pinned one (after a
        // package.json bump) both mean node_modules must be reinstalled.
        !dir.join(file).is_file() || installed_version(&dir) != pinned_version(&manifest, package)
    });
    if stale {
        npm_ci(&crate_dir);
    }

    for (package, file, name) in VENDOR {
        let from = crate_dir.join("node_modules").join(package).join(file);
        fs::copy(&from, out_dir.join(name)).unwrap_or_else(|e| panic!("copy {} to OUT_DIR: {e}", from.display()));
        println!("cargo:rerun-if-changed={}", from.display());
    }
}

fn npm_ci(crate_dir: &Path) {
    let status = Command::new("npm").args(["ci", "--no-audit", "--no-fund"]).current_dir(crate_dir).status();
    match status {
        Ok(s) if s.success() => {}
        Ok(s) => panic!("`npm ci` in {} failed ({s})", crate_dir.display()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            panic!("Qizhi's web assets need Node.js and npm: apt-get install nodejs npm")
        }
        Err(e) => panic!("could not run npm: {e}"),
    }
}

/// The exact version package.json pins for `package` (`"htmx.org": "2.0.11"`).
/// A string search is enough for the file we write ourselves, and a build
/// script cannot use serde_json without a build-dependency.
fn pinned_version(manifest: &str, package: &str) -> Option<String> {
    let key = format!("\"{package}\"");
    let rest = &manifest[manifest.find(&key)? + key.len()..];
    quoted_after_colon(rest)
}

/// The `"version"` of an installed package.
fn installed_version(dir: &Path) -> Option<String> {
    let text = fs::read_to_string(dir.join("package.json")).ok()?;
    let rest = &text[text.find("\"version\"")? + "\"version\"".len()..];
    quoted_after_colon(rest)
}

fn quoted_after_colon(rest: &str) -> Option<String> {
    let rest = rest.trim_start().strip_prefix(':')?.trim_start().strip_prefix('"')?;
    Some(rest[..rest.find('"')?].to_string())
}
