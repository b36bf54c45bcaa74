//! What simulated videos look like: costs mostly $0.20–0.50 (about one in
//! seven above the $0.40 alert threshold), about 7 % of videos failing at a
//! random stage.

use rand::Rng;
use rand::seq::IndexedRandom;
use ytempire_protocol::{
    Attempt, ClaimedRetry, FailureDetails, HttpUrl, Id, PipelineEvent, Stage, Timestamp, Usd,
    VideoCompleted, VideoFailed,
};

use crate::ids::random_id;
use crate::store::channels::ChannelRow;

const FAILURE_RATE: f64 = 0.07;
/// Cost bands as (share, low, high): most videos stay under the $0.40 alert
/// threshold, some go over it, a few are expensive.
const COST_BANDS: [(f64, f64, f64); 3] =
    [(0.85, 0.20, 0.40), (0.10, 0.40, 0.50), (0.05, 0.50, 0.80)];

const TOPICS: [&str; 10] = [
    "AI Tools",
    "Budget Travel",
    "Home Workouts",
    "Stock Market Basics",
    "Street Food",
    "Space Facts",
    "Productivity Hacks",
    "Retro Games",
    "Healthy Breakfasts",
    "Electric Cars",
];
const FORMATS: [&str; 5] = [
    "Top 10",
    "Beginner's Guide to",
    "5 Myths About",
    "The Truth About",
    "Quick Tips:",
];
const FAILURES: [(Stage, &str); 4] = [
    (Stage::Script, "Script model timed out"),
    (Stage::Audio, "TTS quota exceeded"),
    (Stage::Video, "Render worker ran out of memory"),
    (Stage::Upload, "YouTube API rate limit"),
];

/// A simulated video between its start and its outcome.
#[derive(Debug, Clone)]
pub struct InFlight {
    pub video_id: Id,
    pub channel_id: Id,
    pub channel_name: String,
    pub title: String,
    /// The attempt every report on this run names.
    pub attempt: Attempt,
    /// The simulator step at which the video finishes.
    pub due_step: u64,
}

impl InFlight {
    /// A new video on `channel` starting at `step`.
    pub fn new_video(channel: &ChannelRow, step: u64, rng: &mut impl Rng) -> Self {
        InFlight {
            video_id: random_id("sim"),
            channel_id: channel.id.clone(),
            channel_name: channel.name.clone(),
            title: title(rng),
            attempt: Attempt::FIRST,
            due_step: due(step, rng),
        }
    }

    /// A retry the simulator claimed, starting at `step`.
    pub fn retry(retry: ClaimedRetry, step: u64, rng: &mut impl Rng) -> Self {
        InFlight {
            video_id: retry.video_id,
            channel_id: retry.channel_id,
            channel_name: retry.channel_name,
            title: retry.title,
            attempt: retry.attempt,
            due_step: due(step, rng),
        }
    }
}

/// One to three steps after `step`.
fn due(step: u64, rng: &mut impl Rng) -> u64 {
    step + rng.random_range(1..=3)
}

fn title(rng: &mut impl Rng) -> String {
    let format = FORMATS.choose(rng).copied().unwrap_or("Top 10");
    let topic = TOPICS.choose(rng).copied().unwrap_or("AI Tools");
    format!("{format} {topic}")
}

pub fn cost(rng: &mut impl Rng) -> Usd {
    let mut pick = rng.random_range(0.0..1.0);
    let (_, low, high) = COST_BANDS
        .into_iter()
        .find(|(share, _, _)| {
            pick -= share;
            pick < 0.0
        })
        .unwrap_or(COST_BANDS[0]);
    Usd::new((rng.random_range(low..high) * 100.0_f64).round() / 100.0).unwrap_or(Usd::ZERO)
}

/// The outcome report of a video: mostly completed, sometimes failed at a
/// stage, having spent part of what the whole video would have.
pub fn finish(rng: &mut impl Rng, video: &InFlight, now: Timestamp) -> PipelineEvent {
    let full_cost = cost(rng);
    if rng.random_bool(FAILURE_RATE) {
        let index = rng.random_range(0..FAILURES.len());
        let (stage, message) = FAILURES[index];
        // Later stages fail after more of the money is spent.
        let share = (index + 1) as f64 / (FAILURES.len() + 1) as f64;
        return PipelineEvent::VideoFailed(VideoFailed {
            video_id: video.video_id.clone(),
            channel_id: video.channel_id.clone(),
            channel_name: video.channel_name.clone(),
            error: FailureDetails {
                stage,
                message: message.to_owned(),
                retryable: rng.random_bool(0.7),
            },
            cost: Usd::new((full_cost.get() * share * 100.0).round() / 100.0).unwrap_or(Usd::ZERO),
            timestamp: now,
            attempt: Some(video.attempt),
        });
    }
    let url = format!("https://www.youtube.com/watch?v={}", video.video_id);
    PipelineEvent::VideoCompleted(VideoCompleted {
        video_id: video.video_id.clone(),
        channel_id: video.channel_id.clone(),
        channel_name: video.channel_name.clone(),
        title: video.title.clone(),
        url: HttpUrl::new(url).unwrap_or_else(|_| {
            HttpUrl::new("https://www.youtube.com/").expect("a valid constant URL")
        }),
        cost: full_cost,
        generation_time: rng.random_range(60.0..300.0_f64).round(),
        timestamp: now,
        attempt: Some(video.attempt),
    })
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    use super::*;

    fn video() -> InFlight {
        InFlight {
            video_id: Id::new("sim-1").unwrap(),
            channel_id: Id::new("ch-1").unwrap(),
            channel_name: "Tech".into(),
            title: "T".into(),
            attempt: Attempt::FIRST,
            due_step: 1,
        }
    }

    #[test]
    fn costs_are_mostly_between_twenty_and_fifty_cents() {
        let mut rng = StdRng::seed_from_u64(7);
        let costs: Vec<f64> = (0..2000).map(|_| cost(&mut rng).get()).collect();
        let typical = costs.iter().filter(|c| (0.20..=0.50).contains(*c)).count();
        assert!(typical > 1700, "{typical} of 2000 typical");
        assert!(costs.iter().all(|c| (0.20..=0.80).contains(c)));
    }

    #[test]
    fn some_videos_fail_at_every_stage() {
        let mut rng = StdRng::seed_from_u64(11);
        let now = Timestamp::from_millis(0);
        let mut stages = Vec::new();
        let mut failures = 0;
        for _ in 0..2000 {
            if let PipelineEvent::VideoFailed(f) = finish(&mut rng, &video(), now) {
                failures += 1;
                stages.push(f.error.stage);
            }
        }
        assert!(
            (100..=200).contains(&failures),
            "{failures} failures of 2000"
        );
        for stage in Stage::ALL {
            assert!(stages.contains(&stage), "no failure at {stage:?}");
        }
    }

    #[test]
    fn outcomes_name_the_attempt_of_the_run() {
        let mut rng = StdRng::seed_from_u64(5);
        let retried = InFlight {
            attempt: Attempt::new(3).unwrap(),
            ..video()
        };
        for _ in 0..200 {
            let report = finish(&mut rng, &retried, Timestamp::from_millis(0));
            assert_eq!(report.attempt(), Attempt::new(3));
        }
    }

    #[test]
    fn reports_pass_the_url_check() {
        let mut rng = StdRng::seed_from_u64(3);
        let now = Timestamp::parse("2026-11-25T10:00:00Z").unwrap();
        let report = serde_json::to_string(&finish(&mut rng, &video(), now));
        assert!(serde_json::from_str::<PipelineEvent>(&report.unwrap()).is_ok());
    }
}
