//! The marks the page reports once its first list is drawn, for the start-up benchmark.
//!
//! Only the benchmark build of the app has the command that receives them (its `bench`
//! feature) and only the benchmark build of the page sends them; the type lives here so
//! its TypeScript twin is generated and checked with the others.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Page timings in milliseconds; all but `rows`, `list_ms` and `render_ms` are measured
/// from `time_origin`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct UiMarks {
    pub rows: u32,
    /// The first list call, and the render after it.
    pub list_ms: f64,
    pub render_ms: f64,
    /// `performance.timeOrigin` (ms since the epoch): when the page started loading.
    pub time_origin: f64,
    /// HTML parsed, and the table interactive.
    pub dom_interactive: f64,
    pub interactive: f64,
    /// Script started, app mounted, event listener registered.
    pub script: f64,
    pub mounted: f64,
    pub listening: f64,
}
