//! Stacking values: columns of segments, and one bar split into shares.

/// For each category, each series' segment as (bottom, top) in data units,
/// stacked in series order. Negative values count as zero: these are costs
/// and counts.
pub fn stack(categories: &[Vec<f64>]) -> Vec<Vec<(f64, f64)>> {
    categories
        .iter()
        .map(|values| {
            let mut top = 0.0;
            values
                .iter()
                .map(|v| {
                    let bottom = top;
                    top += v.max(0.0);
                    (bottom, top)
                })
                .collect()
        })
        .collect()
}

/// The tallest stack, for the value axis.
pub fn max_total(categories: &[Vec<f64>]) -> f64 {
    categories
        .iter()
        .map(|values| values.iter().map(|v| v.max(0.0)).sum::<f64>())
        .fold(0.0, f64::max)
}

/// Each value's share of the total as (start, width) in percent; all zeros
/// when there is nothing to share.
pub fn shares(values: &[f64]) -> Vec<(f64, f64)> {
    let total: f64 = values.iter().map(|v| v.max(0.0)).sum();
    let mut start = 0.0;
    values
        .iter()
        .map(|v| {
            let width = if total > 0.0 {
                v.max(0.0) / total * 100.0
            } else {
                0.0
            };
            let segment = (start, width);
            start += width;
            segment
        })
        .collect()
}

/// Each value as a percentage of the largest, for bars that share a scale.
pub fn relative(values: &[f64]) -> Vec<f64> {
    let max = values.iter().copied().fold(0.0, f64::max);
    values
        .iter()
        .map(|v| {
            if max > 0.0 {
                v.max(0.0) / max * 100.0
            } else {
                0.0
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_stack_in_series_order() {
        let stacked = stack(&[vec![1.0, 2.0, 3.0], vec![4.0, -1.0, 0.5]]);
        assert_eq!(stacked[0], [(0.0, 1.0), (1.0, 3.0), (3.0, 6.0)]);
        assert_eq!(stacked[1], [(0.0, 4.0), (4.0, 4.0), (4.0, 4.5)]);
        assert_eq!(max_total(&[vec![1.0, 2.0, 3.0], vec![4.0, -1.0, 0.5]]), 6.0);
        assert_eq!(max_total(&[]), 0.0);
    }

    #[test]
    fn shares_fill_the_bar() {
        assert_eq!(shares(&[1.0, 3.0]), [(0.0, 25.0), (25.0, 75.0)]);
        assert_eq!(shares(&[0.0, 0.0]), [(0.0, 0.0), (0.0, 0.0)]);
    }

    #[test]
    fn bars_are_relative_to_the_largest() {
        assert_eq!(relative(&[5.0, 10.0, 0.0]), [50.0, 100.0, 0.0]);
        assert_eq!(relative(&[0.0]), [0.0]);
    }
}
