//! The real-time performance monitor: WebSocket delivery latency and polling
//! durations in bounded sample buffers, so memory stays flat over days.

use std::collections::VecDeque;

/// Deliveries slower than this are reported as warnings.
pub const WEBSOCKET_WARN_MS: f64 = 1_000.0;
/// Polls slower than this are reported as warnings.
pub const POLLING_WARN_MS: f64 = 5_000.0;
/// Samples kept per series.
pub const SAMPLE_CAPACITY: usize = 200;

/// A ring buffer of the most recent samples.
#[derive(Debug, Clone, PartialEq)]
pub struct Samples {
    values: VecDeque<f64>,
    capacity: usize,
}

impl Samples {
    pub fn new(capacity: usize) -> Self {
        Self {
            values: VecDeque::with_capacity(capacity),
            capacity,
        }
    }

    pub fn push(&mut self, value: f64) {
        if self.values.len() == self.capacity {
            self.values.pop_front();
        }
        self.values.push_back(value);
    }

    pub fn len(&self) -> usize {
        self.values.len()
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    pub fn average(&self) -> Option<f64> {
        (!self.is_empty()).then(|| self.values.iter().sum::<f64>() / self.len() as f64)
    }

    /// Nearest-rank percentile, `p` in `(0, 100]`.
    pub fn percentile(&self, p: f64) -> Option<f64> {
        if self.is_empty() {
            return None;
        }
        let mut sorted: Vec<f64> = self.values.iter().copied().collect();
        sorted.sort_by(f64::total_cmp);
        let rank = (p / 100.0 * sorted.len() as f64).ceil() as usize;
        Some(sorted[rank.clamp(1, sorted.len()) - 1])
    }

    pub fn summary(&self) -> Option<Summary> {
        Some(Summary {
            count: self.len(),
            average: self.average()?,
            p95: self.percentile(95.0)?,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    pub count: usize,
    pub average: f64,
    pub p95: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Series {
    WebSocket,
    Polling,
}

/// A sample over its series' threshold.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SlowSample {
    pub series: Series,
    pub millis: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LatencyMonitor {
    websocket: Samples,
    polling: Samples,
    warnings: u64,
    rejected_frames: u64,
}

impl Default for LatencyMonitor {
    fn default() -> Self {
        Self {
            websocket: Samples::new(SAMPLE_CAPACITY),
            polling: Samples::new(SAMPLE_CAPACITY),
            warnings: 0,
            rejected_frames: 0,
        }
    }
}

impl LatencyMonitor {
    /// Records a sample; negative values (clock skew between pipeline and
    /// browser) count as zero rather than skewing the average down.
    pub fn record(&mut self, series: Series, millis: f64) -> Option<SlowSample> {
        let millis = millis.max(0.0);
        let (samples, limit) = match series {
            Series::WebSocket => (&mut self.websocket, WEBSOCKET_WARN_MS),
            Series::Polling => (&mut self.polling, POLLING_WARN_MS),
        };
        samples.push(millis);
        (millis > limit).then(|| {
            self.warnings += 1;
            SlowSample { series, millis }
        })
    }

    pub fn record_rejected_frame(&mut self) {
        self.rejected_frames += 1;
    }

    pub fn samples(&self, series: Series) -> &Samples {
        match series {
            Series::WebSocket => &self.websocket,
            Series::Polling => &self.polling,
        }
    }

    pub const fn warnings(&self) -> u64 {
        self.warnings
    }

    pub const fn rejected_frames(&self) -> u64 {
        self.rejected_frames
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn average_and_p95() {
        let mut samples = Samples::new(1_000);
        (1..=100).for_each(|n| samples.push(f64::from(n)));
        assert_eq!(samples.average(), Some(50.5));
        assert_eq!(samples.percentile(95.0), Some(95.0));
        assert_eq!(samples.percentile(50.0), Some(50.0));
        assert_eq!(samples.percentile(100.0), Some(100.0));
    }

    #[test]
    fn percentiles_of_few_samples_use_nearest_rank() {
        let mut samples = Samples::new(10);
        assert_eq!(samples.percentile(95.0), None);
        samples.push(30.0);
        samples.push(10.0);
        assert_eq!(samples.percentile(95.0), Some(30.0));
        assert_eq!(samples.percentile(1.0), Some(10.0));
    }

    #[test]
    fn the_buffer_keeps_only_the_newest_samples() {
        let mut samples = Samples::new(3);
        (1..=10).for_each(|n| samples.push(f64::from(n)));
        assert_eq!(samples.len(), 3);
        assert_eq!(samples.average(), Some(9.0));
    }

    #[test]
    fn slow_samples_are_flagged_per_series_threshold() {
        let mut monitor = LatencyMonitor::default();
        assert_eq!(monitor.record(Series::WebSocket, 999.0), None);
        assert!(monitor.record(Series::WebSocket, 1_001.0).is_some());
        assert_eq!(monitor.record(Series::Polling, 4_000.0), None);
        assert!(monitor.record(Series::Polling, 5_001.0).is_some());
        assert_eq!(monitor.warnings(), 2);
    }

    #[test]
    fn clock_skew_counts_as_zero() {
        let mut monitor = LatencyMonitor::default();
        monitor.record(Series::WebSocket, -40.0);
        assert_eq!(monitor.samples(Series::WebSocket).average(), Some(0.0));
    }

    #[test]
    fn memory_stays_flat_over_many_samples() {
        let mut monitor = LatencyMonitor::default();
        (0..100_000).for_each(|n| {
            monitor.record(Series::WebSocket, f64::from(n % 50));
        });
        assert_eq!(monitor.samples(Series::WebSocket).len(), SAMPLE_CAPACITY);
    }
}
