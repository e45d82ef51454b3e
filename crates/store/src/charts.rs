//! Read models the chart page (`/charts`, 统计图表) needs beyond the progress and ledger queries:
//! self-inspections submitted per day, always filtered by the caller's scope in the query.

use chrono::NaiveDate;
use safeduty_core::policy::Scope;
use sqlx::Row;

use crate::sql::Sql;
use crate::{Store, StoreError};

/// How many self-inspections of `campaign_id`'s enrolled enterprises inside `scope` were
/// submitted on each day (the civil date recorded at submission, Asia/Shanghai, the demo clock's
/// date under a fixed clock), ascending by day; days without a submission are left out.
///
/// # Errors
/// [`StoreError::Database`]; [`StoreError::Corrupt`] for a stored date that does not parse.
pub async fn submitted_per_day(
    store: &Store,
    scope: &Scope,
    campaign_id: i64,
) -> Result<Vec<(NaiveDate, i64)>, StoreError> {
    let mut sql = Sql::new(
        "SELECT s.submitted_on AS day, COUNT(*) AS n \
         FROM enrolments en JOIN enterprises e ON e.id = en.enterprise_id \
         JOIN regions r ON r.id = e.region_id \
         JOIN self_inspections s ON s.campaign_id = en.campaign_id AND s.enterprise_id = e.id \
         WHERE s.status = 'submitted' AND s.submitted_on IS NOT NULL AND en.campaign_id = ",
    );
    sql.push_bind(campaign_id)
        .push(" AND ")
        .push_scope(scope)
        .push(" GROUP BY s.submitted_on ORDER BY s.submitted_on");
    let rows = sql.query().fetch_all(store.reader()).await?;
    rows.iter()
        .map(|r| {
            let day: String = r.try_get("day")?;
            let n: i64 = r.try_get("n")?;
            let day = day
                .parse::<NaiveDate>()
                .map_err(|_| StoreError::Corrupt(format!("submitted_on {day:?}")))?;
            Ok((day, n))
        })
        .collect()
}
