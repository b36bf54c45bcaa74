//! Chart geometry as plain data: everything a chart component draws, worked
//! out from the numbers alone, so it is tested natively and the components
//! only turn it into elements.

use super::path;
use super::scale::{BOX, Linear, band, label_stride, nice_ticks, spread};
use super::stack::{max_total, stack};

/// At most this many category labels along the bottom: six dates still fit
/// on a 360 px phone.
const MAX_X_LABELS: usize = 6;
/// Roughly this many value ticks up the side.
const Y_TICKS: usize = 4;

/// One named row of values; `None` is a gap (no data that day).
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub name: String,
    pub values: Vec<Option<f64>>,
}

impl Series {
    pub fn new(name: impl Into<String>, values: impl IntoIterator<Item = Option<f64>>) -> Self {
        Self {
            name: name.into(),
            values: values.into_iter().collect(),
        }
    }

    /// A series without gaps.
    pub fn full(name: impl Into<String>, values: impl IntoIterator<Item = f64>) -> Self {
        Self::new(name, values.into_iter().map(Some))
    }

    fn value(&self, i: usize) -> Option<f64> {
        self.values.get(i).copied().flatten()
    }
}

/// A label at a position along an axis, in percent of the box.
#[derive(Debug, Clone, PartialEq)]
pub struct Tick {
    pub at: f64,
    pub label: String,
}

/// An invisible full-height strip over one category that carries its tooltip.
#[derive(Debug, Clone, PartialEq)]
pub struct HitArea {
    pub x: f64,
    pub width: f64,
    pub tooltip: String,
}

/// One drawn rectangle of a column chart, coloured by its series.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub series: usize,
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

/// What every chart draws around its marks: axis labels, grid and the
/// hover strips.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Frame {
    pub y_ticks: Vec<Tick>,
    pub x_ticks: Vec<Tick>,
    pub hits: Vec<HitArea>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct LineLayout {
    pub frame: Frame,
    /// Per series: (line path, area path).
    pub paths: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ColumnLayout {
    pub frame: Frame,
    pub bars: Vec<Bar>,
}

fn y_axis(max: f64, format: fn(f64) -> String) -> (Linear, Vec<Tick>) {
    let ticks = nice_ticks(max, Y_TICKS);
    let top = ticks.last().copied().unwrap_or(1.0);
    let scale = Linear::upward(top);
    let ticks = ticks
        .into_iter()
        .map(|t| Tick {
            at: scale.map(t),
            label: format(t),
        })
        .collect();
    (scale, ticks)
}

fn x_ticks(labels: &[String], at: impl Fn(usize) -> f64) -> Vec<Tick> {
    let stride = label_stride(labels.len(), MAX_X_LABELS);
    labels
        .iter()
        .enumerate()
        .step_by(stride)
        .map(|(i, label)| Tick {
            at: at(i),
            label: label.clone(),
        })
        .collect()
}

/// The tooltip of category `i`: its label, then each series' value.
fn tooltip(label: &str, series: &[Series], i: usize, format: fn(f64) -> String) -> String {
    let mut text = label.to_owned();
    for s in series {
        let value = s.value(i).map_or_else(|| "no data".to_owned(), format);
        text.push_str(&format!("\n{}: {value}", s.name));
    }
    text
}

/// Lines (and the areas under them) over evenly spaced categories.
pub fn line_layout(labels: &[String], series: &[Series], format: fn(f64) -> String) -> LineLayout {
    let n = labels.len();
    let max = series
        .iter()
        .flat_map(|s| s.values.iter().flatten())
        .fold(0.0, |a: f64, b| a.max(*b));
    let (y, y_ticks) = y_axis(max, format);
    let paths = series
        .iter()
        .map(|s| {
            let points: Vec<_> = (0..n)
                .map(|i| s.value(i).map(|v| (spread(i, n), y.map(v))))
                .collect();
            (path::line(&points), path::area(&points, BOX))
        })
        .collect();
    // Each point owns the strip halfway to its neighbours.
    let half = if n > 1 {
        BOX / (n - 1) as f64 / 2.0
    } else {
        BOX / 2.0
    };
    let hits = labels
        .iter()
        .enumerate()
        .map(|(i, label)| {
            let centre = spread(i, n);
            let (left, right) = ((centre - half).max(0.0), (centre + half).min(BOX));
            HitArea {
                x: left,
                width: right - left,
                tooltip: tooltip(label, series, i, format),
            }
        })
        .collect();
    LineLayout {
        frame: Frame {
            y_ticks,
            x_ticks: x_ticks(labels, |i| spread(i, n)),
            hits,
        },
        paths,
    }
}

/// Columns, one per category, each stacking the series in order.
pub fn column_layout(
    labels: &[String],
    series: &[Series],
    format: fn(f64) -> String,
) -> ColumnLayout {
    let n = labels.len();
    let categories: Vec<Vec<f64>> = (0..n)
        .map(|i| series.iter().map(|s| s.value(i).unwrap_or(0.0)).collect())
        .collect();
    let (y, y_ticks) = y_axis(max_total(&categories), format);
    let gap = if n > 1 { 0.25 } else { 0.6 };
    let mut bars = Vec::new();
    for (i, segments) in stack(&categories).into_iter().enumerate() {
        let (x, width) = band(i, n, gap);
        for (s, (bottom, top)) in segments.into_iter().enumerate() {
            if top > bottom {
                let (y_top, y_bottom) = (y.map(top), y.map(bottom));
                bars.push(Bar {
                    series: s,
                    x,
                    y: y_top,
                    width,
                    height: y_bottom - y_top,
                });
            }
        }
    }
    let centre = |i| {
        let (x, width) = band(i, n, 0.0);
        x + width / 2.0
    };
    let hits = labels
        .iter()
        .enumerate()
        .map(|(i, label)| {
            let (x, width) = band(i, n, 0.0);
            HitArea {
                x,
                width,
                tooltip: tooltip(label, series, i, format),
            }
        })
        .collect();
    ColumnLayout {
        frame: Frame {
            y_ticks,
            x_ticks: x_ticks(labels, centre),
            hits,
        },
        bars,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(x: f64) -> String {
        format!("{x}")
    }

    fn days(n: usize) -> Vec<String> {
        (1..=n).map(|d| format!("11-{d:02}")).collect()
    }

    #[test]
    fn a_line_spans_the_box_and_tops_out_at_the_last_tick() {
        let layout = line_layout(&days(3), &[Series::full("Videos", [0.0, 7.0, 14.0])], plain);
        let ticks: Vec<_> = layout
            .frame
            .y_ticks
            .iter()
            .map(|t| t.label.as_str())
            .collect();
        assert_eq!(ticks, ["0", "5", "10", "15"]);
        assert_eq!(layout.frame.y_ticks[0].at, 100.0);
        assert_eq!(layout.frame.y_ticks[3].at, 0.0);
        let (line, area) = &layout.paths[0];
        assert_eq!(line, "M0,100L50,53.33L100,6.67");
        assert!(area.starts_with("M0,100L0,100") && area.ends_with("L100,100Z"));
    }

    #[test]
    fn every_point_has_a_tooltip_naming_each_series() {
        let series = [
            Series::full("Cost", [1.0, 2.0]),
            Series::new("Revenue", [Some(3.0), None]),
        ];
        let layout = line_layout(&days(2), &series, plain);
        assert_eq!(layout.frame.hits.len(), 2);
        assert_eq!(layout.frame.hits[0].tooltip, "11-01\nCost: 1\nRevenue: 3");
        assert_eq!(
            layout.frame.hits[1].tooltip,
            "11-02\nCost: 2\nRevenue: no data"
        );
        // The strips tile the box without overlapping.
        assert_eq!(
            (layout.frame.hits[0].x, layout.frame.hits[0].width),
            (0.0, 50.0)
        );
        assert_eq!(
            (layout.frame.hits[1].x, layout.frame.hits[1].width),
            (50.0, 50.0)
        );
    }

    #[test]
    fn thirty_days_show_six_date_labels() {
        let layout = line_layout(&days(30), &[Series::full("V", vec![1.0; 30])], plain);
        assert_eq!(layout.frame.x_ticks.len(), 6);
        assert_eq!(layout.frame.x_ticks[1].label, "11-06");
    }

    #[test]
    fn empty_data_still_has_an_axis() {
        let layout = line_layout(&[], &[], plain);
        assert_eq!(layout.frame.y_ticks.len(), 2);
        assert!(layout.paths.is_empty() && layout.frame.hits.is_empty());
        let columns = column_layout(&[], &[], plain);
        assert!(columns.bars.is_empty());
    }

    #[test]
    fn columns_stack_series_bottom_up() {
        let series = [Series::full("A", [2.0, 1.0]), Series::full("B", [2.0, 0.0])];
        let layout = column_layout(&days(2), &series, plain);
        // Max total 4 → ticks 0..4, so one unit is 25 % of the height.
        assert_eq!(layout.frame.y_ticks.last().unwrap().label, "4");
        assert_eq!(layout.bars.len(), 3, "a zero segment draws nothing");
        let a0 = &layout.bars[0];
        let b0 = &layout.bars[1];
        assert_eq!((a0.series, a0.y, a0.height), (0, 50.0, 50.0));
        assert_eq!((b0.series, b0.y, b0.height), (1, 0.0, 50.0));
        assert_eq!(layout.bars[2].height, 25.0);
        assert_eq!(layout.frame.x_ticks[0].at, 25.0);
        assert_eq!(layout.frame.hits[1].tooltip, "11-02\nA: 1\nB: 0");
    }
}
