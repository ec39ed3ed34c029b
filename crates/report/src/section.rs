//! Generated sections of a text file (the README's zoo table, its Performance section): the text between a begin
//! marker and an end marker, replaced by a newly rendered section.

/// Why a section could not be spliced in.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SpliceError {
    /// A marker is not in the text.
    #[error("no `{marker}` marker: add it where the generated section goes")]
    Missing {
        /// The marker looked for (trimmed).
        marker: String,
    },
    /// The end marker comes only before the begin marker.
    #[error("the `{end}` marker comes before the `{begin}` marker")]
    OutOfOrder {
        /// The begin marker (trimmed).
        begin: String,
        /// The end marker (trimmed).
        end: String,
    },
}

/// `text` with everything between the first `begin` and the next `end` after it replaced by `section`; both
/// markers are kept (`begin` is matched and written as given, so include its line break if it has one).
///
/// # Errors
///
/// [`SpliceError::Missing`] when a marker is absent, [`SpliceError::OutOfOrder`] when `end` appears only before
/// `begin`.
///
/// ```
/// use zoo_report::splice;
///
/// let text = "intro\n<!-- b -->\nold\n<!-- e -->\nrest\n";
/// assert_eq!(splice(text, "<!-- b -->\n", "<!-- e -->", "new\n")?, "intro\n<!-- b -->\nnew\n<!-- e -->\nrest\n");
/// assert!(splice("<!-- e -->\n<!-- b -->\n", "<!-- b -->\n", "<!-- e -->", "").is_err());
/// assert!(splice("no markers", "<!-- b -->\n", "<!-- e -->", "").is_err());
/// # Ok::<(), zoo_report::SpliceError>(())
/// ```
pub fn splice(text: &str, begin: &str, end: &str, section: &str) -> Result<String, SpliceError> {
    let missing = |marker: &str| SpliceError::Missing { marker: marker.trim().to_string() };
    let start = text.find(begin).ok_or_else(|| missing(begin))?;
    let after = start + begin.len();
    let Some(stop) = text[after..].find(end).map(|i| after + i) else {
        return Err(if text.contains(end) {
            SpliceError::OutOfOrder { begin: begin.trim().to_string(), end: end.trim().to_string() }
        } else {
            missing(end)
        });
    };
    Ok(format!("{}{begin}{section}{}", &text[..start], &text[stop..]))
}
