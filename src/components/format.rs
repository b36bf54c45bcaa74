//! How numbers read on screen, shared by the components.

use ytempire_protocol::Usd;

/// `$1,234.50`.
pub fn usd(amount: Usd) -> String {
    signed_usd(amount.get())
}

/// Like [`usd`] but for amounts that may be negative (remaining budget).
pub fn signed_usd(amount: f64) -> String {
    let cents = (amount.abs() * 100.0).round() as u64;
    let sign = if amount < 0.0 && cents > 0 { "-" } else { "" };
    format!("{sign}${}.{:02}", grouped(cents / 100), cents % 100)
}

/// `12,345`.
pub fn count(n: u32) -> String {
    grouped(u64::from(n))
}

/// Like [`count`] for sums that may outgrow `u32`.
pub fn count_u64(n: u64) -> String {
    grouped(n)
}

fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// Milliseconds, rounded: `42 ms`.
pub fn millis(ms: f64) -> String {
    format!("{ms:.0} ms")
}

/// Dollars for axis ticks and tight spaces: `$0`, `$950`, `$1.2K`, `$3.4M`;
/// amounts under ten dollars keep their cents unless they are whole.
pub fn usd_compact(amount: f64) -> String {
    if amount.abs() < 10.0 && amount.fract() != 0.0 {
        signed_usd(amount)
    } else {
        let sign = if amount < 0.0 { "-" } else { "" };
        format!("{sign}${}", compact(amount.abs()))
    }
}

/// A number in four characters or so: `950`, `1.2K`, `12K`, `3.4M`.
pub fn compact(n: f64) -> String {
    const UNITS: [(f64, &str); 3] = [(1e9, "B"), (1e6, "M"), (1e3, "K")];
    match UNITS.iter().find(|(size, _)| n.abs() >= *size) {
        Some((size, unit)) => format!("{}{unit}", one_decimal(n / size)),
        None => one_decimal(n),
    }
}

/// A ratio as a whole percentage: `0.724` → `72%`.
pub fn percent(ratio: f64) -> String {
    format!("{:.0}%", ratio * 100.0)
}

/// How long ago: `just now`, `12 s ago`, `2 min ago`, `3 h ago`, `2 d ago`.
pub fn ago(elapsed: std::time::Duration) -> String {
    match elapsed.as_secs() {
        0..5 => "just now".to_owned(),
        secs @ 5..60 => format!("{secs} s ago"),
        secs @ 60..3600 => format!("{} min ago", secs / 60),
        secs @ 3600..86_400 => format!("{} h ago", secs / 3600),
        secs => format!("{} d ago", secs / 86_400),
    }
}

/// A duration in the units people think in: `850 ms`, `4.2 s`, `3 min 5 s`.
pub fn duration(d: std::time::Duration) -> String {
    match d.as_millis() {
        ms @ 0..1000 => format!("{ms} ms"),
        ms @ 1000..60_000 => format!("{} s", one_decimal(ms as f64 / 1000.0)),
        ms => format!("{} min {} s", ms / 60_000, ms / 1000 % 60),
    }
}

/// A day for chart axes: `Nov 25`.
pub fn short_date(date: ytempire_protocol::Date) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let iso = date.to_string();
    let month: usize = iso[5..7].parse().unwrap_or(1);
    let day: u32 = iso[8..10].parse().unwrap_or(1);
    format!("{} {day}", MONTHS[month.clamp(1, 12) - 1])
}

/// One decimal, dropped when it is zero or the number is 10 or more.
fn one_decimal(x: f64) -> String {
    let rounded = (x * 10.0).round() / 10.0;
    if rounded.abs() >= 10.0 || rounded.fract() == 0.0 {
        format!("{}", rounded.round() as i64)
    } else {
        format!("{rounded:.1}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_and_counts() {
        assert_eq!(usd(Usd::new(0.0).unwrap()), "$0.00");
        assert_eq!(usd(Usd::new(1234.5).unwrap()), "$1,234.50");
        assert_eq!(usd(Usd::new(0.005).unwrap()), "$0.01");
        assert_eq!(signed_usd(-3.2), "-$3.20");
        assert_eq!(signed_usd(-0.001), "$0.00");
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(1_000), "1,000");
        assert_eq!(count(1_234_567), "1,234,567");
        assert_eq!(millis(41.6), "42 ms");
    }

    #[test]
    fn compact_numbers_for_chart_axes() {
        assert_eq!(usd_compact(2.5), "$2.50");
        assert_eq!(usd_compact(0.0), "$0");
        assert_eq!(usd_compact(5.0), "$5");
        assert_eq!(usd_compact(950.0), "$950");
        assert_eq!(usd_compact(1_250.0), "$1.3K");
        assert_eq!(usd_compact(3_400_000.0), "$3.4M");
        assert_eq!(compact(0.5), "0.5");
        assert_eq!(compact(1000.0), "1K");
        assert_eq!(compact(12_345.0), "12K");
        assert_eq!(percent(0.724), "72%");
    }

    #[test]
    fn short_dates_name_the_month() {
        let date = |s| ytempire_protocol::Date::parse(s).unwrap();
        assert_eq!(short_date(date("2026-11-05")), "Nov 5");
        assert_eq!(short_date(date("2027-01-31")), "Jan 31");
    }

    #[test]
    fn relative_times_and_durations_read_naturally() {
        use std::time::Duration;
        let s = Duration::from_secs;
        assert_eq!(ago(s(4)), "just now");
        assert_eq!(ago(s(12)), "12 s ago");
        assert_eq!(ago(s(125)), "2 min ago");
        assert_eq!(ago(s(3 * 3600 + 59)), "3 h ago");
        assert_eq!(ago(s(2 * 86_400 + 5)), "2 d ago");
        assert_eq!(duration(Duration::from_millis(850)), "850 ms");
        assert_eq!(duration(Duration::from_millis(4_230)), "4.2 s");
        assert_eq!(duration(Duration::from_millis(185_000)), "3 min 5 s");
    }
}
