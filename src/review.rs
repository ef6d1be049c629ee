//! `--interactive`: each rewrite shown as a coloured hunk with its code, verdict and note, then
//! one line read from the terminal: `y` apply, `n` skip, `a` apply the rest of this file, `d`
//! skip the rest of this file, `q` quit (what was accepted is written). A rewrite's import
//! edits go with it: the import pass runs on what was accepted.
//!
//! Decisions are remembered per file by what the rewrite does (its code, the text it replaces
//! and the text it writes), so a rewrite planned again in a later pass, or in the project pass's
//! second migration of a file, is not asked twice.

use crate::edit::{Fix, diff_line_colour, diff_text, normalize, splice};
use std::collections::HashMap;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The answer to one question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Yes,
    No,
    /// Yes to this and the rest of the file.
    All,
    /// No to this and the rest of the file.
    Done,
    Quit,
}

impl Answer {
    /// One line typed at the prompt; `None` asks again.
    pub fn parse(line: &str) -> Option<Self> {
        match line.trim().to_ascii_lowercase().as_str() {
            "y" | "yes" => Some(Self::Yes),
            "n" | "no" => Some(Self::No),
            "a" => Some(Self::All),
            "d" => Some(Self::Done),
            "q" | "quit" => Some(Self::Quit),
            _ => None,
        }
    }
}

/// What a file's remaining rewrites get without asking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rest {
    Ask,
    Accept,
    Reject,
}

#[derive(Default)]
struct State {
    /// Per file: its standing answer, and the decisions by rewrite.
    files: HashMap<PathBuf, (Option<bool>, HashMap<String, bool>)>,
    quit: bool,
    accepted: usize,
    rejected: usize,
}

/// The reviewer: asks on `terminal` (stderr), reads answers from `input` (stdin).
pub struct Reviewer {
    state: Mutex<State>,
    input: Mutex<Box<dyn BufRead + Send>>,
    terminal: Mutex<Box<dyn Write + Send>>,
    color: bool,
}

impl Reviewer {
    pub fn new(
        input: Box<dyn BufRead + Send>,
        terminal: Box<dyn Write + Send>,
        color: bool,
    ) -> Self {
        Self {
            state: Mutex::new(State::default()),
            input: Mutex::new(input),
            terminal: Mutex::new(terminal),
            color,
        }
    }

    /// (accepted, skipped) rewrites so far.
    pub fn counts(&self) -> (usize, usize) {
        let s = self.state.lock().unwrap();
        (s.accepted, s.rejected)
    }

    /// Apply `fix` to `text` (of `path`)? Asks unless decided before.
    pub fn accept(&self, path: Option<&Path>, text: &str, crlf: bool, fix: &Fix) -> bool {
        let path = path.unwrap_or(Path::new("<stdin>")).to_owned();
        let key = key_of(text, fix);
        let rest = {
            let mut state = self.state.lock().unwrap();
            let quit = state.quit;
            let (standing, decided) = state.files.entry(path.clone()).or_default();
            if let Some(d) = decided.get(&key) {
                return *d;
            }
            match (quit, *standing) {
                (true, _) | (_, Some(false)) => Rest::Reject,
                (_, Some(true)) => Rest::Accept,
                _ => Rest::Ask,
            }
        };
        let yes = match rest {
            Rest::Accept => true,
            Rest::Reject => false,
            Rest::Ask => self.ask(&path, text, crlf, fix),
        };
        let mut state = self.state.lock().unwrap();
        state.files.entry(path).or_default().1.insert(key, yes);
        if yes {
            state.accepted += 1;
        } else {
            state.rejected += 1;
        }
        yes
    }

    fn ask(&self, path: &Path, text: &str, crlf: bool, fix: &Fix) -> bool {
        let after = splice(text, &normalize(fix.edits.clone()), crlf);
        let diff = diff_text(path, text, &after);
        let hunk: String = diff
            .lines()
            .skip_while(|l| !l.starts_with("@@"))
            .map(|l| {
                let colour = diff_line_colour(l);
                if self.color && !colour.is_empty() {
                    format!("\x1b[{colour}m{l}\x1b[0m\n")
                } else {
                    format!("{l}\n")
                }
            })
            .collect();
        let line = text[..fix.at.min(text.len())].matches('\n').count() + 1;
        let note = fix.note.as_deref().unwrap_or("");
        let mut terminal = self.terminal.lock().unwrap();
        loop {
            let _ = write!(
                terminal,
                "\n{}:{line}: [{}] {}{}{note}\n{hunk}Apply this rewrite? [y]es, [n]o, [a]ll in this file, [d]one with this file, [q]uit: ",
                path.display(),
                fix.code(),
                fix.verdict.as_str(),
                if note.is_empty() { "" } else { ": " },
            );
            let _ = terminal.flush();
            let mut answer = String::new();
            let read = self.input.lock().unwrap().read_line(&mut answer);
            // The end of input (or an error reading it) is a quit: nothing more is applied.
            let answer = match read {
                Ok(0) | Err(_) => Answer::Quit,
                Ok(_) => match Answer::parse(&answer) {
                    Some(a) => a,
                    None => continue,
                },
            };
            let mut state = self.state.lock().unwrap();
            return match answer {
                Answer::Yes => true,
                Answer::No => false,
                Answer::All | Answer::Done => {
                    state.files.entry(path.to_owned()).or_default().0 = Some(answer == Answer::All);
                    answer == Answer::All
                }
                Answer::Quit => {
                    state.quit = true;
                    false
                }
            };
        }
    }

    /// Has the user quit?
    pub fn quit(&self) -> bool {
        self.state.lock().unwrap().quit
    }

    /// One whole-file question (a configuration file or a created one): its diff, then y/n.
    pub fn accept_file(&self, path: &Path, diff: &str) -> bool {
        if self.quit() {
            return false;
        }
        let key = format!("file\u{0}{diff}");
        {
            let state = self.state.lock().unwrap();
            if let Some((_, decided)) = state.files.get(path)
                && let Some(d) = decided.get(&key)
            {
                return *d;
            }
        }
        let mut terminal = self.terminal.lock().unwrap();
        let _ = write!(
            terminal,
            "\n{}: the project pass changes this file:\n{diff}Apply this change? [y]es, [n]o, [q]uit: ",
            path.display()
        );
        let _ = terminal.flush();
        drop(terminal);
        let mut answer = String::new();
        let read = self.input.lock().unwrap().read_line(&mut answer);
        let yes = matches!(read, Ok(n) if n > 0)
            && matches!(Answer::parse(&answer), Some(Answer::Yes | Answer::All));
        let mut state = self.state.lock().unwrap();
        if matches!(read, Ok(0) | Err(_)) || Answer::parse(&answer) == Some(Answer::Quit) {
            state.quit = true;
        }
        state
            .files
            .entry(path.to_owned())
            .or_default()
            .1
            .insert(key, yes);
        yes
    }
}

/// What a rewrite does, independent of where a pass put it: its code, and each edit's old and
/// new text.
fn key_of(text: &str, fix: &Fix) -> String {
    let mut key = fix.code();
    for e in &fix.edits {
        key.push('\u{0}');
        key.push_str(text.get(e.range.clone()).unwrap_or(""));
        key.push('\u{1}');
        key.push_str(&e.text);
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_parse() {
        assert_eq!(Answer::parse("y\n"), Some(Answer::Yes));
        assert_eq!(Answer::parse(" N "), Some(Answer::No));
        assert_eq!(Answer::parse("a"), Some(Answer::All));
        assert_eq!(Answer::parse("d"), Some(Answer::Done));
        assert_eq!(Answer::parse("q"), Some(Answer::Quit));
        assert_eq!(Answer::parse("maybe"), None);
    }
}
