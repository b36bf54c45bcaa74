//! Real-time diagnostics: WebSocket latency, polling durations and rejected frames.

use leptos::prelude::*;

use crate::components::format;
use crate::realtime::latency::{POLLING_WARN_MS, Series, WEBSOCKET_WARN_MS};
use crate::realtime::use_latency_monitor;

#[component]
pub fn DiagnosticsPanel() -> impl IntoView {
    let monitor = use_latency_monitor();
    let row = move |series: Series, limit: f64| {
        move || match monitor.summary(series) {
            Some(s) => format!(
                "avg {} · p95 {} · {} samples{}",
                format::millis(s.average),
                format::millis(s.p95),
                s.count,
                if s.p95 > limit { " · slow" } else { "" }
            ),
            None => "no samples yet".to_owned(),
        }
    };
    view! {
        <details class="diagnostics-panel" data-testid="diagnostics">
            <summary>"Diagnostics"</summary>
            <dl class="diagnostics-panel__list">
                <dt>"WebSocket latency"</dt>
                <dd data-testid="diag-websocket">{row(Series::WebSocket, WEBSOCKET_WARN_MS)}</dd>
                <dt>"Polling duration"</dt>
                <dd data-testid="diag-polling">{row(Series::Polling, POLLING_WARN_MS)}</dd>
                <dt>"Slow samples"</dt>
                <dd data-testid="diag-warnings">{move || monitor.warnings()}</dd>
                <dt>"Rejected frames"</dt>
                <dd data-testid="diag-rejected">{move || monitor.rejected_frames()}</dd>
            </dl>
        </details>
    }
}
