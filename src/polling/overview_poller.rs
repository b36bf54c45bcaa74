//! The overview on the 60 s tier: metrics and channels, polled into the
//! dashboard store through the sync merger.

use std::future::Future;

use leptos::prelude::*;
use ytempire_protocol::Overview;

use super::{
    Cadence, Freshness, PollRequest, Polled, Tier, UsePollerOptions, provide_live_sync,
    use_poller_with_options,
};
use crate::api::{self, ApiError};
use crate::state::{use_dashboard_store, use_session};

/// The overview poller's status, for pages that show it.
#[derive(Debug, Clone, Copy)]
pub struct OverviewPoll {
    pub freshness: Signal<Freshness>,
    pub error: Signal<Option<ApiError>>,
    /// The explicit Refresh.
    pub refresh: Callback<()>,
}

/// Polls the server's overview every 60 s while the tab is visible, and
/// provides its status and the [`super::LiveSync`] it merges through. Call
/// once, in the signed-in layout: its first fetch is the overview's first
/// load.
pub fn provide_overview_poller() -> OverviewPoll {
    let session = use_session();
    provide_overview_poller_with(
        move |poll| async move {
            let client = session.client();
            session.check(
                &client,
                api::overview::fetch_if_changed(&client, &poll).await,
            )
        },
        UsePollerOptions::new(Cadence::of(Tier::Live)),
    )
}

/// [`provide_overview_poller`] with the fetch and the options supplied, so
/// tests can stand in for the server and shorten the cadence.
pub fn provide_overview_poller_with<F, Fut>(fetch: F, options: UsePollerOptions) -> OverviewPoll
where
    F: Fn(PollRequest) -> Fut + 'static,
    Fut: Future<Output = Result<Polled<Overview>, ApiError>> + 'static,
{
    let store = use_dashboard_store();
    let sync = provide_live_sync();
    // The overview lives in the store, merged with real-time updates; the
    // poller itself keeps only the schedule, hence `Polled<()>`.
    let poller = use_poller_with_options(
        move |poll| {
            let ticket = sync.poll_started();
            let requested_in = store.epoch();
            let fetching = fetch(poll);
            async move {
                let result = fetching.await;
                store.set_polling_active(result.is_ok());
                Ok(match result? {
                    Polled::Fresh { data, etag } => {
                        sync.apply_overview(store, ticket, requested_in, data);
                        Polled::Fresh { data: (), etag }
                    }
                    Polled::NotModified => Polled::NotModified,
                })
            }
        },
        options,
    );
    let refresh = poller.refresh;
    let status = OverviewPoll {
        freshness: poller.freshness,
        error: poller.error,
        refresh: Callback::new(move |()| refresh()),
    };
    provide_context(status);
    status
}

pub fn use_overview_poll() -> OverviewPoll {
    expect_context()
}
