//! Why an API call failed, typed so callers can react (a 401 logs out).

use std::fmt;

#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// 401: the token is missing, expired or revoked.
    Unauthorized(ytempire_protocol::ApiError),
    /// Any other non-2xx answer, with the server's JSON error body.
    Status {
        status: u16,
        body: ytempire_protocol::ApiError,
    },
    /// The request never got an answer.
    Network(String),
    /// A 2xx answer whose body is not what the contract says.
    Decode(String),
}

impl ApiError {
    /// The server's error body, or for non-JSON answers the status text.
    pub(crate) fn from_status(
        status: u16,
        status_text: String,
        body: Option<ytempire_protocol::ApiError>,
    ) -> Self {
        let body = body.unwrap_or(ytempire_protocol::ApiError {
            error: status_text,
            field: None,
        });
        if status == 401 {
            ApiError::Unauthorized(body)
        } else {
            ApiError::Status { status, body }
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiError::Unauthorized(body) | ApiError::Status { body, .. } => {
                f.write_str(&body.error)?;
                match &body.field {
                    Some(field) => write!(f, " ({field})"),
                    None => Ok(()),
                }
            }
            ApiError::Network(why) => write!(f, "network error: {why}"),
            ApiError::Decode(why) => write!(f, "unexpected response: {why}"),
        }
    }
}

impl std::error::Error for ApiError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_401_is_unauthorized_and_keeps_the_message() {
        let error = ApiError::from_status(
            401,
            "Unauthorized".into(),
            Some(ytempire_protocol::ApiError {
                error: "invalid email or password".into(),
                field: None,
            }),
        );
        assert!(matches!(error, ApiError::Unauthorized(_)));
        assert_eq!(error.to_string(), "invalid email or password");
    }

    #[test]
    fn other_statuses_name_the_field_and_fall_back_to_status_text() {
        let error = ApiError::from_status(
            400,
            "Bad Request".into(),
            Some(ytempire_protocol::ApiError {
                error: "must be positive".into(),
                field: Some("payload.cost".into()),
            }),
        );
        assert_eq!(error.to_string(), "must be positive (payload.cost)");
        let error = ApiError::from_status(502, "Bad Gateway".into(), None);
        assert_eq!(error.to_string(), "Bad Gateway");
        assert!(matches!(error, ApiError::Status { status: 502, .. }));
    }
}
