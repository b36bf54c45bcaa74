//! The session store: the logged-in user and token, kept in `localStorage`
//! so a reload stays logged in.

mod auth;

pub use auth::AuthSession;
use leptos::prelude::*;
use ytempire_protocol::{Id, LoginResponse, Timestamp, User};

use crate::api::{self, ApiError, Client};
use crate::config;

const STORAGE_KEY: &str = "ytempire.session";

#[derive(Debug, Clone, Copy)]
pub struct Session {
    current: RwSignal<Option<AuthSession>>,
}

/// Creates the session store from `localStorage` and provides it to the app.
pub fn provide_session() -> Session {
    let now = Timestamp::from_millis(js_sys::Date::now() as i64);
    let restored = storage()
        .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
        .and_then(|stored| AuthSession::restore(&stored, now));
    let session = Session {
        current: RwSignal::new(restored),
    };
    provide_context(session);
    session
}

pub fn use_session() -> Session {
    expect_context()
}

impl Session {
    pub fn is_authenticated(&self) -> bool {
        self.current.with(Option::is_some)
    }

    pub fn user(&self) -> Option<User> {
        self.current.with(|s| s.as_ref().map(|s| s.user.clone()))
    }

    pub fn user_id(&self) -> Option<Id> {
        self.current.with(|s| s.as_ref().map(|s| s.user.id.clone()))
    }

    pub fn token(&self) -> Option<String> {
        self.current.with(|s| s.as_ref().map(|s| s.token.clone()))
    }

    pub fn login(&self, response: LoginResponse) {
        let session = AuthSession::from(response);
        if let Some(storage) = storage() {
            // A full or blocked storage only costs persistence across reloads.
            _ = storage.set_item(STORAGE_KEY, &session.to_json());
        }
        self.current.set(Some(session));
    }

    /// The user's "Log out": forgets the session here at once and revokes
    /// its token on the server, so a copy of it opens nothing either.
    pub fn sign_out(&self) {
        let client = self.client();
        self.logout();
        // Not scoped to an owner: signing out unmounts the signed-in pages,
        // and the revocation must still go out.
        leptos::task::spawn_local(async move {
            if let Err(e) = api::auth::logout(&client).await {
                leptos::logging::warn!("the server did not revoke the session: {e}");
            }
        });
    }

    /// Forgets the session here, e.g. once the server rejected its token.
    pub fn logout(&self) {
        if let Some(storage) = storage() {
            _ = storage.remove_item(STORAGE_KEY);
        }
        self.current.set(None);
    }

    /// An API client carrying the current token; reading it does not track.
    pub fn client(&self) -> Client {
        Client::new(
            config::api_base(),
            self.current
                .with_untracked(|s| s.as_ref().map(|s| s.token.clone())),
        )
    }

    /// Passes the result of a call made with `client` through, logging out
    /// if the server no longer accepts its token, unless the session changed
    /// while the call was out: the 401 is then about a token nobody holds.
    pub fn check<T>(&self, client: &Client, result: Result<T, ApiError>) -> Result<T, ApiError> {
        if matches!(result, Err(ApiError::Unauthorized(_))) && self.client() == *client {
            self.logout();
        }
        result
    }
}

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}
