//! SVG path data for lines and areas.

use std::fmt::Write;

/// A polyline through `points`; a `None` breaks the line, so a day without
/// data shows as a gap instead of a made-up zero, and a point between two
/// gaps shows as a dot.
pub fn line(points: &[Option<(f64, f64)>]) -> String {
    let mut d = String::new();
    for run in points.split(Option::is_none) {
        for (i, (x, y)) in run.iter().flatten().enumerate() {
            let cmd = if i == 0 { 'M' } else { 'L' };
            let _ = write!(d, "{cmd}{},{}", short(*x), short(*y));
        }
        // A lone point draws as a dot: a zero-length segment with round caps.
        if run.len() == 1 {
            d.push_str("h0");
        }
    }
    d
}

/// The region between a line through `points` and the horizontal line at
/// `baseline`, one closed shape per unbroken run of points.
pub fn area(points: &[Option<(f64, f64)>], baseline: f64) -> String {
    let mut d = String::new();
    for run in points.split(Option::is_none) {
        let run: Vec<(f64, f64)> = run.iter().flatten().copied().collect();
        let (Some(first), Some(last)) = (run.first(), run.last()) else {
            continue;
        };
        let _ = write!(d, "M{},{}", short(first.0), short(baseline));
        for (x, y) in &run {
            let _ = write!(d, "L{},{}", short(*x), short(*y));
        }
        let _ = write!(d, "L{},{}Z", short(last.0), short(baseline));
    }
    d
}

/// At most two decimals and no trailing zeros: the box is 100 wide, so a
/// hundredth is far below a pixel, and shorter paths mean a smaller DOM.
pub fn short(x: f64) -> String {
    let s = format!("{x:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_owned()
    } else {
        s.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short() {
        assert_eq!(short(12.0), "12");
        assert_eq!(short(12.5), "12.5");
        assert_eq!(short(1.0 / 3.0), "0.33");
        assert_eq!(short(-0.001), "0");
    }

    #[test]
    fn a_line_moves_then_draws() {
        let d = line(&[Some((0.0, 100.0)), Some((50.0, 25.0)), Some((100.0, 0.0))]);
        assert_eq!(d, "M0,100L50,25L100,0");
    }

    #[test]
    fn missing_points_break_the_line() {
        let d = line(&[
            Some((0.0, 1.0)),
            None,
            Some((50.0, 2.0)),
            Some((100.0, 3.0)),
        ]);
        assert_eq!(d, "M0,1h0M50,2L100,3");
        assert_eq!(line(&[None, None]), "");
        assert_eq!(line(&[None, Some((50.0, 2.0)), None]), "M50,2h0");
    }

    #[test]
    fn an_area_closes_each_run_on_the_baseline() {
        let d = area(&[Some((0.0, 40.0)), Some((100.0, 20.0))], 100.0);
        assert_eq!(d, "M0,100L0,40L100,20L100,100Z");
        let gappy = area(&[Some((0.0, 40.0)), None, Some((100.0, 20.0))], 100.0);
        assert_eq!(gappy, "M0,100L0,40L0,100ZM100,100L100,20L100,100Z");
    }
}
