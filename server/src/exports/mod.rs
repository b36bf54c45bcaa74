//! CSV exports, streamed: the body is produced a page of rows at a time,
//! each page one short read, so an export of any size holds neither the
//! whole file in memory nor a read connection while the client downloads.

mod slots;

pub use slots::{ExportSlot, ExportSlots};

use axum::body::Bytes;
use futures_util::Stream;
use ytempire_protocol::{Id, Timestamp, Video};

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
        _slot: slot,
    };
    futures_util::stream::try_unfold(Some(export), |export| async move {
        let Some(mut export) = export else {
            return Ok(None);
        };
        let rows = export
            .page()
            .await
            .inspect_err(|err| tracing::error!(error = ?err, "reading an export page failed"))?;
        let mut chunk = String::new();
        if export.header {
            csv::video_header(&mut chunk);
            export.header = false;
        }
        csv::video_rows(&mut chunk, &rows);
        // A short page is the last one.
        let next = match rows.last() {
            Some(last) if rows.len() == PAGE_ROWS as usize => {
                export.after = (last.created_at, last.id.to_string());
                Some(export)
            }
            _ => None,
        };
        Ok(Some((Bytes::from(chunk), next)))
    })
}

struct Export {
    store: Store,
    user: Id,
    to: Timestamp,
    /// Creation time and id of the last video sent.
    after: (Timestamp, String),
    header: bool,
    _slot: ExportSlot,
}

impl Export {
    async fn page(&self) -> Result<Vec<Video>, AppError> {
        let (user, to) = (self.user.clone(), self.to);
        let (created_at, id) = self.after.clone();
        self.store
            .read(move |conn| {
                let after = Position {
                    created_at,
                    id: &id,
                };
                videos::created_between(conn, &user, &after, to, PAGE_ROWS).map_err(AppError::from)
            })
            .await
    }
}
