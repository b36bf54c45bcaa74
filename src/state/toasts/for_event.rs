//! The toast each real-time event raises, as the product defines it.

use std::time::Duration;

use ytempire_protocol::{AlertLevel, EventBody};

use super::queue::{ToastAction, ToastLevel, ToastSpec};

const COMPLETED_LIFETIME: Duration = Duration::from_secs(5);
const FAILED_LIFETIME: Duration = Duration::from_secs(10);
const ALERT_LIFETIME: Duration = Duration::from_secs(10);

pub fn toast_for(body: &EventBody) -> ToastSpec {
    match body {
        EventBody::VideoCompleted(e) => ToastSpec::new(
            ToastLevel::Success,
            "Video Completed",
            format!("\"{}\" published to {}", e.title, e.channel_name),
            Some(COMPLETED_LIFETIME),
        )
        .with_link(e.url.clone()),
        EventBody::VideoFailed(e) => {
            let toast = ToastSpec::new(
                ToastLevel::Error,
                "Video Generation Failed",
                format!("Failed at {}: {}", e.error.stage.as_str(), e.error.message),
                Some(FAILED_LIFETIME),
            );
            if e.error.retryable {
                toast.with_action(ToastAction::RetryVideo(e.video_id.clone()))
            } else {
                toast
            }
        }
        EventBody::CostAlert(e) => {
            let (level, title, lifetime) = match e.level {
                AlertLevel::Warning => (ToastLevel::Warning, "Cost Warning", Some(ALERT_LIFETIME)),
                AlertLevel::Critical => (ToastLevel::Error, "Cost Critical", Some(ALERT_LIFETIME)),
                AlertLevel::Limit => (ToastLevel::Error, "Cost Limit Reached", None),
            };
            ToastSpec::new(level, title, e.message.clone(), lifetime)
                .with_action(ToastAction::ViewCosts)
        }
    }
}

#[cfg(test)]
mod tests {
    use ytempire_protocol::{
        CostAlert, FailureDetails, HttpUrl, Id, Stage, Timestamp, Usd, VideoCompleted, VideoFailed,
    };

    use super::*;

    fn failed(retryable: bool) -> EventBody {
        EventBody::VideoFailed(VideoFailed {
            video_id: Id::new("v-9").unwrap(),
            channel_id: Id::new("c-1").unwrap(),
            channel_name: "Tech".into(),
            error: FailureDetails {
                stage: Stage::Audio,
                message: "TTS quota exceeded".into(),
                retryable,
            },
            cost: Usd::new(0.1).unwrap(),
            timestamp: Timestamp::from_millis(0),
            attempt: None,
        })
    }

    fn alert(level: AlertLevel) -> EventBody {
        EventBody::CostAlert(CostAlert {
            level,
            current_cost: Usd::new(45.0).unwrap(),
            threshold: Usd::new(40.0).unwrap(),
            message: "Daily cost at 90%".into(),
            remaining_budget: 5.0,
            projected_daily_cost: Usd::new(60.0).unwrap(),
            timestamp: Timestamp::from_millis(0),
        })
    }

    #[test]
    fn completed_video() {
        let toast = toast_for(&EventBody::VideoCompleted(VideoCompleted {
            video_id: Id::new("v-1").unwrap(),
            channel_id: Id::new("c-1").unwrap(),
            channel_name: "Tech Daily".into(),
            title: "<b>Rust</b> in 100 seconds".into(),
            url: HttpUrl::new("https://youtube.com/watch?v=1").unwrap(),
            cost: Usd::new(0.42).unwrap(),
            generation_time: 300.0,
            timestamp: Timestamp::from_millis(0),
            attempt: None,
        }));
        assert_eq!(toast.level, ToastLevel::Success);
        assert_eq!(toast.title, "Video Completed");
        assert_eq!(
            toast.message,
            "\"<b>Rust</b> in 100 seconds\" published to Tech Daily"
        );
        assert_eq!(toast.lifetime, Some(Duration::from_secs(5)));
        assert!(toast.link.is_some());
    }

    #[test]
    fn failed_video_offers_retry_only_when_retryable() {
        let toast = toast_for(&failed(true));
        assert_eq!(toast.level, ToastLevel::Error);
        assert_eq!(toast.title, "Video Generation Failed");
        assert_eq!(toast.message, "Failed at audio: TTS quota exceeded");
        assert_eq!(toast.lifetime, Some(Duration::from_secs(10)));
        assert_eq!(
            toast.action,
            Some(ToastAction::RetryVideo(Id::new("v-9").unwrap()))
        );
        assert_eq!(toast_for(&failed(false)).action, None);
    }

    #[test]
    fn cost_alert_severity_and_stickiness() {
        let warning = toast_for(&alert(AlertLevel::Warning));
        assert_eq!(warning.level, ToastLevel::Warning);
        assert_eq!(warning.lifetime, Some(Duration::from_secs(10)));
        assert_eq!(warning.action, Some(ToastAction::ViewCosts));

        let critical = toast_for(&alert(AlertLevel::Critical));
        assert_eq!(critical.level, ToastLevel::Error);
        assert_eq!(critical.lifetime, Some(Duration::from_secs(10)));

        let limit = toast_for(&alert(AlertLevel::Limit));
        assert_eq!(limit.level, ToastLevel::Error);
        assert_eq!(limit.lifetime, None);
        assert_eq!(limit.message, "Daily cost at 90%");
    }
}
