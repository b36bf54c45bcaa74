//! `use_poller`: keeps one resource fresh by polling it at its tier's
//! cadence, and only while the tab is visible.
//!
//! The rules live in the pure [`Schedule`]; this hook only wires them to the
//! browser: a timer for the next due moment, the Page Visibility API, a
//! request timeout that aborts the fetch, the `ETag` of the data on screen,
//! and the latency monitor. Everything it starts ends with its owner.

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::time::Duration;

use futures::future::{Either, select};
use gloo_timers::callback::Timeout;
use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use leptos::task::spawn_local;
use web_sys::{AbortController, AbortSignal};

use super::clock::now;
use super::schedule::{Freshness, Next, Schedule, Trigger};
use super::{Cadence, Tier, use_document_visibility};
use crate::api::ApiError;
use crate::components::format;
use crate::realtime::{LatencyStore, Series};

/// What the poller hands its fetch function for one request.
pub struct PollRequest {
    /// The `ETag` of the data on screen, to send as `If-None-Match`.
    pub etag: Option<String>,
    /// Aborted when the request times out or the poller goes away.
    pub signal: AbortSignal,
}

/// A fetch function's successful answer.
#[derive(Debug, Clone, PartialEq)]
pub enum Polled<T> {
    Fresh {
        data: T,
        etag: Option<String>,
    },
    /// 304: the data on screen is still current.
    NotModified,
}

type BoxedFetch<T> =
    Rc<dyn Fn(PollRequest) -> Pin<Box<dyn Future<Output = Result<Polled<T>, ApiError>>>>>;

/// Settings of [`use_poller_with_options`].
#[derive(Clone)]
pub struct UsePollerOptions {
    cadence: Cadence,
    timeout: Duration,
    visible: Option<Signal<bool>>,
}

impl UsePollerOptions {
    pub fn new(cadence: Cadence) -> Self {
        Self {
            cadence,
            timeout: Duration::from_secs(15),
            visible: None,
        }
    }

    /// How long a request may take before it counts as failed and is aborted.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Where visibility comes from; the document's by default.
    pub fn visible(mut self, visible: impl Into<Signal<bool>>) -> Self {
        self.visible = Some(visible.into());
        self
    }
}

pub struct UsePollerReturn<T: Send + Sync + 'static, R: Fn() + Clone + Send + Sync> {
    /// The last good data; it stays through failures and 304s.
    pub data: Signal<Option<T>>,
    /// Age, stale marker and refreshing flag, for [`super::PollStatus`].
    pub freshness: Signal<Freshness>,
    /// Why the last attempt failed, until one succeeds.
    pub error: Signal<Option<ApiError>>,
    /// The explicit user Refresh: fetches at once unless a request is out.
    pub refresh: R,
}

/// Polls `fetch` at `tier`'s cadence.
pub fn use_poller<T, F, Fut>(
    tier: Tier,
    fetch: F,
) -> UsePollerReturn<T, impl Fn() + Clone + Send + Sync>
where
    T: Send + Sync + 'static,
    F: Fn(PollRequest) -> Fut + 'static,
    Fut: Future<Output = Result<Polled<T>, ApiError>> + 'static,
{
    use_poller_with_options(fetch, UsePollerOptions::new(Cadence::of(tier)))
}

/// [`use_poller`] with settings: another cadence (never below its tier's
/// floor), a request timeout, or a visibility source other than the page's.
pub fn use_poller_with_options<T, F, Fut>(
    fetch: F,
    options: UsePollerOptions,
) -> UsePollerReturn<T, impl Fn() + Clone + Send + Sync>
where
    T: Send + Sync + 'static,
    F: Fn(PollRequest) -> Fut + 'static,
    Fut: Future<Output = Result<Polled<T>, ApiError>> + 'static,
{
    let UsePollerOptions {
        cadence,
        timeout,
        visible,
    } = options;
    let fetch: BoxedFetch<T> = Rc::new(move |request| Box::pin(fetch(request)));
    let poller = Poller {
        driver: StoredValue::new_local(Driver {
            schedule: Schedule::new(cadence),
            timer: None,
            abort: None,
            etag: None,
            fetch,
        }),
        data: RwSignal::new(None),
        freshness: RwSignal::new(Freshness::default()),
        error: RwSignal::new(None),
        timeout,
        latency: use_context::<LatencyStore>(),
    };

    let visible = visible.unwrap_or_else(use_document_visibility);
    Effect::watch(
        move || visible.get(),
        move |visible, _, _| {
            poller
                .driver
                .update_value(|d| d.schedule.set_visible(*visible));
            poller.tick();
        },
        true,
    );
    on_cleanup(move || poller.stop());

    UsePollerReturn {
        data: poller.data.into(),
        freshness: poller.freshness.into(),
        error: poller.error.into(),
        refresh: move || poller.start(Trigger::Refresh),
    }
}

struct Driver<T> {
    schedule: Schedule,
    /// The next due check; dropping it cancels it.
    timer: Option<Timeout>,
    abort: Option<AbortController>,
    etag: Option<String>,
    fetch: BoxedFetch<T>,
}

struct Poller<T: Send + Sync + 'static> {
    driver: StoredValue<Driver<T>, LocalStorage>,
    data: RwSignal<Option<T>>,
    freshness: RwSignal<Freshness>,
    error: RwSignal<Option<ApiError>>,
    timeout: Duration,
    latency: Option<LatencyStore>,
}

impl<T: Send + Sync + 'static> Clone for Poller<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for Poller<T> {}

impl<T: Send + Sync + 'static> Poller<T> {
    /// Acts on what the schedule says now: fetch, wait, or rest.
    fn tick(self) {
        let at = now();
        let Some(next) = self.driver.try_with_value(|d| d.schedule.next(at)) else {
            return;
        };
        match next {
            Next::Fetch => self.start(Trigger::Due),
            Next::WaitUntil(due) => {
                let millis = u32::try_from(due.since(at).as_millis()).unwrap_or(u32::MAX);
                let timer = Timeout::new(millis, move || self.tick());
                self.driver.update_value(|d| d.timer = Some(timer));
            }
            Next::Idle => self.driver.update_value(|d| d.timer = None),
        }
    }

    fn start(self, trigger: Trigger) {
        let started = now();
        let fetching = self
            .driver
            .try_update_value(|d| {
                let controller = AbortController::new().ok()?;
                if !d.schedule.begin(started, trigger) {
                    return None;
                }
                d.timer = None;
                let request = PollRequest {
                    etag: d.etag.clone(),
                    signal: controller.signal(),
                };
                d.abort = Some(controller);
                Some((d.fetch)(request))
            })
            .flatten();
        let Some(fetching) = fetching else {
            return;
        };
        self.publish();
        let timeout = self.timeout;
        spawn_local(async move {
            let deadline =
                TimeoutFuture::new(u32::try_from(timeout.as_millis()).unwrap_or(u32::MAX));
            let outcome = match select(fetching, deadline).await {
                Either::Left((outcome, _)) => outcome,
                Either::Right(((), _)) => Err(ApiError::Network(format!(
                    "no answer within {}",
                    format::duration(timeout)
                ))),
            };
            self.settle(outcome, now().since(started));
        });
    }

    fn settle(self, outcome: Result<Polled<T>, ApiError>, took: Duration) {
        let alive = self.driver.try_update_value(|d| {
            // Cancels the request if it timed out; a no-op once it answered.
            if let Some(controller) = d.abort.take() {
                controller.abort();
            }
            match &outcome {
                Ok(Polled::Fresh { etag, .. }) => {
                    d.etag.clone_from(etag);
                    d.schedule.succeed();
                }
                Ok(Polled::NotModified) => d.schedule.succeed(),
                Err(_) => d.schedule.fail(),
            }
        });
        if alive.is_none() {
            return;
        }
        if let Some(latency) = self.latency {
            latency.record(Series::Polling, took.as_secs_f64() * 1000.0);
        }
        match outcome {
            Ok(polled) => {
                if let Polled::Fresh { data, .. } = polled {
                    self.data.set(Some(data));
                }
                if self.error.with_untracked(Option::is_some) {
                    self.error.set(None);
                }
            }
            Err(error) => self.error.set(Some(error)),
        }
        self.publish();
        self.tick();
    }

    fn publish(self) {
        if let Some(freshness) = self.driver.try_with_value(|d| d.schedule.freshness()) {
            self.freshness.set(freshness);
        }
    }

    fn stop(self) {
        self.driver.try_update_value(|d| {
            d.timer = None;
            if let Some(controller) = d.abort.take() {
                controller.abort();
            }
        });
    }
}
