//! Pictures and tables of MLP Zoo runs: SVG line charts, decision boundaries, Markdown tables, and the splice
//! that puts a generated section into a README.
//!
//! The crate knows nothing of Burn or of training: it draws the numbers it is given.

mod error;
pub mod plot;
pub mod section;
pub mod table;

pub use error::ReportError;
pub use plot::{Boundary, Series, decision_boundary, line_chart};
pub use section::{SpliceError, splice};
pub use table::markdown_table;
