//! The pipeline reports no revenue. The reference server estimates it as a
//! flat amount per completed video so the dashboard's revenue figures move
//! plausibly; a production backend would use real ad earnings here.

use ytempire_protocol::Usd;

pub const ESTIMATED_REVENUE_PER_VIDEO: f64 = 1.50;

pub fn estimated_revenue(completed_videos: u32) -> Usd {
    Usd::new(f64::from(completed_videos) * ESTIMATED_REVENUE_PER_VIDEO).unwrap_or(Usd::ZERO)
}
