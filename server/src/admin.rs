//! `ytempire-server user ...`: account administration on the database file,
//! safe to run while a server uses the same file.

use std::path::Path;

use crate::accounts::{self, NewAccount};
use crate::auth::password;
use crate::cli::{Budget, UserCommand};
use crate::clock;
use crate::config::DatabaseConfig;
use crate::store::{Store, users};

pub fn run(db: &Path, command: UserCommand) -> anyhow::Result<()> {
    let store = Store::open(db, DatabaseConfig::default())?;
    match command {
        UserCommand::Add {
            email,
            name,
            password,
            channels,
            daily_budget,
        } => {
            let email = email.trim();
            anyhow::ensure!(
                email.contains('@') && !name.trim().is_empty() && !password.is_empty(),
                "an email address, a name and a password are required"
            );
            let hash = password::hash(&password)?;
            let account = NewAccount {
                email,
                name: name.trim(),
                password_hash: &hash,
                daily_budget,
                channels: accounts::channel_names(channels),
            };
            let user = store.call_sync(|conn| accounts::create(conn, &account, clock::now()))?;
            println!(
                "created user {} <{}> with {channels} channels",
                user.id, user.email
            );
        }
        UserCommand::Budget {
            email,
            daily_budget,
        } => {
            let own = match daily_budget {
                Budget::Own(usd) => Some(usd),
                Budget::Default => None,
            };
            let email = email.trim();
            let found = store.call_sync(|conn| users::set_daily_budget(conn, email, own))?;
            anyhow::ensure!(found, "no user has the email {email}");
            match own {
                Some(usd) => println!("{email}: daily budget ${:.2}", usd.get()),
                None => println!("{email}: daily budget follows the server's"),
            }
        }
        UserCommand::List => {
            let list = store.call_sync(|conn| users::list(conn))?;
            println!("{:<20} {:<32} {:<24} channels", "id", "email", "name");
            for (user, channels) in list {
                println!(
                    "{:<20} {:<32} {:<24} {channels}",
                    user.id.as_str(),
                    user.email,
                    user.name
                );
            }
        }
    }
    Ok(())
}
