//! Requirement strings (PEP 508, plus Poetry's version constraints): which package a line
//! names, and whether it asks for anyio >= 4.16.

/// The requirement anyio's plugin needs (spec Part II, fact 1).
pub const ANYIO: &str = "anyio>=4.16";

/// The release of anyio's pytest plugin the migrated suites are proven on (`ANYIO`'s bound).
pub const PLUGIN_ANYIO: crate::target::Version = crate::target::Version(4, 16, 0);

/// The normalised project name a requirement starts with (`Pytest_Asyncio>=0.21` →
/// `pytest-asyncio`), `None` for options, URLs and blank text.
pub fn name(req: &str) -> Option<String> {
    let req = req.trim_start();
    let end = req
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
        .unwrap_or(req.len());
    let raw = &req[..end];
    if raw.is_empty() || !raw.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return None;
    }
    Some(normalize(raw))
}

/// PEP 503 normalisation.
pub fn normalize(name: &str) -> String {
    let mut out = String::new();
    let mut sep = false;
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            sep = true;
            continue;
        }
        if sep && !out.is_empty() {
            out.push('-');
        }
        sep = false;
        out.push(c.to_ascii_lowercase());
    }
    out
}

pub fn is_pytest_asyncio(req: &str) -> bool {
    name(req).as_deref() == Some("pytest-asyncio")
}

/// The byte length of the requirement itself in `text` (name, extras, version), before a
/// marker (`;`), a comment or an option such as `--hash`.
pub fn requirement_len(text: &str) -> usize {
    let mut end = text.len();
    for stop in [";", " #", "\t#", " --", "\t--"] {
        if let Some(i) = text.find(stop) {
            end = end.min(i);
        }
    }
    text[..end].trim_end().len()
}

/// `anyio>=4.16`, `anyio[trio]>=4.16.0,<5`, `anyio~=4.16`, `anyio==4.16.0`: a requirement on
/// anyio whose lower bound is at least 4.16, with no environment marker.
pub fn is_sufficient_anyio(req: &str) -> bool {
    name(req).as_deref() == Some("anyio")
        && !req.contains(';')
        && constraint_sufficient(super::targets::constraints_of_requirement(req))
}

/// A version constraint (`>=4.16,<5`, Poetry's `^4.16`, `~4.16`) whose lower bound is >= 4.16.
pub fn constraint_sufficient(spec: &str) -> bool {
    spec.split(',').any(|part| {
        let part = part.trim().trim_matches(|c| c == '(' || c == ')');
        let version = ["===", "==", "~=", ">=", "^", "~"]
            .iter()
            .find_map(|op| part.strip_prefix(op));
        version
            .and_then(|v| crate::target::Version::parse(v.trim()))
            .is_some_and(|v| v >= PLUGIN_ANYIO)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_normalised() {
        assert_eq!(
            name("Pytest_Asyncio>=0.21").as_deref(),
            Some("pytest-asyncio")
        );
        assert_eq!(name("pytest.asyncio").as_deref(), Some("pytest-asyncio"));
        assert_eq!(name("  anyio[trio] >= 4"), Some("anyio".to_owned()));
        assert_eq!(name("-r base.txt"), None);
        assert!(is_pytest_asyncio(
            "pytest-asyncio==1.5.0 ; python_version >= '3.10'"
        ));
        assert!(!is_pytest_asyncio("pytest-asyncio-cooperative"));
    }

    #[test]
    fn anyio_lower_bounds() {
        for ok in [
            "anyio>=4.16",
            "anyio>=4.16.0,<5",
            "anyio[trio]~=4.16",
            "anyio==4.16.0",
            "anyio>=5",
        ] {
            assert!(is_sufficient_anyio(ok), "{ok}");
        }
        for no in [
            "anyio",
            "anyio>=4.15",
            "anyio>4.15",
            "anyio>=4.16; python_version>'3.9'",
            "trio>=4.16",
        ] {
            assert!(!is_sufficient_anyio(no), "{no}");
        }
        assert!(constraint_sufficient("^4.16"));
        assert!(!constraint_sufficient("^3.7"));
    }

    #[test]
    fn requirement_length_stops_at_markers_and_comments() {
        let line = "pytest-asyncio>=0.21 ; python_version >= '3.8'  # tests";
        assert_eq!(&line[..requirement_len(line)], "pytest-asyncio>=0.21");
        assert_eq!(
            requirement_len("pytest-asyncio  # x"),
            "pytest-asyncio".len()
        );
    }
}
