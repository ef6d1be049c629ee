//! Property test over generated programs: asyncio idioms and blocking calls nested at random in
//! `if` / `for` / `async with` / `with open(...)` / `try` blocks, with comments and blank lines, random indentation (2 or 4
//! spaces, tabs) and line endings. For every program: no codemod is refused (that would be a
//! bug that produced broken code), the output is a fixpoint, and `CPython` compiles it.

mod common;

use anyio_migrate::Status;
use common::{migrate_all, root};
use std::fmt::Write as _;

/// A small deterministic generator (64-bit LCG): reproducible without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// One-line statements; `{i}` is a unique number.
const LINES: &[&str] = &[
    "await asyncio.sleep(0)",
    "x{i} = await asyncio.sleep(0, {i})",
    "await asyncio.sleep(delay - {i})  # computed",
    "await asyncio.gather(work({i}), work(k={i}))",
    "r{i} = await asyncio.gather(work(1), work(2))",
    "a{i}, b{i} = await asyncio.gather(work(1), work(2))",
    "await asyncio.gather(*[work(n) for n in range({i})])",
    "await asyncio.wait_for(work({i}), 1)",
    "y{i} = await asyncio.wait_for(work(1), {i})",
    "print(await asyncio.wait_for(work({i}), 2))",
    "await asyncio.shield(work({i}))",
    "s{i} = await asyncio.shield(work({i}))",
    "await asyncio.to_thread(blocking, {i})",
    "time.sleep(0)",
    "subprocess.run([\"true\"], check=True)",
    "out{i} = subprocess.check_output([\"echo\", \"{i}\"]).strip()",
    "Path(\"p{i}\").write_text(\"x\")",
    "print(requests.get(\"u{i}\").json())",
    "lock{i} = asyncio.Lock()",
    "ev{i} = asyncio.Event()",
    "sem{i} = asyncio.Semaphore()",
    "asyncio.create_task(work({i}))",
    "loop{i} = asyncio.get_running_loop()",
    "now{i} = asyncio.get_running_loop().time()",
    "ok{i} = asyncio.iscoroutinefunction(work)",
    "done{i}, pending{i} = await asyncio.wait([asyncio.ensure_future(work(1))])",
    "# a comment {i}",
    "",
];

/// Block openers; the body is generated. `{i}` is a unique number.
const BLOCKS: &[&str] = &[
    "if flag{i}:",
    "for n{i} in range(2):",
    "while False:",
    "async with asyncio.timeout(1):",
    "async with asyncio.TaskGroup() as tg{i}:",
    "async with lock:",
    "with open(\"f{i}\") as fh{i}:",
    "try:",
];

fn statement(
    rng: &mut Rng,
    depth: usize,
    indent: &str,
    unit: &str,
    out: &mut String,
    n: &mut usize,
) {
    *n += 1;
    let i = *n;
    let pick_block = depth < 3 && rng.below(3) == 0;
    if !pick_block {
        let line = LINES[rng.below(LINES.len())].replace("{i}", &i.to_string());
        if line.is_empty() {
            out.push('\n');
        } else {
            let _ = writeln!(out, "{indent}{line}");
        }
        return;
    }
    // A task created and awaited later in the same block.
    if rng.below(5) == 0 {
        let _ = writeln!(out, "{indent}t{i} = asyncio.create_task(work({i}))");
        body(rng, depth + 1, indent, unit, out, n, 2);
        let _ = writeln!(out, "{indent}print(await t{i})");
        return;
    }
    let header = BLOCKS[rng.below(BLOCKS.len())].replace("{i}", &i.to_string());
    let _ = writeln!(out, "{indent}{header}");
    let inner = format!("{indent}{unit}");
    if header.starts_with("with open") {
        let _ = writeln!(out, "{inner}data{i} = fh{i}.read().upper()");
    }
    body(rng, depth + 1, &inner, unit, out, n, 3);
    if header.starts_with("async with asyncio.TaskGroup") {
        let _ = writeln!(out, "{inner}h{i} = tg{i}.create_task(work({i}))");
    }
    if header == "try:" {
        match rng.below(4) {
            0 => {
                let _ = writeln!(
                    out,
                    "{indent}except asyncio.CancelledError:\n{inner}await work(0)\n{inner}raise"
                );
            }
            1 => {
                let _ = writeln!(out, "{indent}except asyncio.TimeoutError:\n{inner}pass");
            }
            2 => {
                let _ = writeln!(
                    out,
                    "{indent}except (ValueError, asyncio.TimeoutError) as e{i}:\n{inner}print(e{i})"
                );
            }
            _ => {
                let _ = writeln!(out, "{indent}finally:\n{inner}await asyncio.sleep(0)");
            }
        }
    }
}

fn body(
    rng: &mut Rng,
    depth: usize,
    indent: &str,
    unit: &str,
    out: &mut String,
    n: &mut usize,
    max: usize,
) {
    let count = 1 + rng.below(max);
    for _ in 0..count {
        statement(rng, depth, indent, unit, out, n);
    }
    // Every block needs a statement that is not blank or a comment.
    let _ = writeln!(out, "{indent}pass");
}

fn program(seed: u64) -> String {
    let mut rng = Rng(seed);
    let unit = ["    ", "  ", "\t"][rng.below(3)];
    let mut out = String::from(
        "import asyncio\nimport subprocess\nimport time\nfrom pathlib import Path\n\nimport requests\n\n\nasync def work(n=0, k=0):\n    return n\n\n\ndef blocking(n):\n    return n\n\n\n",
    );
    let mut n = 0;
    for f in 0..2 {
        let _ = writeln!(out, "async def f{f}(flag1, lock, delay):");
        body(&mut rng, 0, unit, unit, &mut out, &mut n, 6);
        out.push_str("\n\n");
    }
    let unit_fix = out.replace("\n    return n\n", &format!("\n{unit}return n\n"));
    if rng.below(4) == 0 {
        unit_fix.replace('\n', "\r\n")
    } else {
        unit_fix
    }
}

#[test]
fn generated_programs_are_never_refused_and_settle() {
    let python = root().join("target/pyenv/bin/python");
    let work = root().join("target/fuzz-cases");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).unwrap();
    let mut changed = 0;
    for seed in 0..300u64 {
        let src = program(seed);
        let (status, _) = migrate_all(src.as_bytes());
        let after = match status {
            Status::Changed { after, .. } => after,
            Status::Unchanged => continue,
            other => panic!("seed {seed}: {other:?}\n{src}"),
        };
        let (again, _) = migrate_all(after.as_bytes());
        assert!(
            matches!(again, Status::Unchanged),
            "seed {seed}: second run changed the file: {again:?}\n{after}"
        );
        std::fs::write(work.join(format!("case_{seed}.py")), &after).unwrap();
        std::fs::write(work.join(format!("case_{seed}.orig")), &src).unwrap();
        changed += 1;
    }
    assert!(
        changed > 250,
        "only {changed} generated programs were changed: the generator is broken"
    );
    assert!(
        python.is_file(),
        "no pinned venv at target/pyenv: run scripts/setup-python.sh first"
    );
    let check = "import pathlib, sys\nbad = 0\nfor p in sorted(pathlib.Path(sys.argv[1]).glob('case_*.py')):\n    try:\n        compile(p.read_text(), str(p), 'exec')\n    except SyntaxError as e:\n        bad += 1\n        print(p.name, e)\nsys.exit(1 if bad else 0)\n";
    let out = std::process::Command::new(&python)
        .arg("-c")
        .arg(check)
        .arg(&work)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "migrated programs CPython rejects (originals beside them as .orig):\n{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

/// What one generated program did in the long run.
#[derive(Default)]
struct Tally {
    programs: u64,
    changed: u64,
    panics: Vec<u64>,
    refused: Vec<u64>,
    not_fixpoint: Vec<u64>,
}

impl Tally {
    fn merge(mut self, other: Self) -> Self {
        self.programs += other.programs;
        self.changed += other.changed;
        for (mine, theirs) in [
            (&mut self.panics, other.panics),
            (&mut self.refused, other.refused),
            (&mut self.not_fixpoint, other.not_fixpoint),
        ] {
            mine.extend(theirs);
        }
        self
    }
}

/// One program of the long run: migrated for a target anyio drawn from the floors and the
/// newest release; no panic, no refusal (a syntax error in the output, a broken compile-time
/// rule, no fixpoint within the passes), and a second run changes nothing.
fn long_run_case(seed: u64) -> Tally {
    use anyio_migrate::target::{Targets, Version};
    let floors = [
        Version(3, 7, 1),
        Version(4, 0, 0),
        Version(4, 5, 0),
        Version(4, 14, 0),
        Version(4, 16, 0),
    ];
    let src = program(seed);
    let targets = Targets {
        anyio: floors[(seed % floors.len() as u64) as usize],
        ..Targets::default()
    };
    let mut tally = Tally {
        programs: 1,
        ..Tally::default()
    };
    let run = std::panic::catch_unwind(|| {
        let (status, _) = common::migrate_for(src.as_bytes(), targets);
        match status {
            Status::Changed { after, .. } => {
                let (again, _) = common::migrate_for(after.as_bytes(), targets);
                (true, true, matches!(again, Status::Unchanged))
            }
            Status::Unchanged => (false, true, true),
            _ => (false, false, true),
        }
    });
    match run {
        Err(_) => tally.panics.push(seed),
        Ok((changed, ok, settled)) => {
            tally.changed += u64::from(changed);
            if !ok {
                tally.refused.push(seed);
            }
            if !settled {
                tally.not_fixpoint.push(seed);
            }
        }
    }
    tally
}

/// The long run, outside CI: `FUZZ_PROGRAMS` programs (default 1,000,000) from seed
/// `FUZZ_SEED` (default 1,000,000, past the seeds CI runs), on all cores:
/// `FUZZ_PROGRAMS=1000000 cargo test --release --test fuzz -- --ignored --nocapture long_run`.
/// Prints the figures `docs/difftest.md` quotes.
#[test]
#[ignore = "minutes of work: run by hand (see docs/difftest.md)"]
fn long_run() {
    use rayon::prelude::*;
    let env = |name: &str, default: u64| {
        std::env::var(name)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let count = env("FUZZ_PROGRAMS", 1_000_000);
    let first = env("FUZZ_SEED", 1_000_000);
    let start = std::time::Instant::now();
    // Panics are counted, not printed once per program.
    std::panic::set_hook(Box::new(|_| {}));
    let tally = (first..first + count)
        .into_par_iter()
        .map(long_run_case)
        .reduce(Tally::default, Tally::merge);
    let _ = std::panic::take_hook();
    let seconds = start.elapsed().as_secs_f64();
    let first_of = |v: &[u64]| {
        v.iter()
            .take(10)
            .map(u64::to_string)
            .collect::<Vec<_>>()
            .join(" ")
    };
    println!(
        "long run: {} programs from seed {first} in {seconds:.0} s ({} changed): {} panics [{}], {} refused [{}], {} not a fixpoint [{}]",
        tally.programs,
        tally.changed,
        tally.panics.len(),
        first_of(&tally.panics),
        tally.refused.len(),
        first_of(&tally.refused),
        tally.not_fixpoint.len(),
        first_of(&tally.not_fixpoint),
    );
    assert!(
        tally.panics.is_empty() && tally.refused.is_empty() && tally.not_fixpoint.is_empty(),
        "reproduce one with FUZZ_SEED=<seed> FUZZ_PROGRAMS=1"
    );
}

/// Print the program of `FUZZ_SEED`, for reproducing a long-run failure by hand.
#[test]
#[ignore = "a tool for reproducing, not a test"]
fn print_program() {
    let seed = std::env::var("FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    print!("{}", program(seed));
}
