//! Writing to stdout without `println!`, which panics when stdout is closed
//! (`authscheme parse ... | head -c 10`) or full (`> /dev/full`).

use std::io::{self, Write};
use std::process::ExitCode;

/// Writes `octets` to stdout and flushes them.
///
/// A reader that went away (a broken pipe) is not an error: like `cat`
/// into `head`, the command has said all anyone wants, and `done` stands.
/// Any other failure is reported on stderr with exit code 2, the code for
/// a usage or I/O error.
pub(crate) fn print(command: &str, octets: impl AsRef<[u8]>, done: ExitCode) -> ExitCode {
    let mut out = io::stdout().lock();
    match out.write_all(octets.as_ref()).and_then(|()| out.flush()) {
        Ok(()) => done,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => done,
        Err(e) => {
            eprintln!("authscheme {command}: cannot write to stdout: {e}");
            ExitCode::from(2)
        }
    }
}
