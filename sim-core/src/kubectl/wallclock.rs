//! Mapping simulated time to printed wall-clock timestamps. The simulation never reads a clock:
//! a scenario's `startTime` (RFC 3339, UTC) is the date of t = 0, used only for printing.

use crate::time::SimTime;

/// Seconds since the Unix epoch of t = 0. Default: 2025-01-01T00:00:00Z.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct WallClock {
    pub epoch_seconds: i64,
}

impl Default for WallClock {
    fn default() -> Self {
        WallClock {
            epoch_seconds: 1_735_689_600,
        }
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
pub(crate) fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The inverse: (year, month, day) of a day count since 1970-01-01.
pub(crate) fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

impl WallClock {
    /// Parses `YYYY-MM-DDTHH:MM:SSZ` (UTC only, as kubesim prints UTC).
    pub fn parse_rfc3339(s: &str) -> Result<WallClock, String> {
        let err = || {
            format!(
                "invalid startTime {s:?}: expected an RFC 3339 UTC time such as \"2025-01-01T00:00:00Z\""
            )
        };
        let b = s.as_bytes();
        if b.len() != 20
            || b[4] != b'-'
            || b[7] != b'-'
            || b[10] != b'T'
            || b[13] != b':'
            || b[16] != b':'
            || b[19] != b'Z'
        {
            return Err(err());
        }
        let num = |r: std::ops::Range<usize>| s[r].parse::<i64>().map_err(|_| err());
        let (y, mo, d, h, mi, se) = (
            num(0..4)?,
            num(5..7)?,
            num(8..10)?,
            num(11..13)?,
            num(14..16)?,
            num(17..19)?,
        );
        if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || se > 60 {
            return Err(err());
        }
        Ok(WallClock {
            epoch_seconds: days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + se,
        })
    }

    fn parts(&self, t: SimTime) -> (i64, i64, i64, i64, i64, i64, i64) {
        let secs = self.epoch_seconds + (t.as_nanos() / 1_000_000_000) as i64;
        let days = secs.div_euclid(86_400);
        let rem = secs.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        let weekday = (days + 4).rem_euclid(7); // 1970-01-01 was a Thursday.
        (y, m, d, rem / 3600, rem % 3600 / 60, rem % 60, weekday)
    }

    /// Go's time.RFC1123Z, as `kubectl describe` prints Start Time and Started/Finished.
    pub fn rfc1123z(&self, t: SimTime) -> String {
        const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
        const MONTHS: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        let (y, m, d, h, mi, s, wd) = self.parts(t);
        format!(
            "{}, {:02} {} {} {:02}:{:02}:{:02} +0000",
            DAYS[wd as usize],
            d,
            MONTHS[(m - 1) as usize],
            y,
            h,
            mi,
            s
        )
    }

    /// RFC 3339 in UTC, as the API serialises timestamps.
    pub fn rfc3339(&self, t: SimTime) -> String {
        let (y, m, d, h, mi, s, _) = self.parts(t);
        format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_formats() {
        let w = WallClock::parse_rfc3339("2025-01-01T00:00:00Z").unwrap();
        assert_eq!(w, WallClock::default());
        assert_eq!(w.rfc1123z(SimTime::ZERO), "Wed, 01 Jan 2025 00:00:00 +0000");
        let t = SimTime::from_nanos(90_061 * 1_000_000_000);
        assert_eq!(w.rfc3339(t), "2025-01-02T01:01:01Z");
        let leap = WallClock::parse_rfc3339("2024-02-29T12:00:00Z").unwrap();
        assert_eq!(leap.rfc3339(SimTime::ZERO), "2024-02-29T12:00:00Z");
        assert!(WallClock::parse_rfc3339("2025-13-01T00:00:00Z").is_err());
        assert!(WallClock::parse_rfc3339("yesterday").is_err());
    }
}
