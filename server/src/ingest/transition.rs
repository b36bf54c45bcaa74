//! Which pipeline reports a video accepts in each state. This is what makes
//! ingest idempotent: a report repeated by a retrying pipeline finds the
//! video already in the state it leads to and is a duplicate, not a change.
//! It is also what makes a Retry final: a report of an attempt the Retry
//! superseded changes nothing.

use std::fmt;

use ytempire_protocol::{Attempt, PipelineEvent, VideoStatus};

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

/// Where the video stands when a report arrives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Current {
    pub status: VideoStatus,
    pub attempt: Attempt,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transition {
    Apply,
    Duplicate,
    Conflict(Conflict),
}

/// Why a report cannot apply; each is a `409`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conflict {
    /// A Retry started a later attempt than the one reported.
    Superseded {
        reported: Attempt,
        current: Attempt,
    },
    /// The server never started the reported attempt.
    NotStarted {
        reported: Attempt,
        current: Attempt,
    },
    /// An outcome without an attempt for a video queued for retry: it may
    /// just as well be a late report of the attempt the Retry superseded.
    Unattributed {
        current: Attempt,
    },
    AlreadyCompleted,
    AlreadyFailed,
}

impl fmt::Display for Conflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Conflict::Superseded { reported, current } => write!(
                f,
                "attempt {reported} was superseded by a retry; the video is on attempt {current}"
            ),
            Conflict::NotStarted { reported, current } => write!(
                f,
                "attempt {reported} was never started; the video is on attempt {current}"
            ),
            Conflict::Unattributed { current } => write!(
                f,
                "the video is queued for retry as attempt {current}: report its start first, \
                 or name the attempt"
            ),
            Conflict::AlreadyCompleted => f.write_str("the video has already completed"),
            Conflict::AlreadyFailed => {
                f.write_str("the video has failed; retry it before completing it")
            }
        }
    }
}

/// What `report` does to a video in `current` (`None`: never seen). A
/// report without an attempt is taken to be of the current attempt.
pub fn transition(
    current: Option<Current>,
    report: Report,
    attempt: Option<Attempt>,
) -> Transition {
    let Some(current) = current else {
        return match attempt {
            Some(reported) if reported != Attempt::FIRST => {
                Transition::Conflict(Conflict::NotStarted {
                    reported,
                    current: Attempt::FIRST,
                })
            }
            _ => Transition::Apply,
        };
    };
    match attempt {
        Some(reported) if reported < current.attempt => {
            return Transition::Conflict(Conflict::Superseded {
                reported,
                current: current.attempt,
            });
        }
        Some(reported) if reported > current.attempt => {
            return Transition::Conflict(Conflict::NotStarted {
                reported,
                current: current.attempt,
            });
        }
        // Only a Retry queues a video, so an outcome naming no attempt may
        // be the late one of the failure that was retried. A start naming
        // none is the pipeline picking the retry up; after it, outcomes
        // naming none are the new attempt's.
        None if current.status == VideoStatus::Queued && report != Report::Started => {
            return Transition::Conflict(Conflict::Unattributed {
                current: current.attempt,
            });
        }
        _ => {}
    }
    by_status(current.status, report)
}

fn by_status(status: VideoStatus, report: Report) -> Transition {
    use Report::{Completed, Failed, Started};
    use VideoStatus::{Completed as Done, Failed as Broken, Processing, Queued};
    match (status, report) {
        (Queued, _) | (Processing, Completed | Failed) => Transition::Apply,
        // A start reported after the outcome arrived late: nothing to change.
        (Processing | Done | Broken, Started) | (Done, Completed) | (Broken, Failed) => {
            Transition::Duplicate
        }
        (Done, Failed) => Transition::Conflict(Conflict::AlreadyCompleted),
        (Broken, Completed) => Transition::Conflict(Conflict::AlreadyFailed),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const REPORTS: [Report; 3] = [Report::Started, Report::Completed, Report::Failed];

    fn attempt(n: u32) -> Attempt {
        Attempt::new(n).unwrap()
    }

    fn at(status: VideoStatus, n: u32) -> Option<Current> {
        Some(Current {
            status,
            attempt: attempt(n),
        })
    }

    #[test]
    fn new_videos_accept_every_report_of_the_first_attempt() {
        for report in REPORTS {
            assert_eq!(transition(None, report, None), Transition::Apply);
            assert_eq!(
                transition(None, report, Some(attempt(1))),
                Transition::Apply
            );
            assert!(matches!(
                transition(None, report, Some(attempt(2))),
                Transition::Conflict(Conflict::NotStarted { .. })
            ));
        }
    }

    #[test]
    fn queued_videos_accept_every_report_of_their_attempt() {
        for report in REPORTS {
            assert_eq!(
                transition(at(VideoStatus::Queued, 2), report, Some(attempt(2))),
                Transition::Apply
            );
        }
    }

    #[test]
    fn repeats_are_duplicates() {
        for (status, report) in [
            (VideoStatus::Processing, Report::Started),
            (VideoStatus::Completed, Report::Completed),
            (VideoStatus::Failed, Report::Failed),
        ] {
            assert_eq!(
                transition(at(status, 1), report, None),
                Transition::Duplicate
            );
            assert_eq!(
                transition(at(status, 3), report, Some(attempt(3))),
                Transition::Duplicate
            );
        }
    }

    #[test]
    fn contradicting_outcomes_conflict() {
        assert_eq!(
            transition(at(VideoStatus::Completed, 1), Report::Failed, None),
            Transition::Conflict(Conflict::AlreadyCompleted)
        );
        assert_eq!(
            transition(at(VideoStatus::Failed, 1), Report::Completed, None),
            Transition::Conflict(Conflict::AlreadyFailed)
        );
    }

    #[test]
    fn reports_of_a_superseded_attempt_conflict_in_every_state() {
        for status in VideoStatus::ALL {
            for report in REPORTS {
                assert_eq!(
                    transition(at(status, 2), report, Some(attempt(1))),
                    Transition::Conflict(Conflict::Superseded {
                        reported: attempt(1),
                        current: attempt(2)
                    }),
                    "{status:?} {report:?}"
                );
            }
        }
    }

    #[test]
    fn reports_of_a_later_attempt_than_the_current_conflict() {
        assert_eq!(
            transition(
                at(VideoStatus::Failed, 1),
                Report::Started,
                Some(attempt(2))
            ),
            Transition::Conflict(Conflict::NotStarted {
                reported: attempt(2),
                current: attempt(1)
            })
        );
    }

    #[test]
    fn a_retried_video_takes_no_outcome_naming_no_attempt_before_its_start() {
        let queued = at(VideoStatus::Queued, 2);
        for report in [Report::Completed, Report::Failed] {
            assert_eq!(
                transition(queued, report, None),
                Transition::Conflict(Conflict::Unattributed {
                    current: attempt(2)
                })
            );
        }
        assert_eq!(transition(queued, Report::Started, None), Transition::Apply);
        let started = at(VideoStatus::Processing, 2);
        assert_eq!(transition(started, Report::Failed, None), Transition::Apply);
    }
}
