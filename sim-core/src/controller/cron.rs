//! Standard 5-field cron schedules as kube-controller-manager parses them (robfig/cron/v3
//! ParseStandard: minute hour day-of-month month day-of-week, names, ranges, steps, `?`, and the
//! @yearly/@annually/@monthly/@weekly/@daily/@midnight/@hourly macros), evaluated in UTC
//! seconds since the Unix epoch.

use crate::kubectl::wallclock::civil_from_days;

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
            if step.is_none() {
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
        })
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

    /// SpecSchedule.Next: the first matching minute strictly after `after` (epoch seconds), or
    /// `None` when nothing matches within five years (robfig's bound).
    pub fn next(&self, after: i64) -> Option<i64> {
        let mut t = (after.div_euclid(60) + 1) * 60;
        let limit = after + 5 * 366 * 86_400;
        while t <= limit {
            let days = t.div_euclid(86_400);
            let (_, month, day) = civil_from_days(days);
            if self.month & (1 << month) == 0 {
                t = (days + 1) * 86_400;
                continue;
            }
            let weekday = (days + 4).rem_euclid(7) as u32;
            if !self.day_matches(day as u32, weekday) {
                t = (days + 1) * 86_400;
                continue;
            }
            let secs = t.rem_euclid(86_400);
            let (hour, minute) = ((secs / 3600) as u32, (secs % 3600 / 60) as u32);
            if self.hour & (1 << hour) == 0 {
                t = days * 86_400 + (i64::from(hour) + 1) * 3600;
                continue;
            }
            if self.minute & (1 << minute) == 0 {
                t += 60;
                continue;
            }
            return Some(t);
        }
        None
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

    #[test]
    fn macros_and_errors() {
        let hourly = Schedule::parse("@hourly").expect("macro");
        assert_eq!(hourly, Schedule::parse("0 * * * *").expect("spec"));
        assert!(Schedule::parse("* * * *").is_err());
        assert!(Schedule::parse("61 * * * *").is_err());
        assert!(Schedule::parse("@every 5m").is_err());
        assert!(Schedule::parse("*/0 * * * *").is_err());
        // Both day fields restricted: either matches (the 1st, or any Monday).
        let s = Schedule::parse("0 0 1 * Mon").expect("spec");
        assert_eq!(
            s.next(epoch("2025-01-01T00:00:00Z")).map(show).as_deref(),
            Some("2025-01-06T00:00:00Z")
        );
    }
}
