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
    if let Some(out) = &state.config().outbound {
        deliver(state, out).await?;
    }
    Ok(Some(made))
}

/// Most reminders sent outward in one run.
const DELIVERY_BATCH: i64 = 100;

/// Sends the reminders not yet delivered on `out`, recording each attempt.
async fn deliver(
    state: &AppState,
    out: &crate::outbound::Outbound,
) -> Result<(), safeduty_store::StoreError> {
    use safeduty_store::reminders::{pending, record_attempt};
    for p in pending(state.store(), out.channel(), DELIVERY_BATCH).await? {
        let text = crate::outbound::reminder_text(&p.kind, &p.message);
        match out.send(&text).await {
            Ok(()) => record_attempt(state.store(), p.id, out.channel(), Ok(())).await?,
            Err(e) => {
                tracing::warn!(error = %e, reminder = p.id, "reminder not delivered");
                let next = chrono::Utc::now() + crate::outbound::retry_delay(p.attempts);
                record_attempt(state.store(), p.id, out.channel(), Err((&e, next))).await?;
            }
        }
    }
    Ok(())
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
