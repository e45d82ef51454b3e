//! The exit codes every command shares (DESIGN.md §3).

/// Outcome of a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// 0: done.
    Done,
    /// 1: could not run (file unreadable, store unreachable, internal error).
    CouldNotRun,
    /// 3: the input was read but is not acceptable.
    NotAcceptable,
}

impl From<Exit> for std::process::ExitCode {
    fn from(e: Exit) -> Self {
        std::process::ExitCode::from(match e {
            Exit::Done => 0,
            Exit::CouldNotRun => 1,
            Exit::NotAcceptable => 3,
        })
    }
}
