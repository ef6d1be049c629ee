//! Builtins a rewrite writes by their bare name (`list(...)`, `max(0, d)`, a helper's
//! `enumerate`): where the module binds that name itself (`from .builtins import list`), the
//! written text would call the module's object instead.

/// Python's builtin functions, classes and exceptions that written code may call by name.
const BUILTINS: &[&str] = &[
    "abs",
    "aiter",
    "all",
    "anext",
    "any",
    "ascii",
    "bin",
    "bool",
    "breakpoint",
    "bytearray",
    "bytes",
    "callable",
    "chr",
    "classmethod",
    "compile",
    "complex",
    "delattr",
    "dict",
    "dir",
    "divmod",
    "enumerate",
    "eval",
    "exec",
    "filter",
    "float",
    "format",
    "frozenset",
    "getattr",
    "globals",
    "hasattr",
    "hash",
    "help",
    "hex",
    "id",
    "input",
    "int",
    "isinstance",
    "issubclass",
    "iter",
    "len",
    "list",
    "locals",
    "map",
    "max",
    "memoryview",
    "min",
    "next",
    "object",
    "oct",
    "open",
    "ord",
    "pow",
    "print",
    "property",
    "range",
    "repr",
    "reversed",
    "round",
    "set",
    "setattr",
    "slice",
    "sorted",
    "staticmethod",
    "str",
    "sum",
    "super",
    "tuple",
    "type",
    "vars",
    "zip",
    "BaseException",
    "BaseExceptionGroup",
    "Exception",
    "ExceptionGroup",
    "TimeoutError",
    "ValueError",
    "TypeError",
    "RuntimeError",
    "KeyError",
    "IndexError",
    "AttributeError",
    "StopIteration",
    "StopAsyncIteration",
    "NotImplemented",
];

/// The builtin names `code` (Python text a rewrite inserts) uses bare: identifiers outside
/// strings and comments, not after a dot, not a keyword argument's name.
pub fn used_in(code: &str) -> Vec<&str> {
    let bytes = code.as_bytes();
    let mut out: Vec<&str> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c == b'#' {
            while i < bytes.len() && bytes[i] != b'\n' {
                i += 1;
            }
            continue;
        }
        if c == b'"' || c == b'\'' {
            i = string_end(bytes, i);
            continue;
        }
        if c.is_ascii_alphabetic() || c == b'_' {
            let start = i;
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                i += 1;
            }
            let word = &code[start..i];
            let after_dot = code[..start].trim_end().ends_with('.');
            let keyword_name = code[i..].trim_start().starts_with('=')
                && !code[i..].trim_start().starts_with("==");
            if BUILTINS.contains(&word) && !after_dot && !keyword_name && !out.contains(&word) {
                out.push(word);
            }
            continue;
        }
        i += 1;
    }
    out
}

/// The index just past the string literal starting at `start` (single, double or triple
/// quoted).
fn string_end(bytes: &[u8], start: usize) -> usize {
    let quote = bytes[start];
    let triple = bytes.get(start..start + 3) == Some(&[quote, quote, quote][..]);
    let mut i = start + if triple { 3 } else { 1 };
    while i < bytes.len() {
        if bytes[i] == b'\\' {
            i += 2;
            continue;
        }
        if bytes[i] == quote && (!triple || bytes.get(i..i + 3) == Some(&[quote, quote, quote][..]))
        {
            return i + if triple { 3 } else { 1 };
        }
        i += 1;
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::used_in;

    #[test]
    fn bare_builtins_outside_strings_comments_attributes_and_keywords() {
        assert_eq!(
            used_in("for i, c in enumerate(xs):  # list\n    y = max(0, d); s.list(); f(len=1)"),
            vec!["enumerate", "max"]
        );
        assert_eq!(
            used_in("\"\"\"a list, len\"\"\"\nx = 'range'\nreturn list(x)"),
            vec!["list"]
        );
    }
}
