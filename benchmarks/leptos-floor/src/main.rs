//! The smallest app with what every YTEMPIRE page stands on: Leptos in
//! client-side mode, its router with two routes, one signal and one event
//! handler. Its release size is the floor under the dashboard's size budget.

use leptos::prelude::*;
use leptos_router::components::{A, Route, Router, Routes};
use leptos_router::path;

#[component]
fn Counter() -> impl IntoView {
    let (count, set_count) = signal(0);
    view! { <button on:click=move |_| set_count.update(|n| *n += 1)>{count}</button> }
}

#[component]
fn About() -> impl IntoView {
    view! { <p>"About"</p> }
}

fn main() {
    mount_to_body(|| {
        view! {
            <Router>
                <nav>
                    <A href="/">"Counter"</A>
                    <A href="/about">"About"</A>
                </nav>
                <Routes fallback=|| "Not found">
                    <Route path=path!("/") view=Counter />
                    <Route path=path!("/about") view=About />
                </Routes>
            </Router>
        }
    })
}
