//! The binary: parse the command line, run, map the outcome to an exit code.

use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = anyio_migrate::cli::Cli::parse();
    let code = anyio_migrate::run(
        cli,
        // stdin and stderr are not locked for the whole run: `--interactive` reads its answers
        // from stdin, and the progress bar draws on stderr from the worker threads.
        &mut std::io::stdin(),
        &mut std::io::stdout().lock(),
        &mut std::io::stderr(),
    );
    std::process::ExitCode::from(code as u8)
}
