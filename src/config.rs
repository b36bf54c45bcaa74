//! Where the API and the WebSocket live: the page's own origin unless the
//! build names another (`YTEMPIRE_API_URL`, `YTEMPIRE_WS_URL`).

/// Base URL for HTTP API calls, without a trailing slash.
pub fn api_base() -> String {
    match option_env!("YTEMPIRE_API_URL") {
        Some(url) => url.trim_end_matches('/').to_owned(),
        None => page_origin(),
    }
}

/// Base URL for the WebSocket, without a trailing slash.
pub fn ws_base() -> String {
    match option_env!("YTEMPIRE_WS_URL") {
        Some(url) => url.trim_end_matches('/').to_owned(),
        None => ws_origin(&page_origin()),
    }
}

fn page_origin() -> String {
    leptos::prelude::window()
        .location()
        .origin()
        .unwrap_or_default()
}

/// The WebSocket origin matching an HTTP origin: `https` → `wss`, `http` → `ws`.
pub fn ws_origin(http_origin: &str) -> String {
    if let Some(rest) = http_origin.strip_prefix("https://") {
        format!("wss://{rest}")
    } else if let Some(rest) = http_origin.strip_prefix("http://") {
        format!("ws://{rest}")
    } else {
        http_origin.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::ws_origin;

    #[test]
    fn websocket_scheme_follows_the_page_scheme() {
        assert_eq!(ws_origin("http://127.0.0.1:8000"), "ws://127.0.0.1:8000");
        assert_eq!(
            ws_origin("https://app.ytempire.io"),
            "wss://app.ytempire.io"
        );
    }
}
