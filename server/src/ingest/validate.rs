//! Checks on pipeline reports beyond what their types already enforce
//! (ids, URLs, amounts and timestamps validate while parsing).

use ytempire_protocol::{PipelineEvent, Usd};

use crate::error::AppError;

const MAX_TITLE_CHARS: usize = 300;
const MAX_NAME_CHARS: usize = 200;
const MAX_MESSAGE_CHARS: usize = 2000;

pub fn validate(event: &PipelineEvent) -> Result<(), AppError> {
    match event {
        PipelineEvent::VideoStarted(e) => text("payload.title", &e.title, MAX_TITLE_CHARS),
        PipelineEvent::VideoCompleted(e) => {
            text("payload.title", &e.title, MAX_TITLE_CHARS)?;
            text("payload.channelName", &e.channel_name, MAX_NAME_CHARS)?;
            cost(e.cost)?;
            if !(e.generation_time.is_finite() && e.generation_time >= 0.0) {
                return Err(AppError::bad_field(
                    "payload.generationTime",
                    "must be a finite number of seconds, at least 0",
                ));
            }
            Ok(())
        }
        PipelineEvent::VideoFailed(e) => {
            text("payload.channelName", &e.channel_name, MAX_NAME_CHARS)?;
            text("payload.error.message", &e.error.message, MAX_MESSAGE_CHARS)?;
            cost(e.cost)
        }
    }
}

/// One video's cost is bounded so that no report can push the day's sums
/// (in `i64` micro-dollars) anywhere near overflow.
fn cost(amount: Usd) -> Result<(), AppError> {
    if amount > Usd::MAX_REPORT_COST {
        Err(AppError::bad_field(
            "payload.cost",
            format!("must be at most ${} per report", Usd::MAX_REPORT_COST.get()),
        ))
    } else {
        Ok(())
    }
}

fn text(field: &str, value: &str, max_chars: usize) -> Result<(), AppError> {
    if value.trim().is_empty() {
        Err(AppError::bad_field(field, "must not be empty"))
    } else if value.chars().count() > max_chars {
        Err(AppError::bad_field(
            field,
            format!("must be at most {max_chars} characters"),
        ))
    } else {
        Ok(())
    }
}
