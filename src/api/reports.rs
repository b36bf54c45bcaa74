//! The date-ranged reports: cost breakdown, trends, performance history
//! and the CSV export. Each takes `?from=YYYY-MM-DD&to=YYYY-MM-DD`.

use ytempire_protocol::{CostBreakdown, DateRangeQuery, PerformanceHistory, Trends};

use super::{ApiError, Client};
use crate::polling::{PollRequest, Polled};

pub async fn cost_breakdown(
    client: &Client,
    range: DateRangeQuery,
    poll: &PollRequest,
) -> Result<Polled<CostBreakdown>, ApiError> {
    client
        .get_if_changed(&with_range("/api/v1/costs/breakdown", range), poll)
        .await
}

pub async fn trends(
    client: &Client,
    range: DateRangeQuery,
    poll: &PollRequest,
) -> Result<Polled<Trends>, ApiError> {
    client
        .get_if_changed(&with_range("/api/v1/analytics/trends", range), poll)
        .await
}

pub async fn performance(
    client: &Client,
    range: DateRangeQuery,
    poll: &PollRequest,
) -> Result<Polled<PerformanceHistory>, ApiError> {
    client
        .get_if_changed(&with_range("/api/v1/analytics/performance", range), poll)
        .await
}

/// The videos created in the range, as the server's CSV.
pub async fn videos_csv(client: &Client, range: DateRangeQuery) -> Result<String, ApiError> {
    client
        .get_text(&with_range("/api/v1/exports/videos.csv", range))
        .await
}

/// `path?from=…&to=…`, leaving out what is not set so the server's defaults
/// apply. Dates print as `YYYY-MM-DD`, which needs no escaping.
pub fn with_range(path: &str, range: DateRangeQuery) -> String {
    let params: Vec<String> = [("from", range.from), ("to", range.to)]
        .into_iter()
        .filter_map(|(name, date)| date.map(|d| format!("{name}={d}")))
        .collect();
    if params.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{}", params.join("&"))
    }
}

#[cfg(test)]
mod tests {
    use ytempire_protocol::Date;

    use super::*;

    #[test]
    fn ranges_become_query_strings() {
        let from = Some(Date::parse("2026-11-01").unwrap());
        let to = Some(Date::parse("2026-11-25").unwrap());
        assert_eq!(
            with_range("/x", DateRangeQuery { from, to }),
            "/x?from=2026-11-01&to=2026-11-25"
        );
        assert_eq!(
            with_range("/x", DateRangeQuery { from: None, to }),
            "/x?to=2026-11-25"
        );
        assert_eq!(with_range("/x", DateRangeQuery::default()), "/x");
    }
}
