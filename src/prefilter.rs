//! The pre-filter: which codemods look at a text at all, decided without parsing it.
//!
//! Two stages, both necessary conditions of a codemod's outcomes (a text that fails them gives
//! the codemod no rewrite and no finding):
//! 1. the registry's substring groups (`Codemod::triggers`), each substring searched for once
//!    per text (`Needles`);
//! 2. for the codemods whose triggers are common words, a lexical test (`Codemod::refine`) that
//!    looks for the tokens the planner needs: a bare `except` clause, an `await`, an
//!    `async def`. A lexical test over-approximates tree-sitter's tokens: it never skips a
//!    string or a comment (a token it sees there is a false alarm, never a miss), and between
//!    two tokens it skips everything tree-sitter-python may skip there (its `extras`: Unicode
//!    whitespace, U+FEFF, U+2060, U+200B, line continuations; a comment there answers "maybe").
//!
//! Soundness is checked by execution: `scripts/stdlib-check`, `tests/prefilter_soundness.rs` and
//! `tests/prefilter.rs` compare runs with and without the pre-filter
//! (`engine::NO_PREFILTER_ENV`).

/// Which trigger substrings a text contains, each searched for once (most codemods share
/// "asyncio", and a search for a substring that is absent reads the whole text).
pub struct Needles<'t> {
    text: &'t str,
    seen: Vec<(&'static str, bool)>,
}

impl<'t> Needles<'t> {
    pub fn new(text: &'t str) -> Self {
        Self {
            text,
            seen: Vec::new(),
        }
    }

    fn contains(&mut self, needle: &'static str) -> bool {
        if let Some(&(_, found)) = self.seen.iter().find(|(n, _)| *n == needle) {
            return found;
        }
        let found = self.text.contains(needle);
        self.seen.push((needle, found));
        found
    }

    /// Does the codemod look at this text: every group of its triggers has a substring in it,
    /// and its lexical test (if any) passes.
    pub fn admits(
        &mut self,
        triggers: &[&[&'static str]],
        refine: Option<fn(&str) -> bool>,
    ) -> bool {
        triggers
            .iter()
            .all(|group| group.iter().any(|t| self.contains(t)))
            && refine.is_none_or(|refine| refine(self.text))
    }
}

/// A character tree-sitter-python may skip between two tokens (whitespace of its `extras`,
/// newlines included), or the backslash of a line continuation.
fn is_blank(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{feff}' | '\u{2060}' | '\u{200b}' | '\u{180e}' | '\\')
}

/// The first character at or after byte `from` that is not blank, with its position.
fn next_solid(text: &str, from: usize) -> Option<(usize, char)> {
    text[from..]
        .char_indices()
        .find(|(_, c)| !is_blank(*c))
        .map(|(i, c)| (from + i, c))
}

/// Can a keyword end right before byte `at`: the next character does not continue an
/// identifier? Any non-ASCII character may end it (over-approximated: Unicode identifier
/// characters are not told apart), and so may the end of the text.
fn ends_word(text: &str, at: usize) -> bool {
    text.as_bytes()
        .get(at)
        .is_none_or(|b| !(b.is_ascii_alphanumeric() || *b == b'_'))
}

/// Can a keyword start at byte `at`: the character before it does not end an identifier?
/// An identifier takes in every letter, digit and underscore after its first character, so a
/// keyword right after `_` or a letter is part of it, except after a number literal, which may
/// end with a letter (`1j`, `0xfa`, `1L`) or a digit: those count as "may start". Non-ASCII
/// characters count as "may start" too.
fn starts_word(text: &str, at: usize) -> bool {
    at.checked_sub(1)
        .and_then(|i| text.as_bytes().get(i))
        .is_none_or(|b| {
            !(*b == b'_' || b.is_ascii_alphabetic() && !b"abcdefABCDEFjJlL".contains(b))
        })
}

/// Is there, maybe, the keyword `first` followed by the keyword `second` (with only what
/// tree-sitter skips between them; a comment between them counts as a maybe)?
fn keyword_pair(text: &str, first: &str, second: &str) -> bool {
    text.match_indices(first).any(|(i, _)| {
        let after = i + first.len();
        starts_word(text, i)
            && ends_word(text, after)
            && next_solid(text, after).is_some_and(|(j, c)| {
                c == '#' || text[j..].starts_with(second) && ends_word(text, j + second.len())
            })
    })
}

/// Maybe an `async def` (a coroutine function).
pub fn async_def(text: &str) -> bool {
    keyword_pair(text, "async", "def")
}

/// Maybe an `await` expression, an `async with` or an `async for` (statement or
/// comprehension clause): what asyncio-cancelled-error's `awaits` looks for.
pub fn awaits(text: &str) -> bool {
    text.match_indices("await")
        .any(|(i, _)| starts_word(text, i) && ends_word(text, i + "await".len()))
        || keyword_pair(text, "async", "with")
        || keyword_pair(text, "async", "for")
}

/// The positions right after every `except` that may be the keyword of an `except` clause.
/// In a clean parse an `except` clause starts its line: the block before it ends with a
/// NEWLINE or DEDENT token, which tree-sitter-python's scanner only gives at a line break (or
/// at the end of the text), so only blanks lie between the last `\n` and the keyword.
fn except_keywords(text: &str) -> impl Iterator<Item = usize> + '_ {
    text.match_indices("except").filter_map(|(i, _)| {
        let line = text[..i].rfind('\n').map_or(0, |n| n + 1);
        let after = i + "except".len();
        (text[line..i].chars().all(is_blank) && ends_word(text, after)).then_some(after)
    })
}

/// Maybe a bare `except:` clause (also `except*:`, which tree-sitter accepts without a type).
pub fn bare_except(text: &str) -> bool {
    except_keywords(text).any(|after| {
        let mut next = next_solid(text, after);
        if let Some((j, '*')) = next {
            next = next_solid(text, j + 1);
        }
        matches!(next, Some((_, ':' | '#')))
    })
}

/// Maybe an `except` clause naming `BaseException`: some `except` clause, and the identifier
/// `BaseException` somewhere (a clause's types may span lines, and come through `builtins`).
pub fn except_base_exception(text: &str) -> bool {
    text.match_indices("BaseException")
        .any(|(i, _)| ends_word(text, i + "BaseException".len()))
        && except_keywords(text).next().is_some()
}

/// asyncio-cancelled-error's lexical test. Without "asyncio" in the text no name resolves to
/// an asyncio API, and its only possible outcome is a catch-all handler (`plan_catch_all`): a
/// bare `except:` or an `except` naming `BaseException` (spelled: unbound, or
/// `builtins.BaseException` through an import), whose `try` body awaits (`await`,
/// `async with`, `async for`).
pub fn cancelled_error(text: &str) -> bool {
    text.contains("asyncio") || (bare_except(text) || except_base_exception(text)) && awaits(text)
}

/// Maybe an import of the module `module` (a name without dots): the name after `import`, after
/// a comma (`import os, time`) or after `from` (`from time import sleep`), with only blanks
/// between, or after a comment (the token before it is not known then: maybe).
pub fn imports_module(text: &str, module: &str) -> bool {
    text.match_indices(module).any(|(i, _)| {
        if !ends_word(text, i + module.len()) {
            return false;
        }
        let before = text[..i].trim_end_matches(is_blank);
        let line = &before[before.rfind('\n').map_or(0, |n| n + 1)..];
        before.ends_with(',')
            || ["import", "from"]
                .iter()
                .any(|kw| before.strip_suffix(kw).is_some_and(ends_word_backward))
            || line.contains('#')
    })
}

/// Can a keyword start right after `before`: its last character does not continue an
/// identifier (any non-ASCII character may, over-approximated as "yes, it can start").
fn ends_word_backward(before: &str) -> bool {
    before
        .as_bytes()
        .last()
        .is_none_or(|b| !(b.is_ascii_alphanumeric() || *b == b'_'))
}

/// asyncio-timeout's lexical test. Without "asyncio" in the text, every outcome needs a name
/// bound to `async_timeout.timeout[_at]` (a call, a value, a conditional import) or an
/// `async_timeout` import: an import of the module `async_timeout`.
pub fn timeout(text: &str) -> bool {
    text.contains("asyncio") || imports_module(text, "async_timeout")
}

/// blocking-sleep's lexical test: the planner rewrites or reports a call that resolves to
/// `time.sleep` (through `import time [as t]` or `from time import sleep [as s]`: an import
/// of `time`), and only in the body of an `async def`.
pub fn blocking_sleep(text: &str) -> bool {
    async_def(text) && imports_module(text, "time")
}

/// blocking-io: an `async def`, and an import of `subprocess`, `os`, `pathlib`, `requests` or
/// `urllib`, or the word `open`.
pub fn blocking_io(text: &str) -> bool {
    async_def(text)
        && (imports_module(text, "subprocess")
            || imports_module(text, "os")
            || imports_module(text, "pathlib")
            || imports_module(text, "requests")
            || imports_module(text, "urllib")
            || text
                .match_indices("open")
                .any(|(i, _)| starts_word(text, i) && ends_word(text, i + "open".len())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_except_sees_every_spelling_tree_sitter_accepts() {
        for text in [
            "try:\n    x\nexcept:\n    pass\n",
            "try:\n    x\n  except :\n    pass\n",
            "try:\n    x\n\texcept\t:\n    pass\n",
            "try:\n    x\nexcept\\\n:\n    pass\n",
            "try:\n    x\nexcept*:\n    pass\n",
            "try:\n    x\nexcept * :\n    pass\n",
            "try:\n    x\nexcept  # why\n:\n    pass\n",
            "try:\r\n    x\r\nexcept\r\n:\r\n    pass\r\n",
            "try:\n    x\n\u{a0}\u{200b}except\u{3000}:\n    pass\n",
            "except:",
        ] {
            assert!(bare_except(text), "{text:?}");
        }
        for text in [
            "try:\n    x\nexcept E:\n    pass\n",
            "try:\n    x\nexcept (A, B):\n    pass\n",
            "x = 1  # except:\n",
            "y = 'no except: here'\n",
            "try:\n    x\nexcepted:\n",
            "except",
        ] {
            assert!(!bare_except(text), "{text:?}");
        }
    }

    #[test]
    fn base_exception_needs_the_name_and_an_except_clause() {
        assert!(except_base_exception(
            "try:\n    x\nexcept (\n    OSError,\n    BaseException,\n):\n    pass\n"
        ));
        assert!(except_base_exception(
            "import builtins\ntry:\n    x\nexcept builtins.BaseException as e:\n    pass\n"
        ));
        // Only a docstring mentions it, or only a longer name.
        assert!(!except_base_exception(
            "'''Catches BaseException.'''\nx = 1\n"
        ));
        assert!(!except_base_exception(
            "try:\n    x\nexcept BaseExceptionGroup:\n    pass\n"
        ));
    }

    #[test]
    fn awaits_sees_await_and_async_blocks_only() {
        for text in [
            "await x",
            "x = (await y)",
            "await(x)",
            "async with a:",
            "async  for i in it:",
            "[i async\\\n for i in it]",
            "async # c\n with a:",
            "async\u{feff}with a:",
            "await",
        ] {
            assert!(awaits(text), "{text:?}");
        }
        for text in [
            "awaitable = 1",
            "async def f(): pass",
            "asyncio.run(f())",
            "async_with = 1",
            "async withhold",
            "awaits(x)",
            "self.map_async with chunks",
            "is_await = 1",
        ] {
            assert!(!awaits(text), "{text:?}");
        }
    }

    #[test]
    fn async_def_needs_the_two_keywords() {
        assert!(async_def("async def f():\n    pass\n"));
        assert!(async_def("async \\\n    def f():\n    pass\n"));
        assert!(async_def("class A:\n    async\tdef f(self): ..."));
        assert!(!async_def("def f():\n    async_value = 1\n"));
        assert!(!async_def("import asyncio\ndef f(): ...\n"));
        assert!(!async_def("async default"));
    }

    #[test]
    fn imports_module_sees_every_import_of_it() {
        for text in [
            "import time\n",
            "import os, time as t\n",
            "import os,\\\n    time\n",
            "from time import sleep\n",
            "from  time import (\n    sleep as pause,\n)\n",
            "if x:\n    import time.x\n",
            "import os, # why\n    time\n",
            "time = 1\nimport time",
        ] {
            assert!(imports_module(text, "time"), "{text:?}");
        }
        for text in [
            "import datetime\n",
            "import timeit\nfrom datetime import datetime\n",
            "from os import path\ntime.sleep(1)\n",
            "import os.time\n",
            "x = 'import timer'\n",
        ] {
            assert!(!imports_module(text, "time"), "{text:?}");
        }
    }

    #[test]
    fn cancelled_error_admits_asyncio_and_catch_alls_around_awaits() {
        assert!(cancelled_error("import asyncio\n"));
        assert!(cancelled_error(
            "async def f():\n    try:\n        await g()\n    except BaseException:\n        pass\n"
        ));
        assert!(cancelled_error(
            "async def f():\n    try:\n        async with g():\n            pass\n    except:\n        pass\n"
        ));
        // A bare except without any await, an await without a catch-all.
        assert!(!cancelled_error(
            "def f():\n    try:\n        g()\n    except:\n        pass\n"
        ));
        assert!(!cancelled_error(
            "async def f():\n    try:\n        await g()\n    except OSError:\n        pass\n"
        ));
    }
}
