use std::sync::Arc;
use std::time::{Duration, Instant};

use ytempire_protocol::{LoginRequest, LoginResponse, Timestamp, User};

use super::throttle::Refusal;
use super::{password, token};
use crate::clock;
use crate::error::AppError;
use crate::state::AppState;
use crate::store::{sessions, users};

/// Checks the credentials and opens a session.
pub async fn login(state: &AppState, request: LoginRequest) -> Result<LoginResponse, AppError> {
    let email = request.email.trim().to_owned();
    let attempt = state
        .login_throttle
        .attempt(&email, Instant::now())
        .inspect_err(|refusal| match refusal {
            Refusal::LockedOut(_) => state.metrics.login_locked_out(),
            Refusal::TableFull(_) => state.metrics.login_table_full(),
        })
        .map_err(AppError::from)?;
    let credentials = state
        .store
        .read(move |conn| users::credentials(conn, &email).map_err(AppError::from))
        .await?;
    let (user, stored_hash) = match credentials {
        Some(c) => (Some(c.user), c.password_hash),
        // Verify against a real hash anyway, so unknown emails take as long
        // as wrong passwords and cannot be told apart by timing.
        None => (None, UNKNOWN_USER_HASH.to_owned()),
    };
    let permit = Arc::clone(&state.password_checks)
        .acquire_owned()
        .await
        .map_err(AppError::internal)?;
    let verified = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        password::verify(&request.password, &stored_hash)
    })
    .await
    .map_err(AppError::internal)?;
    let Some(user) = user.filter(|_| verified) else {
        attempt.failed();
        state.metrics.login_failed();
        return Err(AppError::BadCredentials);
    };
    attempt.succeeded();

    let token = token::generate();
    let now = clock::now();
    let expires_at = after(now, state.config.sessions.token_ttl);
    let digest = token::digest(&token);
    let user_id = user.id.clone();
    state
        .store
        .call(move |conn| {
            sessions::delete_expired(conn, now)?;
            sessions::insert(conn, &digest, &user_id, expires_at).map_err(AppError::from)
        })
        .await?;
    Ok(LoginResponse {
        token,
        user,
        expires_at,
    })
}

/// Revokes a bearer token. Revoking one that is unknown or already gone is
/// not an error: either way it opens nothing any more.
pub async fn logout(state: &AppState, token: &str) -> Result<(), AppError> {
    let digest = token::digest(token);
    // Anyone may call this with any token: one that opens no session costs
    // a read, not a turn at the writer and a scan of every socket.
    let lookup = digest.clone();
    let known = state
        .store
        .read(move |conn| sessions::exists(conn, &lookup).map_err(AppError::from))
        .await?;
    if !known {
        return Ok(());
    }
    let revoked = digest.clone();
    let deleted = state
        .store
        .call(move |conn| sessions::delete(conn, &revoked).map_err(AppError::from))
        .await?;
    if deleted {
        state.hub.close_token(&digest);
    }
    Ok(())
}

/// The user a bearer token belongs to, if it is valid and unexpired.
pub async fn user_for_token(state: &AppState, token: &str) -> Result<Option<User>, AppError> {
    let digest = token::digest(token);
    state
        .store
        .read(move |conn| sessions::user(conn, &digest, clock::now()).map_err(AppError::from))
        .await
}

/// A live session: whose it is, its token's digest, and until when.
pub struct ActiveSession {
    pub user: User,
    pub token_hash: String,
    pub expires_at: Timestamp,
}

/// The session a bearer token opens, if it is valid and unexpired.
pub async fn session_for_token(
    state: &AppState,
    token: &str,
) -> Result<Option<ActiveSession>, AppError> {
    let token_hash = token::digest(token);
    let lookup = token_hash.clone();
    let found = state
        .store
        .read(move |conn| sessions::user_until(conn, &lookup, clock::now()).map_err(AppError::from))
        .await?;
    Ok(found.map(|(user, expires_at)| ActiveSession {
        user,
        token_hash,
        expires_at,
    }))
}

/// An Argon2id hash (default parameters) of a password nobody knows.
const UNKNOWN_USER_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$RQEnNvB3Kr/eWoL6OinRwA$s6vP9aOJ3zIX5Rb+FEfn6qN+H5WdCHPJGXhRn7Ujze8";

fn after(now: Timestamp, ttl: Duration) -> Timestamp {
    let ttl_ms = i64::try_from(ttl.as_millis()).unwrap_or(i64::MAX);
    Timestamp::from_millis(now.as_millis().saturating_add(ttl_ms))
}
