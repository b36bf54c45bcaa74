//! A finished video as the overview lists it: from a WebSocket event as it
//! happens, or from the videos API for the ones that finished before the
//! page was opened.

use ytempire_protocol::{EventBody, HttpUrl, Id, Stage, Usd, Video, VideoStatus};

#[derive(Debug, Clone, PartialEq)]
pub struct RecentVideo {
    pub id: Id,
    pub channel_name: String,
    pub cost: Usd,
    pub outcome: Outcome,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Published { title: String, url: HttpUrl },
    Failed { stage: Stage, message: String },
}

impl RecentVideo {
    /// `None` for a cost alert.
    pub fn from_event(body: &EventBody) -> Option<Self> {
        Some(match body {
            EventBody::VideoCompleted(e) => RecentVideo {
                id: e.video_id.clone(),
                channel_name: e.channel_name.clone(),
                cost: e.cost,
                outcome: Outcome::Published {
                    title: e.title.clone(),
                    url: e.url.clone(),
                },
            },
            EventBody::VideoFailed(e) => RecentVideo {
                id: e.video_id.clone(),
                channel_name: e.channel_name.clone(),
                cost: e.cost,
                outcome: Outcome::Failed {
                    stage: e.error.stage,
                    message: e.error.message.clone(),
                },
            },
            EventBody::CostAlert(_) => return None,
        })
    }

    /// `None` for a video still queued or processing, or one missing what
    /// its status promises (a published URL, a failure stage).
    pub fn from_video(video: Video) -> Option<Self> {
        let outcome = match video.status {
            VideoStatus::Completed => Outcome::Published {
                title: video.title,
                url: video.url?,
            },
            VideoStatus::Failed => Outcome::Failed {
                stage: video.stage?,
                message: video.error_message.unwrap_or_default(),
            },
            VideoStatus::Queued | VideoStatus::Processing => return None,
        };
        Some(RecentVideo {
            id: video.id,
            channel_name: video.channel_name,
            cost: video.cost,
            outcome,
        })
    }
}

#[cfg(test)]
mod tests {
    use ytempire_protocol::Timestamp;

    use super::*;

    fn video(status: VideoStatus) -> Video {
        Video {
            id: Id::new("v-1").unwrap(),
            channel_id: Id::new("c-1").unwrap(),
            channel_name: "Tech".into(),
            title: "How SSDs work".into(),
            status,
            stage: None,
            error_message: None,
            retryable: None,
            cost: Usd::new(0.3).unwrap(),
            url: None,
            created_at: Timestamp::from_millis(0),
            updated_at: Timestamp::from_millis(0),
            attempt: ytempire_protocol::Attempt::FIRST,
        }
    }

    #[test]
    fn only_finished_videos_are_listed() {
        assert_eq!(RecentVideo::from_video(video(VideoStatus::Queued)), None);
        assert_eq!(
            RecentVideo::from_video(video(VideoStatus::Processing)),
            None
        );
        let url = HttpUrl::new("https://youtu.be/x").unwrap();
        let published = RecentVideo::from_video(Video {
            url: Some(url.clone()),
            ..video(VideoStatus::Completed)
        })
        .unwrap();
        assert_eq!(
            published.outcome,
            Outcome::Published {
                title: "How SSDs work".into(),
                url
            }
        );
        let failed = RecentVideo::from_video(Video {
            stage: Some(Stage::Audio),
            error_message: Some("TTS quota".into()),
            ..video(VideoStatus::Failed)
        })
        .unwrap();
        assert_eq!(
            failed.outcome,
            Outcome::Failed {
                stage: Stage::Audio,
                message: "TTS quota".into()
            }
        );
    }

    #[test]
    fn a_completed_video_without_its_url_is_not_listed() {
        assert_eq!(RecentVideo::from_video(video(VideoStatus::Completed)), None);
    }
}
