//! The API table (`src/target/api.rs`) against the released packages: each row's probe runs
//! without error on the anyio release of its row and fails on the release before it among
//! `scripts/anyio-releases.txt` (a row at the oldest release listed needs no second run). The
//! releases are installed by `scripts/setup-python.sh` into `target/anyio-releases/<version>`.

mod common;

use anyio_migrate::target::Version;
use anyio_migrate::target::api::TABLE;
use common::root;
use std::collections::BTreeMap;
use std::process::Command;

fn releases() -> Vec<(Version, String)> {
    let text = std::fs::read_to_string(root().join("scripts/anyio-releases.txt")).unwrap();
    let mut out: Vec<(Version, String)> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| (Version::parse(l).unwrap(), l.to_owned()))
        .collect();
    out.sort();
    out
}

/// Every probe on one release: api name → "ok" or the error.
fn probe(release: &str) -> BTreeMap<String, String> {
    let dir = root().join("target/anyio-releases").join(release);
    assert!(
        dir.join(".installed").is_file(),
        "anyio {release} is not in {}: run scripts/setup-python.sh",
        dir.display()
    );
    let rows: Vec<serde_json::Value> = TABLE
        .iter()
        .map(|e| serde_json::json!({"api": format!("{:?}", e.api), "probe": e.probe}))
        .collect();
    let work = tempfile::tempdir().unwrap();
    let probes = work.path().join("probes.json");
    std::fs::write(&probes, serde_json::to_string(&rows).unwrap()).unwrap();
    let out = Command::new(root().join("target/pyenv/bin/python"))
        .arg(root().join("tests/exec/api_probe.py"))
        .arg(&dir)
        .arg(&probes)
        .current_dir(work.path())
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "probe output on {release} is not JSON ({e}): {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let path = doc["release"].as_str().unwrap();
    assert!(
        std::path::Path::new(path).starts_with(&dir),
        "anyio {release} was not the one imported: {path}"
    );
    doc["results"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
        .collect()
}

#[test]
fn every_row_is_new_in_its_release() {
    let releases = releases();
    let results: BTreeMap<Version, BTreeMap<String, String>> =
        releases.iter().map(|(v, name)| (*v, probe(name))).collect();
    let mut problems = Vec::new();
    for entry in TABLE {
        let api = format!("{:?}", entry.api);
        let Some(on_release) = results.get(&entry.since) else {
            problems.push(format!(
                "{api}: its release {} is not in scripts/anyio-releases.txt",
                entry.since
            ));
            continue;
        };
        if on_release[&api] != "ok" {
            problems.push(format!(
                "{api}: fails on {}, its release: {}",
                entry.since, on_release[&api]
            ));
        }
        if let Some((before, _)) = releases.iter().rev().find(|(v, _)| *v < entry.since)
            && results[before][&api] == "ok"
        {
            problems.push(format!(
                "{api}: already works on {before}, before its release {}",
                entry.since
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "API table rows not proven:\n{}",
        problems.join("\n")
    );
}
