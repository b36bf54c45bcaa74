//! Mapping data onto the drawing box: linear scales, round-number ticks and
//! evenly spread positions. Charts draw in a 100 × 100 box stretched to the
//! element, so every position is also a CSS percentage for the HTML labels.

/// The drawing box's size in both directions.
pub const BOX: f64 = 100.0;

/// Maps a data interval onto a drawing interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Linear {
    domain: (f64, f64),
    range: (f64, f64),
}

impl Linear {
    pub const fn new(domain: (f64, f64), range: (f64, f64)) -> Self {
        Self { domain, range }
    }

    /// A value axis from 0 at the bottom of the box to `max` at the top.
    pub const fn upward(max: f64) -> Self {
        Self::new((0.0, max), (BOX, 0.0))
    }

    pub fn map(&self, value: f64) -> f64 {
        let (d0, d1) = self.domain;
        let (r0, r1) = self.range;
        if d1 == d0 {
            return (r0 + r1) / 2.0;
        }
        r0 + (value - d0) / (d1 - d0) * (r1 - r0)
    }
}

/// About `count` round-number ticks from 0 up to at least `max`
/// (`0, 5, 10, 15`; `0, 0.2, …, 1`). The last tick is the axis maximum.
pub fn nice_ticks(max: f64, count: usize) -> Vec<f64> {
    if !max.is_finite() || max <= 0.0 {
        return vec![0.0, 1.0];
    }
    let raw = max / count.max(1) as f64;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .map(|m| m * magnitude)
        .find(|step| *step >= raw)
        .unwrap_or(10.0 * magnitude);
    let steps = (max / step - 1e-9).ceil() as usize;
    (0..=steps).map(|i| i as f64 * step).collect()
}

/// Where point `i` of `n` sits along the box: the ends of the axis for the
/// first and last, the middle for a lone point.
pub fn spread(i: usize, n: usize) -> f64 {
    if n <= 1 {
        BOX / 2.0
    } else {
        i as f64 / (n - 1) as f64 * BOX
    }
}

/// Slot `i` of `n` equal slots across the box, as (start, width), with
/// `gap` (0 to 1) of each slot left empty, split around the bar.
pub fn band(i: usize, n: usize, gap: f64) -> (f64, f64) {
    let slot = BOX / n.max(1) as f64;
    (i as f64 * slot + slot * gap / 2.0, slot * (1.0 - gap))
}

/// Label every `stride`-th category so that at most `max_labels` show:
/// thirty days fit on a phone as six dates.
pub fn label_stride(n: usize, max_labels: usize) -> usize {
    n.div_ceil(max_labels.max(1)).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn linear_maps_both_ends_and_flat_domains() {
        let s = Linear::upward(50.0);
        assert!(close(s.map(0.0), 100.0));
        assert!(close(s.map(50.0), 0.0));
        assert!(close(s.map(25.0), 50.0));
        assert!(close(Linear::new((3.0, 3.0), (0.0, 10.0)).map(3.0), 5.0));
    }

    #[test]
    fn ticks_are_round_and_cover_the_maximum() {
        assert_eq!(nice_ticks(14.0, 4), [0.0, 5.0, 10.0, 15.0]);
        assert_eq!(nice_ticks(100.0, 4), [0.0, 25.0, 50.0, 75.0, 100.0]);
        assert_eq!(nice_ticks(7.3, 5), [0.0, 2.0, 4.0, 6.0, 8.0]);
        let fractions = nice_ticks(1.0, 5);
        assert_eq!(fractions.len(), 6);
        assert!(close(*fractions.last().unwrap(), 1.0));
        assert_eq!(nice_ticks(0.0, 4), [0.0, 1.0]);
        assert_eq!(nice_ticks(f64::NAN, 4), [0.0, 1.0]);
    }

    #[test]
    fn points_spread_end_to_end() {
        assert!(close(spread(0, 1), 50.0));
        assert!(close(spread(0, 5), 0.0));
        assert!(close(spread(4, 5), 100.0));
        assert!(close(spread(2, 5), 50.0));
    }

    #[test]
    fn bands_split_the_box_with_gaps() {
        let (x, w) = band(1, 4, 0.2);
        assert!(close(x, 27.5));
        assert!(close(w, 20.0));
        let (x, w) = band(0, 1, 0.0);
        assert!(close(x, 0.0) && close(w, 100.0));
    }

    #[test]
    fn label_stride_keeps_labels_readable() {
        assert_eq!(label_stride(30, 6), 5);
        assert_eq!(label_stride(31, 6), 6);
        assert_eq!(label_stride(4, 6), 1);
        assert_eq!(label_stride(0, 6), 1);
    }
}
