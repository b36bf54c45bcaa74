//! The `Content-Security-Policy` of every response: only this origin's own
//! files run, plus Trunk's inline bootstrap, allowed by the hash of its
//! text in the `index.html` being served (fixed at start, so no per-request
//! nonce is needed and the page stays cacheable).

use std::fmt;
use std::str::FromStr;

use axum::http::HeaderValue;
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use sha2::{Digest, Sha256};

use super::inline_html::inline_contents;

#[derive(Debug, Clone)]
pub struct ContentSecurityPolicy(HeaderValue);

impl ContentSecurityPolicy {
    /// The policy for a dashboard whose entry page is `index` (none when the
    /// server serves only the API) talking to this origin and `connect`.
    pub fn new(index: Option<&str>, connect: &[ConnectOrigin]) -> Self {
        let hashes = |tag| {
            index
                .map(|html| inline_contents(html, tag))
                .unwrap_or_default()
                .into_iter()
                .map(|text| format!(" 'sha256-{}'", BASE64.encode(Sha256::digest(text))))
                .collect::<String>()
        };
        let connect: String = connect.iter().map(|origin| format!(" {origin}")).collect();
        let policy = format!(
            "default-src 'self'; \
             script-src 'self' 'wasm-unsafe-eval'{scripts}; \
             style-src 'self'{styles}; \
             connect-src 'self'{connect}; \
             img-src 'self'; \
             frame-ancestors 'none'; \
             base-uri 'none'; \
             object-src 'none'; \
             form-action 'self'",
            scripts = hashes("script"),
            styles = hashes("style"),
        );
        Self(HeaderValue::try_from(policy).expect("origins and hashes are visible ASCII"))
    }

    pub fn header(&self) -> HeaderValue {
        self.0.clone()
    }
}

/// An origin the dashboard may also talk to (`--connect-src`), such as the
/// API or WebSocket base it was built with: `scheme://host[:port]` and
/// nothing else, so it cannot smuggle other directives into the policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectOrigin(String);

impl FromStr for ConnectOrigin {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let origin = s.strip_suffix('/').unwrap_or(s);
        let invalid = || {
            format!(
                "{s:?} is not an origin like https://api.example.com or wss://api.example.com:8443"
            )
        };
        let (scheme, authority) = origin.split_once("://").ok_or_else(invalid)?;
        if !["http", "https", "ws", "wss"].contains(&scheme) {
            return Err(invalid());
        }
        let (host, port) = match authority.rsplit_once(':') {
            Some((host, port)) if !host.ends_with(':') && !port.ends_with(']') => {
                (host, Some(port))
            }
            _ => (authority, None),
        };
        let valid_host = match host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
            Some(ipv6) => {
                !ipv6.is_empty() && ipv6.bytes().all(|b| b.is_ascii_hexdigit() || b == b':')
            }
            None => {
                !host.is_empty()
                    && host
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
            }
        };
        let valid_port = port.is_none_or(|port| port.parse::<u16>().is_ok_and(|p| p > 0));
        if valid_host && valid_port {
            Ok(Self(origin.to_ascii_lowercase()))
        } else {
            Err(invalid())
        }
    }
}

impl fmt::Display for ConnectOrigin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn directive<'a>(policy: &'a ContentSecurityPolicy, name: &str) -> &'a str {
        policy
            .0
            .to_str()
            .unwrap()
            .split("; ")
            .find(|d| d.starts_with(name))
            .unwrap_or_else(|| panic!("no {name} directive"))
    }

    #[test]
    fn inline_bootstrap_is_allowed_by_its_hash() {
        let html =
            "<html><script src=\"/a.js\"></script><script type=\"module\">boot()</script></html>";
        let policy = ContentSecurityPolicy::new(Some(html), &[]);
        // printf 'boot()' | openssl dgst -sha256 -binary | base64
        assert_eq!(
            directive(&policy, "script-src"),
            "script-src 'self' 'wasm-unsafe-eval' 'sha256-MeZS89WlF0u+o0hCvHTBt4q1WHU+U+sJKgbdRUc36mY='"
        );
        assert_eq!(directive(&policy, "style-src"), "style-src 'self'");
        assert_eq!(
            directive(&policy, "frame-ancestors"),
            "frame-ancestors 'none'"
        );
    }

    #[test]
    fn configured_origins_may_be_connected_to() {
        let origins: Vec<ConnectOrigin> = ["https://API.example.com/", "wss://ws.example.com:8443"]
            .iter()
            .map(|s| s.parse().unwrap())
            .collect();
        let policy = ContentSecurityPolicy::new(None, &origins);
        assert_eq!(
            directive(&policy, "connect-src"),
            "connect-src 'self' https://api.example.com wss://ws.example.com:8443"
        );
        assert_eq!(
            directive(&policy, "script-src"),
            "script-src 'self' 'wasm-unsafe-eval'"
        );
    }

    #[test]
    fn an_origin_is_only_an_origin() {
        for ok in [
            "http://127.0.0.1:8000",
            "wss://[::1]:9000",
            "https://a-b.example",
        ] {
            assert!(ok.parse::<ConnectOrigin>().is_ok(), "{ok}");
        }
        for bad in [
            "api.example.com",
            "ftp://example.com",
            "https://example.com/api",
            "https://example.com; script-src *",
            "https://exa mple.com",
            "https://example.com:0",
            "https://example.com:99999",
            "https://",
            "'unsafe-inline'",
            "*",
        ] {
            assert!(bad.parse::<ConnectOrigin>().is_err(), "{bad}");
        }
    }
}
