//! The timeline diff: after each batch, every pod the batch touched is compared, through what
//! a user can see (phase, kubectl's STATUS and READY columns, restarts, node, container states,
//! conditions), with how it looked after the previous batch; each difference becomes one row.

use compact_str::CompactString;

use crate::cluster::{ConditionStatus, ConditionType, ContainerState, NodeId, PodId, PodPhase};
use crate::kubectl::pods::{pod_summary, record_print_input};
use crate::text::{decimal, digits_before};
use crate::time::SimTime;
use crate::timeline::TimelineRecord;

use super::Simulation;

/// What a visible pod looked like after the previous batch. Built at every batch that touches
/// the pod, so its strings are inline `CompactString`s (no allocation when short).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct PodView {
    phase: Option<PodPhase>,
    status: CompactString,
    /// READY as (ready, total); `None` before the first diff.
    ready: Option<(usize, usize)>,
    restarts: u32,
    node: Option<NodeId>,
    containers: Vec<(CompactString, CompactString)>,
    conditions: Vec<(ConditionType, ConditionStatus)>,
}

/// Each pod's view after its last diff, indexed by the dense `PodId` (ids are never reused).
#[derive(Default)]
pub(super) struct PodViews {
    by_pod: Vec<PodView>,
}

impl PodViews {
    fn entry(&mut self, id: PodId) -> &mut PodView {
        let i = id.0 as usize;
        if i >= self.by_pod.len() {
            self.by_pod.resize_with(i + 1, PodView::default);
        }
        &mut self.by_pod[i]
    }

    /// The pod is gone: its view is dropped.
    pub(super) fn remove(&mut self, id: PodId) {
        if let Some(v) = self.by_pod.get_mut(id.0 as usize) {
            *v = PodView::default();
        }
    }
}

/// The columns every row of one pod's diff shares, converted once.
struct RowHead {
    time: SimTime,
    namespace: CompactString,
    name: CompactString,
    node: CompactString,
}

impl RowHead {
    /// A row built in place: the record is large, and a builder's by-value steps would move it
    /// once per field.
    fn row(
        &self,
        event: &'static str,
        from: CompactString,
        to: CompactString,
        reason: CompactString,
        message: &str,
    ) -> TimelineRecord {
        TimelineRecord {
            time: self.time,
            kind: "Pod",
            namespace: self.namespace.clone(),
            name: self.name.clone(),
            container: CompactString::default(),
            node: self.node.clone(),
            event,
            from,
            to,
            reason,
            message: message.into(),
        }
    }
}

/// A decimal number as an inline string.
fn number(n: i64) -> CompactString {
    CompactString::from(decimal(n, &mut [0; 20]))
}

/// kubectl's READY column, `ready/total`; empty before the first diff. Written backwards into
/// one stack buffer and converted once (this runs twice for every Ready row).
fn ready_column(r: Option<(usize, usize)>) -> CompactString {
    let Some((ready, total)) = r else {
        return CompactString::default();
    };
    let mut buf = [0u8; 41];
    let i = digits_before(&mut buf, 41, total as u64);
    buf[i - 1] = b'/';
    let i = digits_before(&mut buf, i - 1, ready as u64);
    // Only ASCII digits and '/' were written.
    CompactString::from(std::str::from_utf8(&buf[i..]).unwrap_or_default())
}

impl Simulation {
    pub(super) fn diff_pod(&mut self, id: PodId) {
        let Some(p) = self.cluster.pod(id) else {
            return;
        };
        let summary = pod_summary(&record_print_input(p));
        let status = &*p.status;
        // Built in the reused scratch view: its vectors keep their capacity across pods.
        let mut view = std::mem::take(&mut self.scratch_view);
        view.phase = Some(status.phase);
        view.status = CompactString::from(summary.reason.as_ref());
        view.ready = Some((summary.ready, summary.total));
        view.restarts = status
            .container_statuses
            .iter()
            .chain(&status.init_container_statuses)
            .map(|c| c.restart_count)
            .sum();
        view.node = p.node;
        view.containers.clear();
        view.containers.extend(
            status
                .init_container_statuses
                .iter()
                .chain(&status.container_statuses)
                .map(|c| (CompactString::from(&*c.name), c.state.label())),
        );
        view.conditions.clear();
        view.conditions
            .extend(status.conditions.iter().map(|c| (c.type_, c.status)));
        let old = self.views.entry(id);
        if *old == view {
            self.scratch_view = view;
            return;
        }
        let node_name = |n: Option<NodeId>| n.map_or("", |n| self.cluster.node(n).name.as_str());
        let node = node_name(view.node);
        let head = RowHead {
            time: self.now,
            namespace: p.namespace().into(),
            name: p.name().into(),
            node: node.into(),
        };
        let none = CompactString::default;
        let fixed = CompactString::const_new;
        let records = &mut self.timeline;
        let old_node = node_name(old.node);
        if old_node != node {
            records.push(head.row("NodeName", old_node.into(), node.into(), none(), ""));
        }
        if old.phase != view.phase {
            let from = old.phase.map_or("", |p| p.as_str());
            records.push(head.row(
                "Phase",
                fixed(from),
                fixed(status.phase.as_str()),
                status.reason.as_str().into(),
                &status.message,
            ));
        }
        for (cname, label) in &view.containers {
            let before = old
                .containers
                .iter()
                .find(|(n, _)| n == cname)
                .map(|(_, l)| l.as_str());
            if before != Some(label.as_str()) {
                let c = status
                    .init_container_statuses
                    .iter()
                    .chain(&status.container_statuses)
                    .find(|c| *c.name == **cname);
                let (reason, message) = match c.map(|c| &c.state) {
                    Some(ContainerState::Waiting { reason, message })
                    | Some(ContainerState::Terminated {
                        reason, message, ..
                    }) => (reason.clone(), message.as_str()),
                    _ => (none(), ""),
                };
                let mut row = head.row(
                    "ContainerState",
                    before.unwrap_or("").into(),
                    label.clone(),
                    reason,
                    message,
                );
                row.container = cname.clone();
                records.push(row);
            }
        }
        if old.restarts != view.restarts {
            records.push(head.row(
                "Restarts",
                number(i64::from(old.restarts)),
                number(i64::from(view.restarts)),
                none(),
                "",
            ));
        }
        for (t, s) in &view.conditions {
            let before = old
                .conditions
                .iter()
                .find(|(ot, _)| ot == t)
                .map(|(_, s)| *s);
            if before != Some(*s) {
                let c = status.condition(*t);
                records.push(head.row(
                    "Condition",
                    fixed(before.map_or("", |b| t.with_status(b))),
                    fixed(t.with_status(*s)),
                    c.map_or_else(none, |c| c.reason.clone()),
                    c.map_or("", |c| c.message.as_str()),
                ));
            }
        }
        if old.ready != view.ready {
            records.push(head.row(
                "Ready",
                ready_column(old.ready),
                ready_column(view.ready),
                none(),
                "",
            ));
        }
        if old.status != view.status {
            records.push(head.row(
                "Status",
                old.status.clone(),
                view.status.clone(),
                none(),
                "",
            ));
        }
        self.scratch_view = std::mem::replace(old, view);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ready_column_is_kubectls() {
        assert_eq!(ready_column(None), "");
        assert_eq!(ready_column(Some((0, 1))), "0/1");
        assert_eq!(ready_column(Some((12, 130))), "12/130");
        assert_eq!(ready_column(Some((0, 10))), "0/10");
        assert_eq!(
            ready_column(Some((usize::MAX, usize::MAX))),
            format!("{}/{}", usize::MAX, usize::MAX)
        );
    }
}
