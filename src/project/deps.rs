//! Requirement strings (PEP 508, plus Poetry's version constraints): which package a line
//! names, and whether it asks for the anyio release a migrated suite's plugin needs.

use crate::target::{Version, python_floor_of_anyio};

/// The release of anyio's pytest plugin the migrated suites run on where the project's
/// Python allows it (spec Part II, fact 1).
pub const PLUGIN_ANYIO: Version = Version(4, 16, 0);

/// The oldest release of anyio's pytest plugin with the `anyio_mode` option (and the
/// `free_tcp_port` fixtures): what a suite runs on when the project still supports a Python
/// that cannot install `PLUGIN_ANYIO` (4.11 needs 3.9). The example projects run on it
/// (tests/projects.rs, a project's `.anyio` file).
pub const PLUGIN_ANYIO_MODE: Version = Version(4, 11, 0);

/// The first release whose plugin has the `--anyio-mode` command-line option (it had only the
/// ini option before).
pub const PLUGIN_MODE_OPTION: Version = Version(4, 15, 0);

/// The oldest release of anyio's pytest plugin a suite that needs neither `anyio_mode` nor the
/// free port fixtures runs on (markers, async fixtures of every scope, the session-scoped
/// `anyio_backend` fixture): what a project that still supports Python 3.8 gets (4.5.2 is the
/// newest release 3.8 installs; its suites use pytest-asyncio's port fixtures only as a
/// blocker, `pytest-asyncio/port-fixture-too-new`). The example project `python38_strict`
/// runs on it.
pub const PLUGIN_MARKERS: Version = Version(4, 5, 0);

/// The oldest release line of anyio's pytest plugin the migration uses: anyio 3.7 has markers,
/// async fixtures of every scope and the `anyio_backend` fixture, as 4.5 does, but no
/// `loop_factory` backend option (4.0). What a project that still supports Python 3.7 gets
/// (3.7.1 is the newest release 3.7 installs); the example project `python37_auto` runs
/// migrated on anyio 3.7.1.
pub const PLUGIN_OLDEST: Version = Version(3, 7, 0);

/// What a suite's configuration asks of anyio's plugin.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Uses {
    /// `asyncio_mode = auto`, which becomes `anyio_mode = auto` (4.11).
    pub auto_mode: bool,
    /// `--asyncio-mode=auto` on the command line, which becomes `--anyio-mode=auto` (4.15).
    pub mode_option: bool,
    /// The configuration changes which modules, classes or functions pytest collects
    /// (`python_files`, `python_classes`, `python_functions`): the run cannot tell which async
    /// functions are tests, so auto mode cannot become markers.
    pub custom_collection: bool,
}

impl Uses {
    /// Whether a suite with this configuration, on anyio's plugin `plugin`, has its auto mode
    /// spelt as markers: the configuration sets it, and `plugin` lacks the form it is set in
    /// (`anyio_mode` before 4.11, `--anyio-mode` before 4.15). `anyio_mode = auto` only marks
    /// every coroutine test function `anyio` at collection (the plugin's
    /// `pytest_pycollect_makeitem`), so `@pytest.mark.anyio` on each does the same.
    pub fn auto_as_markers(self, plugin: Version) -> bool {
        (self.auto_mode && plugin < PLUGIN_ANYIO_MODE)
            || (self.mode_option && plugin < PLUGIN_MODE_OPTION)
    }
}

/// What the dependency edits of one configuration file ask for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Deps {
    /// The anyio release whose pytest plugin the migrated suite runs on.
    pub plugin: Version,
    /// Whether the project's runtime dependencies already require it.
    pub runtime_ok: bool,
}

impl Deps {
    /// The edits' request for this crate's plugin release (`PLUGIN_ANYIO`), for the tests.
    #[cfg(test)]
    pub fn needing(runtime_ok: bool) -> Self {
        Self {
            plugin: PLUGIN_ANYIO,
            runtime_ok,
        }
    }
}

/// The release of anyio's plugin a suite runs on when its project's oldest Python is `python`,
/// its configuration `uses` what it does and its anyio requirement `allows` the release: the
/// first of anyio 4.16, 4.11 (the oldest with `anyio_mode` and the free port fixtures), 4.5
/// (markers and fixtures only, Python 3.8) and 3.7 (the same, Python 3.7) that all three admit. When none with the auto mode's
/// form does, the first with markers and fixtures (the auto mode then becomes a marker on each
/// async test, `Uses::auto_as_markers`), unless the configuration changes what pytest
/// collects. `Err` with the release it would need (the first that the Python and the
/// configuration admit, or what the configuration needs when that Python installs none).
pub fn plugin_for(
    python: Version,
    uses: Uses,
    allows: &dyn Fn(Version) -> bool,
) -> Result<Version, Version> {
    let needs = if uses.mode_option {
        PLUGIN_MODE_OPTION
    } else if uses.auto_mode {
        PLUGIN_ANYIO_MODE
    } else {
        PLUGIN_OLDEST
    };
    let installable = |needs: Version| -> Vec<Version> {
        [
            PLUGIN_ANYIO,
            PLUGIN_ANYIO_MODE,
            PLUGIN_MARKERS,
            PLUGIN_OLDEST,
        ]
        .into_iter()
        .filter(|c| *c >= needs && python >= python_floor_of_anyio(*c))
        .collect()
    };
    // A plugin release stands for its line: a requirement of `anyio>=4.5.2` admits 4.5.
    let allows = |c: Version| (0..=20).any(|patch| allows(Version(c.0, c.1, patch)));
    let first = installable(needs);
    if let Some(c) = first.iter().find(|c| allows(**c)) {
        return Ok(*c);
    }
    // Auto mode spelt as markers (`Uses::auto_as_markers`) needs only markers and fixtures.
    if needs > PLUGIN_OLDEST
        && !uses.custom_collection
        && let Some(c) = installable(PLUGIN_OLDEST).into_iter().find(|c| allows(*c))
    {
        return Ok(c);
    }
    Err(first.first().copied().unwrap_or(needs))
}

/// `anyio>=4.16`: the requirement on anyio for a suite whose plugin is `plugin`.
pub fn requirement(plugin: Version) -> String {
    format!("anyio>={plugin}")
}

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
/// anyio whose lower bound is at least `plugin`, with no environment marker.
pub fn is_sufficient_anyio(req: &str, plugin: Version) -> bool {
    name(req).as_deref() == Some("anyio")
        && !req.contains(';')
        && constraint_sufficient(super::targets::constraints_of_requirement(req), plugin)
}

/// A version constraint (`>=4.16,<5`, Poetry's `^4.16`, `~4.16`) whose lower bound is at
/// least `plugin`.
pub fn constraint_sufficient(spec: &str, plugin: Version) -> bool {
    spec.split(',').any(|part| {
        let part = part.trim().trim_matches(|c| c == '(' || c == ')');
        let version = ["===", "==", "~=", ">=", "^", "~"]
            .iter()
            .find_map(|op| part.strip_prefix(op));
        version
            .and_then(|v| Version::parse(v.trim()))
            .is_some_and(|v| v >= plugin)
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
            assert!(is_sufficient_anyio(ok, PLUGIN_ANYIO), "{ok}");
        }
        for no in [
            "anyio",
            "anyio>=4.15",
            "anyio>4.15",
            "anyio>=4.16; python_version>'3.9'",
            "trio>=4.16",
        ] {
            assert!(!is_sufficient_anyio(no, PLUGIN_ANYIO), "{no}");
        }
        assert!(constraint_sufficient("^4.16", PLUGIN_ANYIO));
        assert!(!constraint_sufficient("^3.7", PLUGIN_ANYIO));
        assert!(is_sufficient_anyio("anyio>=4.12.1", PLUGIN_ANYIO_MODE));
        assert!(!is_sufficient_anyio("anyio>=4.5", PLUGIN_ANYIO_MODE));
    }

    #[test]
    fn plugin_release_by_python_floor() {
        let v = |a, b| Version(a, b, 0);
        let strict = Uses::default();
        let auto = Uses {
            auto_mode: true,
            ..Uses::default()
        };
        let option = Uses {
            auto_mode: true,
            mode_option: true,
            ..Uses::default()
        };
        let custom = Uses {
            auto_mode: true,
            custom_collection: true,
            ..Uses::default()
        };
        let any = |_| true;
        for uses in [strict, auto, option] {
            assert_eq!(plugin_for(v(3, 10), uses, &any), Ok(PLUGIN_ANYIO));
        }
        assert_eq!(plugin_for(v(3, 9), strict, &any), Ok(PLUGIN_ANYIO_MODE));
        assert_eq!(plugin_for(v(3, 9), auto, &any), Ok(PLUGIN_ANYIO_MODE));
        // The option needs 4.15 (Python 3.10): on 3.9 the auto mode becomes markers, on 4.11.
        assert_eq!(plugin_for(v(3, 9), option, &any), Ok(PLUGIN_ANYIO_MODE));
        assert!(option.auto_as_markers(PLUGIN_ANYIO_MODE));
        assert!(!auto.auto_as_markers(PLUGIN_ANYIO_MODE));
        assert_eq!(plugin_for(v(3, 8), strict, &any), Ok(PLUGIN_MARKERS));
        assert_eq!(plugin_for(v(3, 8), auto, &any), Ok(PLUGIN_MARKERS));
        assert!(auto.auto_as_markers(PLUGIN_MARKERS));
        assert!(!strict.auto_as_markers(PLUGIN_MARKERS));
        // Which functions are tests is the configuration's: no markers in its place.
        assert_eq!(plugin_for(v(3, 8), custom, &any), Err(PLUGIN_ANYIO_MODE));
        assert_eq!(plugin_for(v(3, 9), custom, &any), Ok(PLUGIN_ANYIO_MODE));
        assert_eq!(plugin_for(v(3, 7), strict, &any), Ok(PLUGIN_OLDEST));
        assert_eq!(plugin_for(v(3, 7), auto, &any), Ok(PLUGIN_OLDEST));
        assert!(auto.auto_as_markers(PLUGIN_OLDEST));
        assert_eq!(plugin_for(v(3, 6), strict, &any), Err(PLUGIN_OLDEST));
        // A requirement below anyio 4 on Python 3.8: the 3.7 line.
        assert_eq!(
            plugin_for(v(3, 8), strict, &|r: Version| r < Version(4, 0, 0)),
            Ok(PLUGIN_OLDEST)
        );
        // An anyio pin below 4.16 (`anyio>=4.5,<4.14`): the newest plugin it allows.
        let below_4_14 = |r: Version| r < Version(4, 14, 0);
        assert_eq!(
            plugin_for(v(3, 10), auto, &below_4_14),
            Ok(PLUGIN_ANYIO_MODE)
        );
        assert_eq!(
            plugin_for(v(3, 10), option, &below_4_14),
            Ok(PLUGIN_ANYIO_MODE)
        );
        // The runtime requirement the migration adds for Python 3.8 admits the 4.5 line.
        let from_4_5_2 = |r: Version| r >= Version(4, 5, 2);
        assert_eq!(plugin_for(v(3, 8), auto, &from_4_5_2), Ok(PLUGIN_MARKERS));
        let below_4_6 = |r: Version| r < Version(4, 6, 0);
        assert_eq!(plugin_for(v(3, 9), strict, &below_4_6), Ok(PLUGIN_MARKERS));
        assert_eq!(plugin_for(v(3, 9), auto, &below_4_6), Ok(PLUGIN_MARKERS));
        assert_eq!(
            plugin_for(v(3, 9), custom, &below_4_6),
            Err(PLUGIN_ANYIO_MODE)
        );
        assert_eq!(requirement(PLUGIN_ANYIO_MODE), "anyio>=4.11");
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
