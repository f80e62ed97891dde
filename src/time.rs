/*!
Civil (wall-clock) date and time without a time zone, as cameras record them.

Capture times and session starts are compared as local wall-clock times: a photo taken at 09:30 on the day of a
session that started at 09:00 is 0.02 days in, whatever the time zone. This small type does the calendar
arithmetic (Howard Hinnant's `days_from_civil`) so the crate needs no date library.
*/

use std::fmt;

/// Seconds since 1970-01-01T00:00:00 on the wall clock (no time zone).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CivilTime(pub i64);

/// Seconds in one day.
pub const DAY: i64 = 86_400;

/// Days since 1970-01-01 of a proleptic Gregorian date.
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date (year, month, day) of a day count since 1970-01-01.
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { yoe + era * 400 + 1 } else { yoe + era * 400 }, m, d)
}

/// Days in a month of a year.
pub fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

impl CivilTime {
    /// A validated date and time; `None` when any field is out of range (month 13, 31 April, 25:00, ...).
    pub fn from_parts(y: i64, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> Option<Self> {
        let valid = (1..=9999).contains(&y)
            && (1..=12).contains(&mo)
            && d >= 1
            && d <= days_in_month(y, mo)
            && h < 24
            && mi < 60
            && s < 61;
        valid.then(|| {
            CivilTime(days_from_civil(y, mo, d) * DAY + (h as i64) * 3600 + (mi as i64) * 60 + s.min(59) as i64)
        })
    }

    /// Parses `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM` or `YYYY-MM-DDTHH:MM:SS` (a space may stand for the `T`).
    pub fn parse_iso(text: &str) -> Option<Self> {
        let t = text.trim();
        let (date, time) = match t.find(['T', ' ']) {
            Some(i) => (&t[..i], Some(&t[i + 1..])),
            None => (t, None),
        };
        let mut dp = date.split('-');
        let y = num(dp.next()?, 4)?;
        let mo = num(dp.next()?, 2)? as u32;
        let d = num(dp.next()?, 2)? as u32;
        if dp.next().is_some() {
            return None;
        }
        let (h, mi, s) = match time {
            None => (0, 0, 0),
            Some(tm) => {
                let mut tp = tm.split(':');
                let h = num(tp.next()?, 2)? as u32;
                let mi = num(tp.next()?, 2)? as u32;
                let s = match tp.next() {
                    Some(s) => num(s, 2)? as u32,
                    None => 0,
                };
                if tp.next().is_some() {
                    return None;
                }
                (h, mi, s)
            }
        };
        Self::from_parts(y, mo, d, h, mi, s)
    }

    /// From seconds since the Unix epoch (UTC), e.g. a file modification time.
    pub fn from_unix(secs: i64) -> Self {
        CivilTime(secs)
    }

    /// (year, month, day, hour, minute, second).
    pub fn parts(self) -> (i64, u32, u32, u32, u32, u32) {
        let days = self.0.div_euclid(DAY);
        let rem = self.0.rem_euclid(DAY);
        let (y, m, d) = civil_from_days(days);
        (y, m, d, (rem / 3600) as u32, ((rem % 3600) / 60) as u32, (rem % 60) as u32)
    }

    /// Fractional days from `earlier` to `self` (negative when `self` is earlier).
    pub fn days_since(self, earlier: CivilTime) -> f64 {
        (self.0 - earlier.0) as f64 / DAY as f64
    }

    /// This time plus a number of seconds.
    pub fn plus_seconds(self, secs: i64) -> Self {
        CivilTime(self.0 + secs)
    }
}

fn num(s: &str, width: usize) -> Option<i64> {
    (s.len() == width && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok())?
}

/// ISO 8601 `YYYY-MM-DDTHH:MM:SS`.
impl fmt::Display for CivilTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, mo, d, h, mi, s) = self.parts();
        write!(f, "{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_and_known_dates() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(civil_from_days(20_396), (2025, 11, 4));
        for z in [-800_000, -1, 0, 59, 60, 11_016, 20_396, 2_000_000] {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z);
        }
    }

    #[test]
    fn parses_dates_and_times() {
        let t = CivilTime::parse_iso("2026-11-04T09:30").unwrap();
        assert_eq!(t.to_string(), "2026-11-04T09:30:00");
        assert_eq!(CivilTime::parse_iso("2026-11-04").unwrap().to_string(), "2026-11-04T00:00:00");
        assert_eq!(CivilTime::parse_iso("2026-11-04 09:30:12").unwrap().to_string(), "2026-11-04T09:30:12");
        for bad in ["2026-13-01", "2026-02-30", "2026-11-4", "20261104", "2026-11-04T25:00", "", "x", "2026-11-04T09"] {
            assert!(CivilTime::parse_iso(bad).is_none(), "{bad}");
        }
        assert!(CivilTime::parse_iso("2024-02-29").is_some());
        assert!(CivilTime::parse_iso("2100-02-29").is_none());
    }

    #[test]
    fn fractional_days() {
        let a = CivilTime::parse_iso("2026-11-01T00:00").unwrap();
        let b = CivilTime::parse_iso("2026-11-04T12:00").unwrap();
        assert_eq!(b.days_since(a), 3.5);
        assert_eq!(a.days_since(b), -3.5);
    }
}
