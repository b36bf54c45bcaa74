//! Which attempt at a video a report or a retry belongs to.

use std::fmt;
use std::num::NonZeroU32;

use serde::{Deserialize, Serialize};

/// A video's attempt number: 1 for the first run, one more for each
/// accepted Retry. Zero does not parse, so a report cannot name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Attempt(NonZeroU32);

impl Attempt {
    pub const FIRST: Attempt = Attempt(NonZeroU32::MIN);

    /// `None` for zero.
    pub fn new(number: u32) -> Option<Attempt> {
        NonZeroU32::new(number).map(Attempt)
    }

    pub const fn get(self) -> u32 {
        self.0.get()
    }
}

impl Default for Attempt {
    fn default() -> Self {
        Attempt::FIRST
    }
}

impl fmt::Display for Attempt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}
