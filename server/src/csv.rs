//! CSV for spreadsheets (RFC 4180), safe to open: a cell that a spreadsheet
//! would run as a formula is prefixed with `'` so it stays text.

use ytempire_protocol::Video;

const HEADER: [&str; 12] = [
    "id",
    "channelId",
    "channelName",
    "title",
    "status",
    "stage",
    "errorMessage",
    "retryable",
    "cost",
    "url",
    "createdAt",
    "updatedAt",
];

/// The first line of a videos export.
pub fn video_header(out: &mut String) {
    row(out, HEADER.iter().map(|h| (*h).to_owned()));
}

/// One line per video; an export is its header and then pages of these.
pub fn video_rows(out: &mut String, videos: &[Video]) {
    for v in videos {
        row(
            out,
            [
                v.id.to_string(),
                v.channel_id.to_string(),
                v.channel_name.clone(),
                v.title.clone(),
                v.status.as_str().to_owned(),
                v.stage.map(|s| s.as_str().to_owned()).unwrap_or_default(),
                v.error_message.clone().unwrap_or_default(),
                v.retryable.map(|r| r.to_string()).unwrap_or_default(),
                format!("{:.6}", v.cost.get()),
                v.url
                    .as_ref()
                    .map(|u| u.as_str().to_owned())
                    .unwrap_or_default(),
                v.created_at.to_string(),
                v.updated_at.to_string(),
            ],
        );
    }
}

fn row(out: &mut String, cells: impl IntoIterator<Item = String>) {
    for (n, cell) in cells.into_iter().enumerate() {
        if n > 0 {
            out.push(',');
        }
        out.push_str(&cell_text(&cell));
    }
    out.push_str("\r\n");
}

/// One cell, neutralised against formula injection and quoted if needed.
fn cell_text(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_separators_quotes_and_newlines() {
        assert_eq!(cell_text("plain"), "plain");
        assert_eq!(cell_text("a,b"), "\"a,b\"");
        assert_eq!(cell_text("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(cell_text("two\nlines"), "\"two\nlines\"");
    }

    #[test]
    fn formulas_become_text() {
        assert_eq!(cell_text("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell_text("+1"), "'+1");
        assert_eq!(cell_text("-1"), "'-1");
        assert_eq!(cell_text("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell_text("\tx"), "'\tx");
        assert_eq!(cell_text("a=b"), "a=b");
    }

    #[test]
    fn the_header_names_every_column() {
        let mut csv = String::new();
        video_header(&mut csv);
        video_rows(&mut csv, &[]);
        assert_eq!(csv, format!("{}\r\n", HEADER.join(",")));
    }
}
