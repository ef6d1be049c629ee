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

/// The oldest Python the tool assumes when a project does not say (`requires-python`).
pub const DEFAULT_PYTHON: Version = Version(3, 9, 0);

/// What the output of one file must run on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Targets {
    /// The oldest anyio release the project allows.
    pub anyio: Version,
    /// The oldest Python release the project allows.
    pub python: Version,
}

impl Default for Targets {
    fn default() -> Self {
        Targets {
            anyio: NEWEST_ANYIO,
            python: DEFAULT_PYTHON,
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
