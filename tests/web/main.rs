//! Browser tests: components mounted into the DOM of headless Chromium, acted
//! on, and asserted on. Run with `wasm-bindgen-test-runner` (see README).
#![cfg(target_arch = "wasm32")]

mod chip;
mod connection;
mod realtime;
mod support;
mod toasts;

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);
