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

/// How long the runtime is given to wind down after a command's work is done.
const SHUTDOWN_GRACE: std::time::Duration = std::time::Duration::from_secs(5);

/// Runs `work` on a new Tokio runtime, then shuts the runtime down within [`SHUTDOWN_GRACE`]:
/// a task left behind (a database pool's upkeep after an error) can never keep the command from
/// exiting. [`Exit::CouldNotRun`], said on stderr, when no runtime can be started.
pub fn block_on<T>(work: impl std::future::Future<Output = T>) -> Result<T, Exit> {
    let rt = tokio::runtime::Runtime::new().map_err(|e| {
        eprintln!("error: cannot start the runtime: {e}");
        Exit::CouldNotRun
    })?;
    let out = rt.block_on(work);
    rt.shutdown_timeout(SHUTDOWN_GRACE);
    Ok(out)
}
