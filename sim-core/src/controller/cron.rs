//! Standard 5-field cron schedules as kube-controller-manager parses them (robfig/cron/v3
//! ParseStandard: minute hour day-of-month month day-of-week, names, ranges, steps, `?`, and the
//! @yearly/@annually/@monthly/@weekly/@daily/@midnight/@hourly macros and `@every <duration>`),
//! evaluated on the wall
//! clock of the CronJob's time zone (UTC by default) in seconds since the Unix epoch.

use crate::timezone::Zone;

/// A parsed schedule: one bit per allowed value of each field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Schedule {
    minute: u64,
    hour: u64,
    dom: u64,
    month: u64,
    dow: u64,
    /// robfig's starBit: a `*` or `?` day field, which makes the day match an AND (not an OR).
    dom_star: bool,
    dow_star: bool,
    /// SpecSchedule.Location.
    zone: Zone,
    /// `@every <duration>`: robfig's ConstantDelaySchedule, in whole seconds (at least 1).
    every: Option<i64>,
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];
const DAYS: [&str; 7] = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

fn parse_value(s: &str, names: &[&str], name_base: u32) -> Result<u32, String> {
    let lower = s.to_ascii_lowercase();
    if let Some(i) = names.iter().position(|n| *n == lower) {
        return Ok(i as u32 + name_base);
    }
    s.parse::<u32>().map_err(|_| {
        format!("failed to parse int from {s}: strconv.Atoi: parsing {s:?}: invalid syntax")
    })
}

/// getField: a comma-separated list of ranges.
fn parse_field(
    field: &str,
    min: u32,
    max: u32,
    names: &[&str],
    name_base: u32,
) -> Result<(u64, bool), String> {
    let mut bits = 0u64;
    let mut star = false;
    for part in field.split(',') {
        let (range, step) = match part.split_once('/') {
            Some((r, s)) => (
                r,
                Some(s.parse::<u32>().map_err(|_| {
                    format!(
                        "failed to parse int from {s}: strconv.Atoi: parsing {s:?}: invalid syntax"
                    )
                })?),
            ),
            None => (part, None),
        };
        let (start, end) = if range == "*" || range == "?" {
            // getRange: a star with a step above 1 is no star (so `*/5` days OR with weekdays).
            if step.is_none_or(|s| s <= 1) {
                star = true;
            }
            (min, max)
        } else if let Some((a, b)) = range.split_once('-') {
            (
                parse_value(a, names, name_base)?,
                parse_value(b, names, name_base)?,
            )
        } else {
            let v = parse_value(range, names, name_base)?;
            // "N/step" means N through the end of the range.
            (v, if step.is_some() { max } else { v })
        };
        let step = step.unwrap_or(1);
        if start < min {
            return Err(format!(
                "beginning of range ({start}) below minimum ({min}): {part}"
            ));
        }
        if end > max {
            return Err(format!(
                "end of range ({end}) above maximum ({max}): {part}"
            ));
        }
        if start > end {
            return Err(format!(
                "beginning of range ({start}) beyond end of range ({end}): {part}"
            ));
        }
        if step == 0 {
            return Err(format!("step of range should be a positive number: {part}"));
        }
        let mut v = start;
        while v <= end {
            bits |= 1 << v;
            v += step;
        }
    }
    Ok((bits, star))
}

impl Schedule {
    /// cron.ParseStandard. Errors carry robfig's wording.
    pub fn parse(spec: &str) -> Result<Schedule, String> {
        let spec = spec.trim();
        let expanded = match spec {
            "@yearly" | "@annually" => "0 0 1 1 *",
            "@monthly" => "0 0 1 * *",
            "@weekly" => "0 0 * * 0",
            "@daily" | "@midnight" => "0 0 * * *",
            "@hourly" => "0 * * * *",
            s if s.starts_with("@every ") => return Schedule::every(s),
            s if s.starts_with('@') => return Err(format!("unrecognized descriptor: {s}")),
            s => s,
        };
        let fields: Vec<&str> = expanded.split_whitespace().collect();
        if fields.len() != 5 {
            return Err(format!(
                "expected exactly 5 fields, found {}: {spec}",
                fields.len()
            ));
        }
        let (minute, _) = parse_field(fields[0], 0, 59, &[], 0)?;
        let (hour, _) = parse_field(fields[1], 0, 23, &[], 0)?;
        let (dom, dom_star) = parse_field(fields[2], 1, 31, &[], 0)?;
        let (month, _) = parse_field(fields[3], 1, 12, &MONTHS, 1)?;
        let (mut dow, dow_star) = parse_field(fields[4], 0, 7, &DAYS, 0)?;
        let zone = Zone::utc();
        // 7 is Sunday too.
        if dow & (1 << 7) != 0 {
            dow = (dow & !(1 << 7)) | 1;
        }
        Ok(Schedule {
            minute,
            hour,
            dom,
            month,
            dow,
            dom_star,
            dow_star,
            zone,
            every: None,
        })
    }

    /// parseDescriptor's `@every` branch and Every (robfig/cron/v3 parser.go, constantdelay.go):
    /// Go's time.ParseDuration, under a second becomes a second, rounded down to whole seconds.
    fn every(spec: &str) -> Result<Schedule, String> {
        let text = &spec["@every ".len()..];
        let secs = match text.parse::<crate::time::SimDuration>() {
            Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX).max(1),
            // Go accepts negative durations; Every turns them into one second.
            Err(e) if e.kind() == crate::time::DurationParseErrorKind::Negative => 1,
            Err(e) => {
                return Err(format!(
                    "failed to parse duration {spec}: {}",
                    e.go_message()
                ));
            }
        };
        Ok(Schedule {
            minute: 0,
            hour: 0,
            dom: 0,
            month: 0,
            dow: 0,
            dom_star: false,
            dow_star: false,
            zone: Zone::utc(),
            every: Some(secs),
        })
    }

    /// The schedule evaluated in `zone` (formatSchedule's `TZ=<zone>` prefix).
    pub fn in_zone(mut self, zone: Zone) -> Schedule {
        self.zone = zone;
        self
    }

    /// dayMatches: with either day field a star both must match, otherwise either.
    fn day_matches(&self, day: u32, weekday: u32) -> bool {
        let dom = self.dom & (1 << day) != 0;
        let dow = self.dow & (1 << weekday) != 0;
        if self.dom_star || self.dow_star {
            dom && dow
        } else {
            dom || dow
        }
    }

    /// SpecSchedule.Next (robfig/cron/v3 spec.go): the first matching second strictly after
    /// `after` (epoch seconds), walking the zone's wall clock field by field: month, day, hour,
    /// minute, second (always 0 here). Days step by calendar date and hours by absolute time,
    /// so a wall-clock hour skipped by DST is skipped and one repeated is matched twice.
    /// `None` beyond five years (robfig's bound).
    pub fn next(&self, after: i64) -> Option<i64> {
        if let Some(delay) = self.every {
            // ConstantDelaySchedule.Next: `after` plus the delay, on the whole second.
            return after.checked_add(delay);
        }
        let z = &self.zone;
        let mut t = after + 1;
        let year_limit = z.civil(t).year + 5;
        let mut added = false;
        'wrap: loop {
            if z.civil(t).year > year_limit {
                return None;
            }
            loop {
                let c = z.civil(t);
                if self.month & (1 << c.month) != 0 {
                    break;
                }
                if !added {
                    added = true;
                    t = z.date(c.year, i64::from(c.month), 1, 0, 0, 0);
                }
                let c = z.civil(t);
                t = z.date(
                    c.year,
                    i64::from(c.month) + 1,
                    i64::from(c.day),
                    i64::from(c.hour),
                    i64::from(c.minute),
                    i64::from(c.second),
                );
                if z.civil(t).month == 1 {
                    continue 'wrap;
                }
            }
            loop {
                let c = z.civil(t);
                if self.day_matches(c.day, c.weekday) {
                    break;
                }
                if !added {
                    added = true;
                    t = z.date(c.year, i64::from(c.month), i64::from(c.day), 0, 0, 0);
                }
                let c = z.civil(t);
                t = z.date(
                    c.year,
                    i64::from(c.month),
                    i64::from(c.day) + 1,
                    i64::from(c.hour),
                    i64::from(c.minute),
                    i64::from(c.second),
                );
                // Back to midnight if DST moved the hour.
                let hour = i64::from(z.civil(t).hour);
                if hour != 0 {
                    t += if hour > 12 {
                        (24 - hour) * 3600
                    } else {
                        -hour * 3600
                    };
                }
                if z.civil(t).day == 1 {
                    continue 'wrap;
                }
            }
            loop {
                let c = z.civil(t);
                if self.hour & (1 << c.hour) != 0 {
                    break;
                }
                if !added {
                    added = true;
                    t = z.date(
                        c.year,
                        i64::from(c.month),
                        i64::from(c.day),
                        i64::from(c.hour),
                        0,
                        0,
                    );
                }
                t += 3600;
                if z.civil(t).hour == 0 {
                    continue 'wrap;
                }
            }
            loop {
                let c = z.civil(t);
                if self.minute & (1 << c.minute) != 0 {
                    break;
                }
                if !added {
                    added = true;
                    t -= t.rem_euclid(60);
                }
                t += 60;
                if z.civil(t).minute == 0 {
                    continue 'wrap;
                }
            }
            loop {
                if z.civil(t).second == 0 {
                    break;
                }
                added = true;
                t += 1;
                if z.civil(t).second == 0 {
                    continue 'wrap;
                }
            }
            return Some(t);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kubectl::wallclock::WallClock;
    use crate::time::SimTime;

    fn epoch(s: &str) -> i64 {
        WallClock::parse_rfc3339(s).expect("time").epoch_seconds
    }

    fn show(t: i64) -> String {
        WallClock { epoch_seconds: t }.rfc3339(SimTime::ZERO)
    }

    /// robfig/cron/v3 spec_test.go TestNext, the cases without a seconds field.
    #[test]
    fn next_table() {
        let cases = [
            (
                "2012-07-09T14:45:00Z",
                "0/15 * * * *",
                "2012-07-09T15:00:00Z",
            ),
            (
                "2012-07-09T14:59:00Z",
                "0/15 * * * *",
                "2012-07-09T15:00:00Z",
            ),
            (
                "2012-07-09T14:59:59Z",
                "0/15 * * * *",
                "2012-07-09T15:00:00Z",
            ),
            (
                "2012-07-09T15:45:00Z",
                "20-35/15 * * * *",
                "2012-07-09T16:20:00Z",
            ),
            (
                "2012-07-09T23:46:00Z",
                "*/15 * * * *",
                "2012-07-10T00:00:00Z",
            ),
            (
                "2012-07-09T23:45:00Z",
                "20-35/15 * * * *",
                "2012-07-10T00:20:00Z",
            ),
            (
                "2012-07-09T23:45:00Z",
                "20-35/15 * 1/10 * *",
                "2012-07-11T00:20:00Z",
            ),
            (
                "2012-07-09T23:35:00Z",
                "0 0 9 Apr-Oct ?",
                "2012-08-09T00:00:00Z",
            ),
            // robfig/cron v3 (the version Kubernetes vendors) has Aug 1: `*/5` clears the star
            // bit (getRange: step > 1), so the day fields OR and the 1st matches. v1 had Aug 6.
            (
                "2012-07-09T23:35:00Z",
                "0 0 */5 Apr,Aug,Oct Mon",
                "2012-08-01T00:00:00Z",
            ),
            (
                "2012-07-09T23:35:00Z",
                "0 0 */5 Oct Mon",
                "2012-10-01T00:00:00Z",
            ),
            (
                "2012-07-09T23:35:00Z",
                "0 0 * Feb Mon/2",
                "2013-02-01T00:00:00Z",
            ),
            (
                "2012-12-31T23:35:00Z",
                "0 0 * Jan *",
                "2013-01-01T00:00:00Z",
            ),
            (
                "2012-07-09T23:35:00Z",
                "0 0 29 Feb ?",
                "2016-02-29T00:00:00Z",
            ),
        ];
        for (from, spec, want) in cases {
            let s = Schedule::parse(spec).expect(spec);
            assert_eq!(
                s.next(epoch(from)).map(show).as_deref(),
                Some(want),
                "{spec} after {from}"
            );
        }
    }

    /// robfig/cron v3 spec_test.go TestNext, the daylight saving cases in America/New_York
    /// (their seconds field is 0), times in UTC; and the unsatisfiable ones.
    #[test]
    fn next_across_dst_in_new_york() {
        let ny = crate::timezone::Zone::load("America/New_York").expect("zone");
        let cases = [
            // 2am EST -> 3am EDT.
            (
                "2012-03-11T05:00:00Z",
                "30 2 11 Mar ?",
                "2013-03-11T06:30:00Z",
            ),
            ("2012-03-11T05:00:00Z", "0 * * * ?", "2012-03-11T06:00:00Z"),
            ("2012-03-11T06:00:00Z", "0 * * * ?", "2012-03-11T07:00:00Z"),
            ("2012-03-11T07:00:00Z", "0 * * * ?", "2012-03-11T08:00:00Z"),
            ("2012-03-11T08:00:00Z", "0 * * * ?", "2012-03-11T09:00:00Z"),
            ("2012-03-11T05:00:00Z", "0 1 * * ?", "2012-03-11T06:00:00Z"),
            ("2012-03-11T06:00:00Z", "0 1 * * ?", "2012-03-12T05:00:00Z"),
            // The 2am job is skipped that night.
            ("2012-03-11T05:00:00Z", "0 2 * * ?", "2012-03-12T06:00:00Z"),
            // 2am EDT -> 1am EST.
            (
                "2012-11-04T04:00:00Z",
                "30 2 04 Nov ?",
                "2012-11-04T07:30:00Z",
            ),
            (
                "2012-11-04T05:45:00Z",
                "30 1 04 Nov ?",
                "2012-11-04T06:30:00Z",
            ),
            ("2012-11-04T04:00:00Z", "0 * * * ?", "2012-11-04T05:00:00Z"),
            ("2012-11-04T05:00:00Z", "0 * * * ?", "2012-11-04T06:00:00Z"),
            ("2012-11-04T06:00:00Z", "0 * * * ?", "2012-11-04T07:00:00Z"),
            // The 1am job runs twice.
            ("2012-11-04T04:00:00Z", "0 1 * * ?", "2012-11-04T05:00:00Z"),
            ("2012-11-04T05:00:00Z", "0 1 * * ?", "2012-11-04T06:00:00Z"),
            ("2012-11-04T06:00:00Z", "0 1 * * ?", "2012-11-05T06:00:00Z"),
            ("2012-11-04T04:00:00Z", "0 2 * * ?", "2012-11-04T07:00:00Z"),
            ("2012-11-04T07:00:00Z", "0 2 * * ?", "2012-11-05T07:00:00Z"),
            ("2012-11-04T04:00:00Z", "0 3 * * ?", "2012-11-04T08:00:00Z"),
            ("2012-11-04T08:00:00Z", "0 3 * * ?", "2012-11-05T08:00:00Z"),
        ];
        for (from, spec, want) in cases {
            let s = Schedule::parse(spec).expect(spec).in_zone(ny.clone());
            assert_eq!(
                s.next(epoch(from)).map(show).as_deref(),
                Some(want),
                "{spec} after {from}"
            );
        }
        for spec in ["0 0 30 Feb ?", "0 0 31 Apr ?"] {
            let s = Schedule::parse(spec).expect(spec);
            assert_eq!(s.next(epoch("2012-07-09T23:35:00Z")), None, "{spec}");
        }
    }

    /// robfig/cron/v3 constantdelay_test.go TestConstantDelayNext (the cases on whole seconds:
    /// kubesim's cron clock counts seconds), and parser_test.go's `@every` descriptor cases.
    #[test]
    fn every_is_a_constant_delay() {
        let cases = [
            ("2012-07-09T14:45:00Z", "15m", "2012-07-09T15:00:00Z"),
            ("2012-07-09T23:46:00Z", "15m", "2012-07-10T00:01:00Z"),
            ("2012-07-09T23:35:00Z", "1h", "2012-07-10T00:35:00Z"),
            ("2012-07-09T23:35:00Z", "10m", "2012-07-09T23:45:00Z"),
            ("2012-07-09T23:35:51Z", "29s", "2012-07-09T23:36:20Z"),
            ("2012-07-09T23:35:00Z", "1.5s", "2012-07-09T23:35:01Z"),
            ("2012-07-09T23:35:00Z", "500ms", "2012-07-09T23:35:01Z"),
            ("2012-07-09T23:35:00Z", "0s", "2012-07-09T23:35:01Z"),
            ("2012-07-09T23:35:00Z", "-5m", "2012-07-09T23:35:01Z"),
        ];
        for (from, every, want) in cases {
            let s = Schedule::parse(&format!("@every {every}")).expect(every);
            assert_eq!(
                s.next(epoch(from)).map(show).as_deref(),
                Some(want),
                "{every}"
            );
        }
    }

    #[test]
    fn macros_and_errors() {
        let hourly = Schedule::parse("@hourly").expect("macro");
        assert_eq!(hourly, Schedule::parse("0 * * * *").expect("spec"));
        assert!(Schedule::parse("* * * *").is_err());
        assert!(Schedule::parse("61 * * * *").is_err());
        assert!(Schedule::parse("@every").is_err());
        assert_eq!(
            Schedule::parse("@every 5x").err().as_deref(),
            Some("failed to parse duration @every 5x: time: unknown unit \"x\" in duration \"5x\"")
        );
        assert!(Schedule::parse("*/0 * * * *").is_err());
        // Both day fields restricted: either matches (the 1st, or any Monday).
        let s = Schedule::parse("0 0 1 * Mon").expect("spec");
        assert_eq!(
            s.next(epoch("2025-01-01T00:00:00Z")).map(show).as_deref(),
            Some("2025-01-06T00:00:00Z")
        );
    }
}
