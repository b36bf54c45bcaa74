//! Which pipeline reports a video accepts in each state. This is what makes
//! ingest idempotent: a report repeated by a retrying pipeline finds the
//! video already in the state it leads to and is a duplicate, not a change.

use ytempire_protocol::{PipelineEvent, VideoStatus};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Report {
    Started,
    Completed,
    Failed,
}

impl Report {
    pub const fn of(event: &PipelineEvent) -> Self {
        match event {
            PipelineEvent::VideoStarted(_) => Report::Started,
            PipelineEvent::VideoCompleted(_) => Report::Completed,
            PipelineEvent::VideoFailed(_) => Report::Failed,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transition {
    Apply,
    Duplicate,
    Conflict(&'static str),
}

pub fn transition(current: Option<VideoStatus>, report: Report) -> Transition {
    use Report::{Completed, Failed, Started};
    use VideoStatus::{Completed as Done, Failed as Broken, Processing, Queued};
    match (current, report) {
        (None | Some(Queued), _) | (Some(Processing), Completed | Failed) => Transition::Apply,
        // A start reported after the outcome arrived late: nothing to change.
        (Some(Processing | Done | Broken), Started)
        | (Some(Done), Completed)
        | (Some(Broken), Failed) => Transition::Duplicate,
        (Some(Done), Failed) => Transition::Conflict("the video has already completed"),
        (Some(Broken), Completed) => {
            Transition::Conflict("the video has failed; retry it before completing it")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_and_queued_videos_accept_every_report() {
        for report in [Report::Started, Report::Completed, Report::Failed] {
            assert_eq!(transition(None, report), Transition::Apply);
            assert_eq!(
                transition(Some(VideoStatus::Queued), report),
                Transition::Apply
            );
        }
    }

    #[test]
    fn repeats_are_duplicates() {
        assert_eq!(
            transition(Some(VideoStatus::Processing), Report::Started),
            Transition::Duplicate
        );
        assert_eq!(
            transition(Some(VideoStatus::Completed), Report::Completed),
            Transition::Duplicate
        );
        assert_eq!(
            transition(Some(VideoStatus::Failed), Report::Failed),
            Transition::Duplicate
        );
    }

    #[test]
    fn contradicting_outcomes_conflict() {
        assert!(matches!(
            transition(Some(VideoStatus::Completed), Report::Failed),
            Transition::Conflict(_)
        ));
        assert!(matches!(
            transition(Some(VideoStatus::Failed), Report::Completed),
            Transition::Conflict(_)
        ));
    }
}
