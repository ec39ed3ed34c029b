//! Pictures, tables and pages of MLP Zoo runs: SVG figures (line figures, heatmaps, decision boundaries), the
//! self-contained HTML report page and its Markdown twin, Markdown tables, and the splice that puts a generated
//! section into a README.
//!
//! The crate knows nothing of Burn or of training: it draws the numbers it is given.

mod error;
pub mod figure;
mod number;
pub mod page;
mod palette;
pub mod plot;
pub mod section;
pub mod table;

pub use error::ReportError;
pub use figure::{Axis, Boundaries, Figure, Heatmap, Line, LineFigure, Mark, Style, draw};
pub use page::{ClaimSection, Page, html, markdown};
pub use plot::{Boundary, Series, decision_boundary, line_chart};
pub use section::{SpliceError, splice};
pub use table::markdown_table;
