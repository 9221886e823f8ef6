//! The timeline: every state change and every Kubernetes Event of a run, in the order they
//! happened. It is the run's primary output (JSONL, CSV or a compact log; see `output`).

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
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TimelineRecord {
    pub time: SimTime,
    pub kind: &'static str,
    pub namespace: String,
    pub name: String,
    pub container: String,
    pub node: String,
    pub event: &'static str,
    pub from: String,
    pub to: String,
    pub reason: String,
    pub message: String,
}

impl TimelineRecord {
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
            namespace: namespace.to_string(),
            name: name.to_string(),
            container: String::new(),
            node: String::new(),
            event,
            from: String::new(),
            to: String::new(),
            reason: String::new(),
            message: String::new(),
        }
    }

    pub fn container(mut self, c: &str) -> Self {
        self.container = c.to_string();
        self
    }

    pub fn node(mut self, n: &str) -> Self {
        self.node = n.to_string();
        self
    }

    pub fn change(mut self, from: impl Into<String>, to: impl Into<String>) -> Self {
        self.from = from.into();
        self.to = to.into();
        self
    }

    pub fn reason(mut self, r: impl Into<String>) -> Self {
        self.reason = r.into();
        self
    }

    pub fn message(mut self, m: impl Into<String>) -> Self {
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
