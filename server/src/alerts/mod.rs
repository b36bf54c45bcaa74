//! Cost alerts, derived purely from spend figures: no I/O, no clock. The
//! caller supplies "now", today's spend and which levels already fired.

mod budget;
mod projection;
mod video;

pub use budget::budget_alerts;
use projection::projected_daily_cost;
pub use video::video_alert;

use ytempire_protocol::{Timestamp, Usd};

use crate::money;

/// Today's spend of one user, after the video being ingested.
#[derive(Debug, Clone, Copy)]
pub struct Spend {
    pub spent_today: Usd,
    pub daily_budget: Usd,
    pub now: Timestamp,
}

impl Spend {
    /// Negative once the budget is overspent.
    pub fn remaining_budget(&self) -> f64 {
        money::round(self.daily_budget.get() - self.spent_today.get())
    }

    pub fn projected_daily_cost(&self) -> Usd {
        projected_daily_cost(self.spent_today, self.now)
    }
}
