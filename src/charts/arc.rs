//! The budget gauge's geometry: a half circle filled in proportion to the
//! share of the daily budget spent.

use super::path::short;

/// Centre and radius of the gauge in its `0 0 100 56` view box.
const CX: f64 = 50.0;
const CY: f64 = 50.0;
const R: f64 = 40.0;

/// The arc from the left end of the gauge to `ratio` of the way round
/// (clamped to 0..=1), as SVG path data.
pub fn gauge_arc(ratio: f64) -> String {
    let ratio = if ratio.is_finite() {
        ratio.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let angle = std::f64::consts::PI * (1.0 - ratio);
    let (x, y) = (CX + R * angle.cos(), CY - R * angle.sin());
    format!(
        "M{},{}A{R},{R} 0 0 1 {},{}",
        short(CX - R),
        short(CY),
        short(x),
        short(y)
    )
}

/// How worried the gauge should look.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BudgetLevel {
    Ok,
    Warning,
    Critical,
    Over,
}

impl BudgetLevel {
    /// From the share of the budget spent, at the thresholds the cost alerts
    /// use: 80 % warning, 95 % critical, 100 % limit.
    pub fn of(ratio: f64) -> Self {
        match ratio {
            r if r >= 1.0 => BudgetLevel::Over,
            r if r >= 0.95 => BudgetLevel::Critical,
            r if r >= 0.8 => BudgetLevel::Warning,
            _ => BudgetLevel::Ok,
        }
    }

    pub const fn as_str(self) -> &'static str {
        match self {
            BudgetLevel::Ok => "ok",
            BudgetLevel::Warning => "warning",
            BudgetLevel::Critical => "critical",
            BudgetLevel::Over => "over",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_arc_runs_from_empty_to_full() {
        assert_eq!(gauge_arc(0.0), "M10,50A40,40 0 0 1 10,50");
        assert_eq!(gauge_arc(0.5), "M10,50A40,40 0 0 1 50,10");
        assert_eq!(gauge_arc(1.0), "M10,50A40,40 0 0 1 90,50");
        assert_eq!(
            gauge_arc(3.0),
            gauge_arc(1.0),
            "an overspend fills the gauge, no more"
        );
        assert_eq!(gauge_arc(f64::NAN), gauge_arc(0.0));
    }

    #[test]
    fn levels_follow_the_alert_thresholds() {
        assert_eq!(BudgetLevel::of(0.5), BudgetLevel::Ok);
        assert_eq!(BudgetLevel::of(0.8), BudgetLevel::Warning);
        assert_eq!(BudgetLevel::of(0.95), BudgetLevel::Critical);
        assert_eq!(BudgetLevel::of(1.2), BudgetLevel::Over);
    }
}
