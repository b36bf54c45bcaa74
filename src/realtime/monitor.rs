//! The latency monitor as a signal store, fed by the WebSocket and the poller.

use leptos::prelude::*;

use super::latency::{LatencyMonitor, Series, Summary};

#[derive(Debug, Clone, Copy)]
pub struct LatencyStore {
    monitor: RwSignal<LatencyMonitor>,
}

pub fn provide_latency_monitor() -> LatencyStore {
    let store = LatencyStore {
        monitor: RwSignal::new(LatencyMonitor::default()),
    };
    provide_context(store);
    store
}

pub fn use_latency_monitor() -> LatencyStore {
    expect_context()
}

impl LatencyStore {
    /// Records a duration in milliseconds; slow samples are logged.
    pub fn record(&self, series: Series, millis: f64) {
        if let Some(slow) = self
            .monitor
            .try_update(|m| m.record(series, millis))
            .flatten()
        {
            leptos::logging::warn!("slow {:?}: {:.0} ms", slow.series, slow.millis);
        }
    }

    pub fn record_rejected_frame(&self) {
        self.monitor.update(LatencyMonitor::record_rejected_frame);
    }

    pub fn summary(&self, series: Series) -> Option<Summary> {
        self.monitor.with(|m| m.samples(series).summary())
    }

    pub fn warnings(&self) -> u64 {
        self.monitor.with(LatencyMonitor::warnings)
    }

    pub fn rejected_frames(&self) -> u64 {
        self.monitor.with(LatencyMonitor::rejected_frames)
    }
}
