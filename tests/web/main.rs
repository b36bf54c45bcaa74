//! Browser tests: components mounted into the DOM of headless Chromium, acted
//! on, and asserted on. Run with `wasm-bindgen-test-runner` (see README).
#![cfg(target_arch = "wasm32")]

mod api;
mod chip;
mod connection;
mod fake_clock;
mod fake_socket;
#[allow(dead_code, reason = "shared with the other browser tests")]
#[path = "../fakes/mod.rs"]
mod fakes;
mod realtime;
mod socket;
mod support;
mod toasts;

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);
