//! A small SVG chart kit: line/area trends, stacked columns, a share bar, a
//! bar list and the budget gauge. Each chart states its numbers as text too
//! (a table, a key or a `meter`), for screen readers.
//!
//! The maths (`scale`, `path`, `stack`, `arc`, `layout`) is plain and tested
//! natively; the components only draw what it works out. A charting crate
//! would cost around 100 KiB of the dashboard's 150 KiB budget.

mod arc;
mod axes;
mod bar_list;
mod budget_gauge;
mod column_chart;
mod data_table;
mod layout;
mod line_chart;
mod path;
mod plot_frame;
mod scale;
mod share_bar;
mod stack;

pub use arc::BudgetLevel;
pub use bar_list::BarList;
pub use budget_gauge::BudgetGauge;
pub use column_chart::ColumnChart;
pub use layout::{Series, Tick};
pub use line_chart::LineChart;
pub use share_bar::{Share, ShareBar};
