//! `/login`: email and password, a clear message when they are wrong.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use ytempire_protocol::LoginRequest;

use crate::api::{self, ApiError, Client};
use crate::state::use_session;

#[component]
pub fn LoginPage() -> impl IntoView {
    let session = use_session();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        error.set(None);
        let request = LoginRequest {
            email: email.get_untracked(),
            password: password.get_untracked(),
        };
        leptos::task::spawn_local(async move {
            match api::auth::login(&Client::anonymous(), &request).await {
                // The router leaves /login as soon as the session exists.
                Ok(response) => session.login(response),
                Err(ApiError::Unauthorized(_)) => {
                    error.try_set(Some("Invalid email or password.".to_owned()));
                }
                Err(e) => {
                    error.try_set(Some(format!("Could not sign in: {e}")));
                }
            }
            pending.try_set(false);
        });
    };

    view! {
        <main class="login-page">
            <form class="login-page__form" on:submit=submit>
                <h1 class="login-page__title">"YTEMPIRE"</h1>
                <p class="login-page__subtitle">"Sign in to the operations dashboard"</p>
                <label for="email">"Email"</label>
                <input id="email" name="email" type="email" autocomplete="username" required bind:value=email />
                <label for="password">"Password"</label>
                <input
                    id="password"
                    name="password"
                    type="password"
                    autocomplete="current-password"
                    required
                    bind:value=password
                />
                {move || {
                    error
                        .get()
                        .map(|message| {
                            view! {
                                <p class="login-page__error" role="alert" data-testid="login-error">
                                    {message}
                                </p>
                            }
                        })
                }}
                <button type="submit" class="login-page__submit" disabled=pending>
                    {move || if pending.get() { "Signing in..." } else { "Sign in" }}
                </button>
            </form>
        </main>
    }
}
