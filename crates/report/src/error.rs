//! The error of drawing a plot.

/// A plot could not be drawn.
#[derive(Debug, thiserror::Error)]
#[error("cannot draw `{title}`: {message}")]
pub struct ReportError {
    /// The plot's title.
    pub title: String,
    /// What went wrong.
    pub message: String,
}
