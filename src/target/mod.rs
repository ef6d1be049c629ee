//! Targets: the oldest anyio and the oldest Python a project allows, and what each anyio
//! release offers (`api`). A rewrite emits only what its file's targets can run; where no
//! faithful form exists for the target, it reports MANUAL naming the release that would allow it.

pub mod api;

use std::fmt;

/// A release number, `major.minor.patch` (a missing part is 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Version(pub u16, pub u16, pub u16);

impl Version {
    /// `4`, `4.5`, `4.5.0`, `4.5.0.post1` (the rest after three numbers ignored); `None` for
    /// anything that does not start with a number.
    pub fn parse(text: &str) -> Option<Self> {
        let mut parts = text.trim().split('.');
        let mut number = |required: bool| -> Option<u16> {
            match parts.next() {
                Some(p) => {
                    let digits: String = p.chars().take_while(char::is_ascii_digit).collect();
                    if digits.is_empty() {
                        if required { None } else { Some(0) }
                    } else {
                        digits.parse().ok()
                    }
                }
                None if required => None,
                None => Some(0),
            }
        };
        Some(Version(number(true)?, number(false)?, number(false)?))
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.2 == 0 {
            write!(f, "{}.{}", self.0, self.1)
        } else {
            write!(f, "{}.{}.{}", self.0, self.1, self.2)
        }
    }
}

/// The newest anyio release the tool knows (and the floor it adds where anyio is not a
/// dependency yet).
pub const NEWEST_ANYIO: Version = Version(4, 16, 0);

/// The oldest anyio the tool writes for, and assumes for a requirement with no lower bound
/// (`anyio`, `anyio<5`): the oldest release its API table was probed on.
pub const OLDEST_ANYIO: Version = Version(3, 7, 1);

/// The oldest Python the tool assumes when a project does not say (`requires-python`): the
/// oldest `CPython` still maintained (3.9 reached its end of life in October 2025), and the
/// oldest that `NEWEST_ANYIO` installs on.
pub const DEFAULT_PYTHON: Version = Version(3, 10, 0);

/// The oldest Python each anyio release installs on (its `Requires-Python` on PyPI): 3.7 up to
/// 3.7.1, 3.8 from 4.0, 3.9 from 4.6, 3.10 from 4.13. Newest first.
const PYTHON_FLOORS: &[(Version, Version)] = &[
    (Version(4, 13, 0), Version(3, 10, 0)),
    (Version(4, 6, 0), Version(3, 9, 0)),
    (Version(4, 0, 0), Version(3, 8, 0)),
    (Version(0, 0, 0), Version(3, 7, 0)),
];

/// The oldest Python `anyio` installs on.
pub fn python_floor_of_anyio(anyio: Version) -> Version {
    PYTHON_FLOORS
        .iter()
        .find(|(release, _)| anyio >= *release)
        .map_or(Version(3, 7, 0), |(_, python)| *python)
}

/// The newest anyio release that installs on `python` (on PyPI): 3.7.1 for 3.7, 4.5.2 for
/// 3.8, 4.12.1 for 3.9, `NEWEST_ANYIO` from 3.10 on. Where a project does not depend on anyio
/// yet, the run's output must work with the release its oldest Python can install.
pub fn newest_anyio_for(python: Version) -> Version {
    let newest_below = [
        (Version(3, 10, 0), NEWEST_ANYIO),
        (Version(3, 9, 0), Version(4, 12, 1)),
        (Version(3, 8, 0), Version(4, 5, 2)),
    ];
    newest_below
        .iter()
        .find(|(floor, _)| python >= *floor)
        .map_or(Version(3, 7, 1), |(_, anyio)| *anyio)
}

/// What the output of one file must run on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Targets {
    /// The oldest anyio release the project allows.
    pub anyio: Version,
    /// The oldest Python release the project allows.
    pub python: Version,
    /// The project's tests turn the `ResourceWarning` of an anyio stream collected unclosed
    /// into an error (`filterwarnings = error`, read by `project::warnings`).
    pub unclosed_streams_fail: bool,
    /// Code of the run keeps using the thread's default asyncio loop outside a coroutine (an
    /// `asyncio.get_event_loop()` that stays, found by `project::default_loop`): a run on that
    /// loop made `anyio.run` would leave the thread without a current loop for it.
    pub default_loop_kept: bool,
}

impl Default for Targets {
    fn default() -> Self {
        Targets {
            anyio: NEWEST_ANYIO,
            python: DEFAULT_PYTHON,
            unclosed_streams_fail: false,
            default_loop_kept: false,
        }
    }
}

impl Targets {
    /// Whether every anyio release the project allows has `api`.
    pub fn has(&self, api: api::Api) -> bool {
        self.anyio >= api.since()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_anyio_a_python_floor_can_install() {
        assert_eq!(newest_anyio_for(Version(3, 12, 0)), NEWEST_ANYIO);
        assert_eq!(newest_anyio_for(Version(3, 10, 0)), NEWEST_ANYIO);
        assert_eq!(newest_anyio_for(Version(3, 9, 0)), Version(4, 12, 1));
        assert_eq!(newest_anyio_for(Version(3, 8, 0)), Version(4, 5, 2));
        assert_eq!(newest_anyio_for(Version(3, 7, 0)), Version(3, 7, 1));
        // Each is installable on that floor, and the next release is not.
        for python in [3, 8, 9, 10].map(|m| Version(3, m.max(7), 0)) {
            assert!(python_floor_of_anyio(newest_anyio_for(python)) <= python);
        }
        assert_eq!(python_floor_of_anyio(Version(4, 13, 0)), Version(3, 10, 0));
        assert_eq!(python_floor_of_anyio(Version(4, 6, 0)), Version(3, 9, 0));
        assert_eq!(python_floor_of_anyio(Version(4, 5, 2)), Version(3, 8, 0));
        assert_eq!(python_floor_of_anyio(NEWEST_ANYIO), DEFAULT_PYTHON);
    }

    #[test]
    fn versions_parse_and_order() {
        assert_eq!(Version::parse("4.5"), Some(Version(4, 5, 0)));
        assert_eq!(Version::parse("3.7.1"), Some(Version(3, 7, 1)));
        assert_eq!(Version::parse("4"), Some(Version(4, 0, 0)));
        assert_eq!(Version::parse("4.16.0.post1"), Some(Version(4, 16, 0)));
        assert_eq!(Version::parse("4.0.0rc1"), Some(Version(4, 0, 0)));
        assert_eq!(Version::parse("x"), None);
        assert!(Version(3, 7, 1) < Version(4, 0, 0));
        assert!(Version(4, 14, 0) < Version(4, 15, 0));
        assert_eq!(Version(4, 5, 0).to_string(), "4.5");
        assert_eq!(Version(3, 7, 1).to_string(), "3.7.1");
    }
}
