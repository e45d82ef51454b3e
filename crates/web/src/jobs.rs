//! Background work of a node: the reminder job. Several nodes may run it; a lease lets one do the
//! work at a time, and reminders are unique, so a second run makes nothing twice.

use std::time::Duration;

use crate::AppState;

/// How often the reminder job looks for due reminders.
pub const REMINDER_INTERVAL: Duration = Duration::from_secs(600);

/// Runs the reminder job now, if this node gets the lease. Returns the number of reminders made,
/// or `None` when another node holds the lease.
///
/// # Errors
/// Store errors.
pub async fn run_reminders(
    state: &AppState,
    holder: &str,
) -> Result<Option<usize>, safeduty_store::StoreError> {
    let lease =
        chrono::Duration::from_std(REMINDER_INTERVAL).unwrap_or(chrono::Duration::minutes(10));
    if !safeduty_store::reminders::try_lease(state.store(), "reminders", holder, lease).await? {
        return Ok(None);
    }
    let calendar = state.calendar().await?;
    let made = safeduty_store::reminders::generate(
        state.store(),
        state.clock().today(),
        &calendar,
        state.config().reminder_days_before,
    )
    .await?;
    Ok(Some(made))
}

/// Spawns the reminder job on this node: once at start, then every [`REMINDER_INTERVAL`].
pub fn spawn_reminders(state: AppState) -> tokio::task::JoinHandle<()> {
    let holder = format!("node-{}", safeduty_store::new_public_id());
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(REMINDER_INTERVAL);
        loop {
            tick.tick().await;
            match run_reminders(&state, &holder).await {
                Ok(Some(n)) => tracing::info!(made = n, "reminder job ran"),
                Ok(None) => tracing::debug!("reminder job: another node holds the lease"),
                Err(e) => tracing::error!(error = %e, "reminder job failed"),
            }
        }
    })
}
