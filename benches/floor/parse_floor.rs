//! The benchmark's floor: walk the given paths, read every Python file and parse it with
//! tree-sitter-python, nothing else (no queries, no rewriting, no report).
//!
//! ```text
//! parse_floor [--jobs N] [--prefilter] [--json] PATH...
//! ```
//!
//! - `--jobs N`: parse on N threads (default: one per core); the walk itself is one thread, as
//!   in anyio-migrate.
//! - `--prefilter`: parse only the files anyio-migrate would parse: those whose text contains a
//!   trigger of at least one codemod (`anyio_migrate::engine::triggered` over every codemod of
//!   the registry, the very test the tool runs before parsing a file). Every file is still
//!   read and tested.
//! - `--json`: print the counts as one JSON object instead of one line of text.
//!
//! The walk honours `.gitignore`-style rules and skips hidden entries like the tool's, and
//! skips the same directory names the tool skips by default (`venv`, `site-packages`, ...), so
//! both see the same `.py` / `.pyi` files. Files that are not UTF-8 are counted and not parsed
//! (the tool skips them too).
//!
//! Built by `scripts/bench` as `cargo build --release --example parse_floor`.

use anyhow::{Context, Result, bail};
use anyio_migrate::discover::DEFAULT_EXCLUDES;
use anyio_migrate::discover::is_python;
use anyio_migrate::engine::triggered;
use anyio_migrate::registry::{CODEMODS, Codemod};
use ignore::WalkBuilder;
use ignore::overrides::OverrideBuilder;
use rayon::prelude::*;
use std::path::PathBuf;
use std::time::Instant;
use tree_sitter::Parser;

struct Args {
    jobs: usize,
    prefilter: bool,
    json: bool,
    paths: Vec<PathBuf>,
}

fn parse_args() -> Result<Args> {
    let mut args = Args {
        jobs: 0,
        prefilter: false,
        json: false,
        paths: Vec::new(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--jobs" | "-j" => {
                let n = it.next().context("--jobs needs a number")?;
                args.jobs = n.parse().with_context(|| format!("bad --jobs `{n}`"))?;
            }
            "--prefilter" => args.prefilter = true,
            "--json" => args.json = true,
            "-h" | "--help" => {
                println!("usage: parse_floor [--jobs N] [--prefilter] [--json] PATH...");
                std::process::exit(0);
            }
            s if s.starts_with('-') => bail!("unknown option `{s}`"),
            _ => args.paths.push(PathBuf::from(arg)),
        }
    }
    if args.paths.is_empty() {
        bail!("no path given (usage: parse_floor [--jobs N] [--prefilter] [--json] PATH...)");
    }
    Ok(args)
}

fn walk(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for root in paths {
        if root.is_file() {
            files.push(root.clone());
            continue;
        }
        let mut overrides = OverrideBuilder::new(root);
        for name in DEFAULT_EXCLUDES {
            overrides.add(&format!("!{name}"))?;
        }
        let walker = WalkBuilder::new(root)
            .require_git(false)
            .follow_links(true)
            .overrides(overrides.build()?)
            .build();
        for entry in walker {
            let entry = entry?;
            if entry.file_type().is_some_and(|t| t.is_file()) && is_python(entry.path()) {
                files.push(entry.into_path());
            }
        }
    }
    Ok(files)
}

/// What one file contributed.
#[derive(Default, Clone, Copy)]
struct Count {
    files: usize,
    bytes: usize,
    not_utf8: usize,
    parsed: usize,
    parsed_bytes: usize,
    with_errors: usize,
}

impl Count {
    fn add(self, o: Self) -> Self {
        Self {
            files: self.files + o.files,
            bytes: self.bytes + o.bytes,
            not_utf8: self.not_utf8 + o.not_utf8,
            parsed: self.parsed + o.parsed,
            parsed_bytes: self.parsed_bytes + o.parsed_bytes,
            with_errors: self.with_errors + o.with_errors,
        }
    }
}

fn new_parser() -> Parser {
    let mut parser = Parser::new();
    parser
        .set_language(&tree_sitter_python::LANGUAGE.into())
        .expect("the tree-sitter-python grammar loads");
    parser
}

fn one_file(parser: &mut Parser, path: &PathBuf, filter: Option<&[&Codemod]>) -> Count {
    let mut count = Count {
        files: 1,
        ..Count::default()
    };
    let Ok(bytes) = std::fs::read(path) else {
        return count;
    };
    count.bytes = bytes.len();
    let Ok(text) = std::str::from_utf8(&bytes) else {
        count.not_utf8 = 1;
        return count;
    };
    if filter.is_some_and(|codemods| !triggered(text, codemods)) {
        return count;
    }
    if let Some(tree) = parser.parse(text, None) {
        count.parsed = 1;
        count.parsed_bytes = bytes.len();
        count.with_errors = usize::from(tree.root_node().has_error());
    }
    count
}

fn main() -> Result<()> {
    let args = parse_args()?;
    let start = Instant::now();
    let files = walk(&args.paths)?;
    let walked = start.elapsed();
    let codemods: Vec<&Codemod> = CODEMODS.iter().collect();
    let filter = args.prefilter.then_some(codemods.as_slice());
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.jobs)
        .build()?;
    let threads = pool.current_num_threads();
    let total = pool.install(|| {
        files
            .par_iter()
            .map_init(new_parser, |parser, path| one_file(parser, path, filter))
            .reduce(Count::default, Count::add)
    });
    let elapsed = start.elapsed();
    if args.json {
        println!(
            "{{\"threads\": {threads}, \"prefilter\": {}, \"files\": {}, \"bytes\": {}, \
             \"not_utf8\": {}, \"parsed\": {}, \"parsed_bytes\": {}, \"with_errors\": {}, \
             \"walk_seconds\": {:.6}, \"seconds\": {:.6}}}",
            args.prefilter,
            total.files,
            total.bytes,
            total.not_utf8,
            total.parsed,
            total.parsed_bytes,
            total.with_errors,
            walked.as_secs_f64(),
            elapsed.as_secs_f64(),
        );
    } else {
        println!(
            "{} files ({} bytes) read, {} parsed ({} bytes; {} with syntax errors), {} not UTF-8; \
             {threads} threads{}; {:.3}s (walk {:.3}s)",
            total.files,
            total.bytes,
            total.parsed,
            total.parsed_bytes,
            total.with_errors,
            total.not_utf8,
            if args.prefilter { ", prefiltered" } else { "" },
            elapsed.as_secs_f64(),
            walked.as_secs_f64(),
        );
    }
    Ok(())
}
