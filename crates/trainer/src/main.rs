//! The `trainer` binary: runs the command line and maps errors to a one-line message and an exit code.

use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut stdout = std::io::stdout().lock();
    match trainer::run(std::env::args_os(), &mut stdout) {
        Ok(_) => ExitCode::SUCCESS,
        Err(error) => match error.downcast_ref::<clap::Error>() {
            // Help and version are "errors" to clap but successes to the user; usage errors exit with 2.
            Some(clap_error) => {
                let _ = clap_error.print();
                ExitCode::from(if clap_error.use_stderr() { 2 } else { 0 })
            }
            None => {
                let code = match error.downcast_ref::<trainer::sweep::Stopped>() {
                    Some(trainer::sweep::Stopped::Waiting(_)) => trainer::sweep::EXIT_WAITING,
                    Some(trainer::sweep::Stopped::Interrupted(_)) => trainer::sweep::EXIT_INTERRUPTED,
                    _ => 1,
                };
                // One line, even for a multi-line cause; a closed stderr must not turn an error into a panic.
                let line = format!("{error:#}").replace('\n', " ");
                let _ = writeln!(std::io::stderr(), "error: {line}");
                ExitCode::from(code)
            }
        },
    }
}
