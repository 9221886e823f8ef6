//! IANA time zones on the virtual clock, for CronJob `timeZone`: Go's `time.LoadLocation` and
//! `time.Date` over jiff's bundled tz database (never the host's), so a run does not depend on
//! the machine it runs on.

use crate::kubectl::wallclock::{civil_from_days, days_from_civil};

/// A location as Go's `time.Location` (UTC or an IANA zone).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Zone(jiff::tz::TimeZone);

/// Wall-clock fields of an instant in a zone.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Civil {
    pub year: i64,
    pub month: u32,
    pub day: u32,
    /// 0 = Sunday.
    pub weekday: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
}

impl Zone {
    pub fn utc() -> Zone {
        Zone(jiff::tz::TimeZone::UTC)
    }

    /// time.LoadLocation: "" and "UTC" are UTC; other names must be in the database exactly
    /// as written (Go reads a file of that name, so case matters). Errors carry Go's text.
    pub fn load(name: &str) -> Result<Zone, String> {
        if name.is_empty() || name == "UTC" {
            return Ok(Zone::utc());
        }
        match jiff::tz::TimeZone::get(name) {
            Ok(tz) if tz.iana_name() == Some(name) => Ok(Zone(tz)),
            _ => Err(format!("unknown time zone {name}")),
        }
    }

    /// The UTC offset in seconds in effect at `epoch` (seconds since the Unix epoch).
    pub fn offset(&self, epoch: i64) -> i64 {
        match jiff::Timestamp::from_second(epoch) {
            Ok(t) => i64::from(self.0.to_offset(t).seconds()),
            Err(_) => 0,
        }
    }

    pub fn civil(&self, epoch: i64) -> Civil {
        let local = epoch + self.offset(epoch);
        let days = local.div_euclid(86_400);
        let secs = local.rem_euclid(86_400);
        let (year, month, day) = civil_from_days(days);
        Civil {
            year,
            month: month as u32,
            day: day as u32,
            weekday: (days + 4).rem_euclid(7) as u32,
            hour: (secs / 3600) as u32,
            minute: (secs % 3600 / 60) as u32,
            second: (secs % 60) as u32,
        }
    }

    /// time.Date: out-of-range months and days normalise; a wall time in a gap or a fold gets
    /// the offset Go's lookup picks: the offset in effect at the wall time read as UTC and, when
    /// that is not zero, the one at the instant it gives.
    pub fn date(
        &self,
        year: i64,
        month: i64,
        day: i64,
        hour: i64,
        minute: i64,
        second: i64,
    ) -> i64 {
        let m0 = month - 1;
        let (year, month) = (year + m0.div_euclid(12), m0.rem_euclid(12) + 1);
        let days = days_from_civil(year, month, 1) + day - 1;
        let unix = days * 86_400 + hour * 3600 + minute * 60 + second;
        let first = self.offset(unix);
        if first == 0 {
            return unix;
        }
        unix - self.offset(unix - first)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn load_follows_go() {
        assert_eq!(Zone::load("UTC"), Ok(Zone::utc()));
        assert!(Zone::load("America/New_York").is_ok());
        assert_eq!(
            Zone::load("Mars/Olympus_Mons"),
            Err("unknown time zone Mars/Olympus_Mons".to_string())
        );
        assert!(Zone::load("america/new_york").is_err());
    }

    #[test]
    fn date_in_a_spring_gap_and_an_autumn_fold_matches_go() {
        let ny = Zone::load("America/New_York").expect("zone");
        // 2012-03-11 02:30 does not exist in New York: Go gives 01:30 EST (06:30Z).
        assert_eq!(ny.date(2012, 3, 11, 2, 30, 0), 1_331_447_400);
        // 2012-11-04 01:30 happens twice: Go gives the first, EDT (05:30Z).
        assert_eq!(ny.date(2012, 11, 4, 1, 30, 0), 1_352_007_000);
        // London's spring gap starts from offset 0, which Go does not adjust: 01:30 reads as
        // 01:30Z (02:30 BST).
        let london = Zone::load("Europe/London").expect("zone");
        assert_eq!(london.date(2012, 3, 25, 1, 30, 0), 1_332_639_000);
        // Month 13 is January of the next year.
        assert_eq!(ny.date(2012, 13, 1, 0, 0, 0), ny.date(2013, 1, 1, 0, 0, 0));
    }
}
