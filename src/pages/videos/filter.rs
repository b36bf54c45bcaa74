//! The videos page's filter as a plain value, read from and written to the
//! URL so a filtered list survives a reload and can be linked to.

use ytempire_protocol::{VideoListQuery, VideoStatus};

/// Videos per page.
pub const PER_PAGE: u32 = 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct VideoFilter {
    pub status: Option<VideoStatus>,
    /// 1-based.
    pub page: u32,
}

impl VideoFilter {
    /// From the `status` and `page` query parameters; anything unknown
    /// falls back to all videos, first page.
    pub fn from_query(status: Option<&str>, page: Option<&str>) -> Self {
        Self {
            status: status.and_then(VideoStatus::parse),
            page: page
                .and_then(|p| p.parse().ok())
                .filter(|p| *p >= 1)
                .unwrap_or(1),
        }
    }

    pub fn query(self) -> VideoListQuery {
        VideoListQuery {
            status: self.status,
            page: Some(self.page),
            per_page: Some(PER_PAGE),
        }
    }

    /// The link to this filter.
    pub fn href(self) -> String {
        let mut params = Vec::new();
        if let Some(status) = self.status {
            params.push(format!("status={}", status.as_str()));
        }
        if self.page > 1 {
            params.push(format!("page={}", self.page));
        }
        if params.is_empty() {
            "/videos".to_owned()
        } else {
            format!("/videos?{}", params.join("&"))
        }
    }

    /// The same page of another status starts over at page 1.
    pub fn with_status(self, status: Option<VideoStatus>) -> Self {
        Self { status, page: 1 }
    }

    pub fn with_page(self, page: u32) -> Self {
        Self { page, ..self }
    }
}

/// How many pages `total` videos fill; at least one.
pub fn page_count(total: u32) -> u32 {
    total.div_ceil(PER_PAGE).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_url_leniently() {
        let f = VideoFilter::from_query(Some("failed"), Some("3"));
        assert_eq!((f.status, f.page), (Some(VideoStatus::Failed), 3));
        let f = VideoFilter::from_query(Some("nonsense"), Some("0"));
        assert_eq!((f.status, f.page), (None, 1));
        assert_eq!(VideoFilter::from_query(None, Some("x")).page, 1);
    }

    #[test]
    fn links_round_trip() {
        let f = VideoFilter::from_query(Some("failed"), Some("2"));
        assert_eq!(f.href(), "/videos?status=failed&page=2");
        assert_eq!(f.with_status(None).href(), "/videos");
        assert_eq!(
            f.with_status(Some(VideoStatus::Queued)).href(),
            "/videos?status=queued"
        );
        assert_eq!(f.with_page(1).href(), "/videos?status=failed");
    }

    #[test]
    fn the_query_asks_for_one_page() {
        let q = VideoFilter::from_query(Some("completed"), None).query();
        assert_eq!(q.status, Some(VideoStatus::Completed));
        assert_eq!((q.page, q.per_page), (Some(1), Some(PER_PAGE)));
    }

    #[test]
    fn pages_round_up() {
        assert_eq!(page_count(0), 1);
        assert_eq!(page_count(20), 1);
        assert_eq!(page_count(21), 2);
    }
}
