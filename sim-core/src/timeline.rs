//! The timeline: every state change and every Kubernetes Event of a run, in the order they
//! happened. It is the run's primary output (JSONL, CSV or a compact log; see `output`).

use compact_str::CompactString;
use serde::Serialize;

use crate::time::SimTime;

/// One row of the timeline. The columns are fixed: `time, kind, namespace, name, container,
/// node, event, from, to, reason, message`.
///
/// `event` says what the row is:
/// - a state change — `Phase`, `Status` (kubectl's STATUS column), `Ready` (READY column),
///   `ContainerState`, `Condition`, `Restarts`, `NodeName` — with `from` and `to`;
/// - an object's life — `Created`, `DeletionRequested`, `Deleted`;
/// - a Kubernetes Event — `Normal` or `Warning`, with `from` the reporting component as in
///   `kubectl describe`'s From column, and the Event's `reason` and `message`;
/// - a scenario action or a run note — `Action`, `Note`.
///
/// Short fields are `CompactString`s: names, states and reasons fit inline, so the hundreds of
/// thousands of records of a large run cost no allocation for them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TimelineRecord {
    pub time: SimTime,
    pub kind: &'static str,
    pub namespace: CompactString,
    pub name: CompactString,
    pub container: CompactString,
    pub node: CompactString,
    pub event: &'static str,
    pub from: CompactString,
    pub to: CompactString,
    pub reason: CompactString,
    /// Inline when short (`Started container app`): most Events' messages cost no allocation.
    pub message: CompactString,
}

impl TimelineRecord {
    #[inline]
    pub fn new(
        time: SimTime,
        kind: &'static str,
        namespace: &str,
        name: &str,
        event: &'static str,
    ) -> Self {
        TimelineRecord {
            time,
            kind,
            namespace: namespace.into(),
            name: name.into(),
            container: CompactString::default(),
            node: CompactString::default(),
            event,
            from: CompactString::default(),
            to: CompactString::default(),
            reason: CompactString::default(),
            message: CompactString::default(),
        }
    }

    #[inline]
    pub fn container(mut self, c: &str) -> Self {
        self.container = c.into();
        self
    }

    #[inline]
    pub fn node(mut self, n: &str) -> Self {
        self.node = n.into();
        self
    }

    #[inline]
    pub fn change(mut self, from: impl Into<CompactString>, to: impl Into<CompactString>) -> Self {
        self.from = from.into();
        self.to = to.into();
        self
    }

    #[inline]
    pub fn reason(mut self, r: impl Into<CompactString>) -> Self {
        self.reason = r.into();
        self
    }

    #[inline]
    pub fn message(mut self, m: impl Into<CompactString>) -> Self {
        self.message = m.into();
        self
    }
}

/// The ordered record of a run.
#[derive(Clone, Debug, Default)]
pub struct Timeline {
    records: Vec<TimelineRecord>,
}

impl Timeline {
    #[inline]
    pub fn push(&mut self, record: TimelineRecord) {
        self.records.push(record);
    }

    pub fn records(&self) -> &[TimelineRecord] {
        &self.records
    }

    pub fn len(&self) -> usize {
        self.records.len()
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }
}
