//! Timeline encodings: JSON Lines (default), CSV and a compact human-readable log. Pure
//! functions from records to bytes; the CLI owns files and writes them atomically.

use std::fmt::Write as _;

use serde::Serialize;

use crate::timeline::TimelineRecord;

/// The CSV header, also the field order of JSONL rows.
pub const COLUMNS: [&str; 11] = [
    "time",
    "kind",
    "namespace",
    "name",
    "container",
    "node",
    "event",
    "from",
    "to",
    "reason",
    "message",
];

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Format {
    Jsonl,
    Csv,
    Log,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Jsonl => "jsonl",
            Format::Csv => "csv",
            Format::Log => "log",
        }
    }
}

#[derive(Serialize)]
struct Row<'a> {
    time: String,
    time_ns: u64,
    kind: &'a str,
    namespace: &'a str,
    name: &'a str,
    container: &'a str,
    node: &'a str,
    event: &'a str,
    from: &'a str,
    to: &'a str,
    reason: &'a str,
    message: &'a str,
}

fn row(r: &TimelineRecord) -> Row<'_> {
    Row {
        time: r.time.to_string(),
        time_ns: r.time.as_nanos(),
        kind: r.kind,
        namespace: &r.namespace,
        name: &r.name,
        container: &r.container,
        node: &r.node,
        event: r.event,
        from: &r.from,
        to: &r.to,
        reason: &r.reason,
        message: &r.message,
    }
}

/// One JSON object per line; `time` is a Go duration since t = 0 and `time_ns` the same in
/// nanoseconds.
pub fn jsonl(records: &[TimelineRecord]) -> Vec<u8> {
    let mut out = Vec::with_capacity(records.len() * 160);
    for r in records {
        // Serialising plain strings and integers cannot fail.
        if serde_json::to_writer(&mut out, &row(r)).is_ok() {
            out.push(b'\n');
        }
    }
    out
}

/// RFC 4180 CSV with the columns of `COLUMNS`.
pub fn csv(records: &[TimelineRecord]) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::with_capacity(records.len() * 120));
    w.write_record(COLUMNS)?;
    for r in records {
        w.write_record([
            r.time.to_string().as_str(),
            r.kind,
            &r.namespace,
            &r.name,
            &r.container,
            &r.node,
            r.event,
            &r.from,
            &r.to,
            &r.reason,
            &r.message,
        ])?;
    }
    w.into_inner().map_err(|e| e.into_error().into())
}

/// A compact log: one line per record, aligned time, object, then what happened.
pub fn log(records: &[TimelineRecord]) -> Vec<u8> {
    let mut s = String::with_capacity(records.len() * 100);
    for r in records {
        let _ = writeln!(s, "{}", log_line(r));
    }
    s.into_bytes()
}

pub fn log_line(r: &TimelineRecord) -> String {
    let flat;
    let r = if r.message.contains('\n') {
        // One record, one line: multi-line messages (upstream's field diffs) are folded.
        flat = TimelineRecord {
            message: r
                .message
                .split('\n')
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
                .into(),
            ..r.clone()
        };
        &flat
    } else {
        r
    };
    let object = if r.namespace.is_empty() {
        format!("{}/{}", r.kind, r.name)
    } else {
        format!("{}/{}/{}", r.kind, r.namespace, r.name)
    };
    let object = if r.container.is_empty() {
        object
    } else {
        format!("{object}[{}]", r.container)
    };
    let mut line = format!("{:>12}  {:<40} ", r.time.to_string(), object);
    match r.event {
        "Normal" | "Warning" => {
            let _ = write!(line, "{} {} ({}): {}", r.event, r.reason, r.from, r.message);
        }
        _ if !r.from.is_empty() || !r.to.is_empty() => {
            let _ = write!(
                line,
                "{} {} -> {}",
                r.event,
                if r.from.is_empty() { "∅" } else { &r.from },
                r.to
            );
            if !r.reason.is_empty() {
                let _ = write!(line, " ({})", r.reason);
            }
            if !r.message.is_empty() {
                let _ = write!(line, ": {}", r.message);
            }
        }
        _ => {
            let _ = write!(line, "{}", r.event);
            if !r.reason.is_empty() {
                let _ = write!(line, " {}", r.reason);
            }
            if !r.message.is_empty() {
                let _ = write!(line, ": {}", r.message);
            }
        }
    }
    line.trim_end().to_string()
}

/// FNV-1a over the JSONL encoding: the run's fingerprint in determinism checks.
pub fn fingerprint(records: &[TimelineRecord]) -> u64 {
    crate::rng::fnv1a(&jsonl(records))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::SimTime;

    fn rec() -> TimelineRecord {
        TimelineRecord::new(
            SimTime::from_nanos(1_500_000_000),
            "Pod",
            "default",
            "web",
            "Status",
        )
        .change("ContainerCreating", "Running")
    }

    #[test]
    fn encodings() {
        let j = String::from_utf8(jsonl(&[rec()])).unwrap();
        assert!(
            j.starts_with(r#"{"time":"1.5s","time_ns":1500000000,"kind":"Pod""#),
            "{j}"
        );
        let c = String::from_utf8(csv(&[rec()]).unwrap()).unwrap();
        assert_eq!(c.lines().next().unwrap(), COLUMNS.join(","));
        assert_eq!(
            c.lines().nth(1).unwrap(),
            "1.5s,Pod,default,web,,,Status,ContainerCreating,Running,,"
        );
        let l = log_line(&rec());
        assert!(l.ends_with("Status ContainerCreating -> Running"), "{l}");
    }
}
