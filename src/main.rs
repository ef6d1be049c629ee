//! The binary: parse the command line, run, map the outcome to an exit code.

use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = anyio_migrate::cli::Cli::parse();
    let code = anyio_migrate::run(
        cli,
        // Not locked for the whole run: `--interactive` reads its answers from stdin.
        &mut std::io::stdin(),
        &mut std::io::stdout().lock(),
        &mut std::io::stderr().lock(),
    );
    std::process::ExitCode::from(code as u8)
}
