//! CSV exports, streamed: the body is produced a page of rows at a time,
//! each page one short read, so an export of any size holds neither the
//! whole file in memory nor a read connection while the client downloads.

mod slots;

pub use slots::{ExportSlot, ExportSlots};

use axum::body::Bytes;
use futures_util::Stream;
use ytempire_protocol::{Id, Timestamp};

use crate::csv;
use crate::error::AppError;
use crate::range::DayRange;
use crate::store::Store;
use crate::store::videos::{self, Position};

/// Rows per page (and per body chunk, about 200 bytes each).
const PAGE_ROWS: u32 = 1000;

/// The user's videos created in `range`, oldest first, as CSV chunks. The
/// slot is released with the last chunk, or when the body is dropped early.
pub fn videos_csv(
    store: Store,
    user: Id,
    range: DayRange,
    slot: ExportSlot,
) -> impl Stream<Item = Result<Bytes, AppError>> + Send + 'static {
    let export = Export {
        store,
        user,
        to: range.end(),
        after: (range.start(), String::new()),
        header: true,
        slot,
    };
    futures_util::stream::try_unfold(Some(export), |export| async move {
        let Some(mut export) = export else {
            return Ok(None);
        };
        let (chunk, after) = export
            .next_chunk()
            .await
            .inspect_err(|err| tracing::error!(error = ?err, "reading an export page failed"))?;
        let next = after.map(|after| {
            export.after = after;
            export.header = false;
            export
        });
        Ok(Some((chunk, next)))
    })
}

struct Export {
    store: Store,
    user: Id,
    to: Timestamp,
    /// Creation time and id of the last video sent.
    after: (Timestamp, String),
    header: bool,
    slot: ExportSlot,
}

impl Export {
    /// The next page as CSV, and where the one after starts unless this was
    /// the last. Formatted on the database thread, beside the query, so that
    /// the runtime's workers stay free for requests.
    async fn next_chunk(&self) -> Result<(Bytes, Option<(Timestamp, String)>), AppError> {
        let (user, to, header) = (self.user.clone(), self.to, self.header);
        let (created_at, id) = self.after.clone();
        let _turn = self.slot.page_turn().await?;
        self.store
            .read(move |conn| {
                let after = Position {
                    created_at,
                    id: &id,
                };
                let rows = videos::created_between(conn, &user, &after, to, PAGE_ROWS)?;
                let mut chunk = String::new();
                if header {
                    csv::video_header(&mut chunk);
                }
                csv::video_rows(&mut chunk, &rows);
                // A short page is the last one.
                let next = match rows.last() {
                    Some(last) if rows.len() == PAGE_ROWS as usize => {
                        Some((last.created_at, last.id.to_string()))
                    }
                    _ => None,
                };
                Ok((Bytes::from(chunk), next))
            })
            .await
    }
}
