//! Creating users with their channels, and the demo account.

use rusqlite::Connection;
use ytempire_protocol::{Timestamp, Usd, User};

use crate::ids::random_id;
use crate::store::{channels, users};

pub const DEMO_EMAIL: &str = "demo@ytempire.local";
pub const DEMO_PASSWORD: &str = "demo";
const DEMO_CHANNELS: [&str; 4] = [
    "Tech Daily",
    "Cooking Shorts",
    "Finance Explained",
    "Travel Vlogs",
];
const CHANNEL_NAMES: [&str; 8] = [
    "Science Bites",
    "History Hour",
    "Gaming Recap",
    "Fitness Flow",
    "Music Mixes",
    "Crypto Watch",
    "DIY Corner",
    "Pet Moments",
];

pub struct NewAccount<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub password_hash: &'a str,
    pub daily_budget: Option<Usd>,
    pub channels: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("a user with email {0} already exists")]
    EmailTaken(String),
    #[error(transparent)]
    Db(#[from] rusqlite::Error),
}

/// Creates the user and their channels in one transaction.
pub fn create(
    conn: &mut Connection,
    account: &NewAccount<'_>,
    now: Timestamp,
) -> Result<User, AccountError> {
    let tx = conn.transaction()?;
    if users::email_taken(&tx, account.email)? {
        return Err(AccountError::EmailTaken(account.email.to_owned()));
    }
    let id = random_id("user");
    users::insert(
        &tx,
        &users::NewUser {
            id: &id,
            email: account.email,
            name: account.name,
            password_hash: account.password_hash,
            daily_budget: account.daily_budget,
            created_at: now,
        },
    )?;
    for (n, name) in account.channels.iter().enumerate() {
        // Offset creation times keep the channels in the order given.
        let created = Timestamp::from_millis(now.as_millis() + n as i64);
        channels::insert(&tx, &random_id("ch"), &id, name, created)?;
    }
    tx.commit()?;
    Ok(User {
        id,
        name: account.name.to_owned(),
        email: account.email.to_owned(),
    })
}

/// `count` channel names for a new user.
pub fn channel_names(count: u32) -> Vec<String> {
    (0..count as usize)
        .map(|n| {
            let base = CHANNEL_NAMES[n % CHANNEL_NAMES.len()];
            match n / CHANNEL_NAMES.len() {
                0 => base.to_owned(),
                round => format!("{base} {}", round + 1),
            }
        })
        .collect()
}

/// Whether the database has no users yet, i.e. this is a first start.
pub fn is_empty(conn: &Connection) -> rusqlite::Result<bool> {
    Ok(users::count(conn)? == 0)
}

/// The demo account's channels.
pub fn demo_channels() -> Vec<String> {
    DEMO_CHANNELS.iter().map(|&name| name.to_owned()).collect()
}
