//! Running a scenario while judging its expectations. The simulation is stepped one batch of
//! same-time events at a time (plus the exact times expectations name), and every expectation
//! still undecided is judged on the state after the batch; a state that did not change (no new
//! timeline row) is not judged again.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use crate::cluster::Cluster;
use crate::engine::{RunOptions, Simulation, StopReason};
use crate::scenario::load::Scenario;
use crate::time::{SimDuration, SimTime};
use crate::timeline::TimelineRecord;

use super::observe::{self, Verdict};
use super::spec::{Moment, TimingSpec};
use super::{Expectation, When};

/// The verdict on one expectation in one run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Judgement {
    pub passed: bool,
    /// The simulated moment the verdict was reached (a violation, the deadline...).
    pub at: SimTime,
    pub expected: String,
    pub actual: String,
    /// Field-by-field differences, `status: expected Running, got Pending`.
    pub diff: Vec<String>,
    /// Timing expectations: the measured values (None: the pod never reached the moment).
    pub values: Vec<Option<SimDuration>>,
}

/// One run of a scenario with one seed.
#[derive(Clone, Debug)]
pub struct RunResult {
    pub seed: u64,
    pub judgements: Vec<Judgement>,
    pub stop: StopReason,
    pub end: SimTime,
    pub events: u64,
}

impl RunResult {
    pub fn passed(&self) -> bool {
        self.judgements.iter().all(|j| j.passed) && self.clean_stop().is_none()
    }

    /// Why the run itself failed: an invariant violation or the max-events bound.
    pub fn clean_stop(&self) -> Option<String> {
        match &self.stop {
            StopReason::Invariant(v) => Some(format!("kubesim broke an invariant: {v}")),
            StopReason::MaxEvents => Some(format!(
                "the run stopped at its max-events bound at {} (raise spec.run.maxEvents)",
                self.end
            )),
            _ => None,
        }
    }
}

fn judgement(passed: bool, at: SimTime, v: &Verdict) -> Judgement {
    Judgement {
        passed,
        at,
        expected: v.expected(),
        actual: v.actual(),
        diff: v
            .fields
            .iter()
            .filter(|f| !f.holds)
            .map(|f| format!("{}: expected {}, got {}", f.name, f.expected, f.actual))
            .collect(),
        values: Vec::new(),
    }
}

/// Judges `v`, observed at `t`, for an expectation `when`; Some once the verdict is final.
fn decide(when: When, t: SimTime, v: &Verdict) -> Option<Judgement> {
    let holds = v.holds();
    let j = |passed| Some(judgement(passed, t, v));
    match when {
        When::At(x) => (t == x).then(|| judgement(holds, t, v)),
        When::By(x) if t <= x && holds => j(true),
        When::By(x) => (t >= x).then(|| judgement(false, t, v)),
        When::Always(w) if w.contains(t) && !holds => {
            let mut out = judgement(false, t, v);
            out.diff.insert(0, format!("violated at {t}"));
            Some(out)
        }
        When::Never(w) if w.contains(t) && holds => {
            let mut out = judgement(false, t, v);
            out.diff = vec![format!("held at {t}: {}", v.actual())];
            Some(out)
        }
        When::Always(w) | When::Never(w) => (t >= w.until).then(|| judgement(true, t, v)),
        When::Eventually(w) if w.contains(t) && holds => j(true),
        When::Eventually(w) => (t >= w.until).then(|| judgement(false, t, v)),
        When::Run => None,
    }
}

/// Whether a state at `t` can matter to an undecided expectation.
fn relevant(when: When, t: SimTime) -> bool {
    match when {
        When::At(x) => t == x,
        When::By(x) => t <= x,
        When::Always(w) | When::Never(w) | When::Eventually(w) => w.contains(t),
        When::Run => false,
    }
}

/// Times at which the state must be judged even if nothing happens then.
fn forced_times(when: When) -> Vec<SimTime> {
    match when {
        When::At(x) | When::By(x) => vec![x],
        When::Always(w) | When::Never(w) | When::Eventually(w) => vec![w.from, w.until],
        When::Run => Vec::new(),
    }
}

struct Judge<'a> {
    expectations: &'a [Expectation],
    decided: Vec<Option<Judgement>>,
    /// Occurrences so far of each event expectation's Event.
    occurrences: Vec<u64>,
    /// Labels of every pod when it was created, for timing selectors.
    labels: BTreeMap<(String, String), BTreeMap<String, String>>,
}

impl Judge<'_> {
    fn absorb(&mut self, records: &[TimelineRecord], cluster: &Cluster) {
        for r in records {
            for (i, e) in self.expectations.iter().enumerate() {
                if let Some(ev) = &e.spec.event
                    && observe::event_matches(ev, r)
                {
                    self.occurrences[i] += 1;
                }
            }
            if r.kind == "Pod"
                && r.event == "Created"
                && let Some(p) = cluster
                    .find_pod(&r.namespace, &r.name)
                    .and_then(|id| cluster.pod(id))
            {
                self.labels.insert(
                    (r.namespace.to_string(), r.name.to_string()),
                    p.pod.metadata.labels.clone(),
                );
            }
        }
    }

    fn observe(&mut self, sim: &Simulation, t: SimTime) {
        let cluster = sim.cluster();
        for (i, e) in self.expectations.iter().enumerate() {
            if self.decided[i].is_some() || !relevant(e.when, t) {
                continue;
            }
            let s = &e.spec;
            let v = if let Some(p) = &s.pod {
                observe::pod(cluster, t, p)
            } else if let Some(p) = &s.pods {
                observe::pods(Some(cluster), t, p)
            } else if let Some(n) = &s.node {
                observe::node(cluster, n)
            } else if let Some(ev) = &s.event {
                observe::event(ev, self.occurrences[i])
            } else if let Some(sch) = &s.scheduling {
                observe::scheduling(cluster, sch)
            } else if let Some(w) = &s.workload {
                let epoch = sim.scenario().wall_clock.epoch_seconds;
                super::workload::workload(Some(sim.workloads()), t, epoch, w)
            } else {
                continue;
            };
            self.decided[i] = decide(e.when, t, &v);
        }
    }
}

/// Runs `scenario` with `options` and judges every expectation.
pub fn check_run(scenario: &Arc<Scenario>, options: RunOptions) -> RunResult {
    let expectations = &scenario.expectations;
    let end = options.until;
    let seed = options.seed;
    let mut sim = Simulation::new(Arc::clone(scenario), options);
    let mut forced: BTreeSet<SimTime> = expectations
        .iter()
        .flat_map(|e| forced_times(e.when))
        .filter(|t| *t <= end)
        .collect();
    let mut judge = Judge {
        expectations,
        decided: vec![None; expectations.len()],
        occurrences: vec![0; expectations.len()],
        labels: BTreeMap::new(),
    };
    let mut seen = 0;
    loop {
        let next_event = sim.next_event_time().filter(|t| *t <= end);
        let t = match (next_event, forced.first().copied()) {
            (None, None) => break,
            (Some(a), Some(b)) => a.min(b),
            (a, b) => a.or(b).unwrap_or(end),
        };
        let stop = sim.run_until(t).clone();
        if matches!(stop, StopReason::MaxEvents | StopReason::Invariant(_)) {
            break;
        }
        let is_forced = forced.first() == Some(&t);
        if is_forced {
            forced.pop_first();
        }
        let records = sim.timeline().records();
        let new = &records[seen.min(records.len())..];
        judge.absorb(new, sim.cluster());
        let changed = !new.is_empty();
        seen = records.len();
        if changed || is_forced {
            judge.observe(&sim, t);
        }
        if next_event.is_none() && forced.is_empty() {
            break;
        }
    }
    let stop = sim.stop_reason().cloned().unwrap_or(StopReason::Quiescent);
    let stopped_at = sim.now();
    let records = sim.timeline().records();
    let judgements = expectations
        .iter()
        .zip(judge.decided)
        .map(|(e, d)| match (&e.spec.timing, d) {
            (Some(tm), _) => timing(tm, records, &judge.labels, stopped_at),
            (None, Some(j)) => j,
            (None, None) => Judgement {
                passed: false,
                at: stopped_at,
                expected: e.name.clone(),
                actual: "not judged".to_string(),
                diff: vec![format!(
                    "the run stopped at {stopped_at} before the expectation could be judged"
                )],
                values: Vec::new(),
            },
        })
        .collect();
    RunResult {
        seed,
        judgements,
        stop,
        end: stopped_at,
        events: sim.events_processed(),
    }
}

/// The first time each moment of a pod's life happened, per incarnation (a pod created again
/// under the same name starts a new one).
fn moments(
    records: &[TimelineRecord],
) -> BTreeMap<(String, String), Vec<BTreeMap<&'static str, SimTime>>> {
    let mut out: BTreeMap<(String, String), Vec<BTreeMap<&'static str, SimTime>>> = BTreeMap::new();
    for r in records.iter().filter(|r| r.kind == "Pod") {
        let moment = match (r.event, r.to.as_str()) {
            ("Created", _) => "Created",
            ("Condition", "PodScheduled=True") => "Scheduled",
            ("Condition", "Ready=True") => "Ready",
            ("Phase", "Running") => "Running",
            ("Phase", "Succeeded") => "Succeeded",
            ("Phase", "Failed") => "Failed",
            ("DeletionRequested", _) => "DeletionRequested",
            ("Deleted", _) => "Deleted",
            _ => continue,
        };
        let lives = out
            .entry((r.namespace.to_string(), r.name.to_string()))
            .or_default();
        if moment == "Created" {
            lives.push(BTreeMap::new());
        }
        if let Some(life) = lives.last_mut() {
            life.entry(moment).or_insert(r.time);
        }
    }
    out
}

fn moment_name(m: Moment) -> &'static str {
    match m {
        Moment::Created => "Created",
        Moment::Scheduled => "Scheduled",
        Moment::Running => "Running",
        Moment::Ready => "Ready",
        Moment::Succeeded => "Succeeded",
        Moment::Failed => "Failed",
        Moment::DeletionRequested => "DeletionRequested",
        Moment::Deleted => "Deleted",
    }
}

/// The measured values of a timing expectation in one run, one per selected pod incarnation.
pub fn timing_values(
    tm: &TimingSpec,
    records: &[TimelineRecord],
    labels: &BTreeMap<(String, String), BTreeMap<String, String>>,
) -> Vec<(String, Option<SimDuration>)> {
    let from = moment_name(tm.from.unwrap_or(Moment::Created));
    let to = moment_name(tm.to);
    let ns = tm.namespace.as_deref();
    let mut out = Vec::new();
    for ((pns, name), lives) in moments(records) {
        if ns.is_some_and(|n| n != pns) || (ns.is_none() && tm.pod.is_some() && pns != "default") {
            continue;
        }
        let selected = match (&tm.pod, &tm.selector) {
            (Some(p), _) => *p == name,
            (None, Some(sel)) => labels
                .get(&(pns.clone(), name.clone()))
                .is_some_and(|l| sel.iter().all(|(k, v)| l.get(k) == Some(v))),
            (None, None) => false,
        };
        if !selected {
            continue;
        }
        for life in lives {
            let value = match (life.get(from), life.get(to)) {
                (Some(a), Some(b)) if b >= a => Some(*b - *a),
                _ => None,
            };
            out.push((name.clone(), value));
        }
    }
    out
}

/// The nearest-rank percentile; a value never reached counts as longer than any other.
pub fn percentile(values: &[Option<SimDuration>], p: u8) -> Option<SimDuration> {
    let mut v: Vec<SimDuration> = values
        .iter()
        .map(|x| x.unwrap_or(SimDuration::MAX))
        .collect();
    if v.is_empty() {
        return None;
    }
    v.sort();
    let rank = (usize::from(p) * v.len()).div_ceil(100).max(1);
    let x = v[rank - 1];
    (x != SimDuration::MAX).then_some(x)
}

fn within(tm: &TimingSpec, d: SimDuration) -> bool {
    tm.at_most.is_none_or(|m| d <= m) && tm.at_least.is_none_or(|m| d >= m)
}

pub fn timing_bound(tm: &TimingSpec) -> String {
    match (tm.at_least, tm.at_most) {
        (Some(a), Some(b)) => format!("{a}..{b}"),
        (Some(a), None) => format!(">= {a}"),
        (None, Some(b)) => format!("<= {b}"),
        (None, None) => String::new(),
    }
}

/// Judges a timing expectation on `values` (of one run, or of every seed's runs together).
pub fn judge_timing(
    tm: &TimingSpec,
    named: &[(String, Option<SimDuration>)],
    at: SimTime,
) -> Judgement {
    let values: Vec<Option<SimDuration>> = named.iter().map(|(_, v)| *v).collect();
    let to = moment_name(tm.to);
    let mut j = Judgement {
        passed: false,
        at,
        expected: timing_bound(tm),
        actual: String::new(),
        diff: Vec::new(),
        values: values.clone(),
    };
    if named.is_empty() {
        j.actual = "no pod matched".to_string();
        j.diff.push("no pod matched the expectation".to_string());
        return j;
    }
    if let Some(p) = tm.percentile {
        let v = percentile(&values, p);
        j.passed = v.is_some_and(|d| within(tm, d));
        j.actual = match v {
            Some(d) => format!("p{p} = {d} over {} value(s)", values.len()),
            None => format!("p{p} = never {to} over {} value(s)", values.len()),
        };
        if !j.passed {
            j.diff
                .push(format!("p{p}: expected {}, got {}", j.expected, j.actual));
        }
        return j;
    }
    let bad: Vec<String> = named
        .iter()
        .filter(|(_, v)| !v.is_some_and(|d| within(tm, d)))
        .map(|(n, v)| match v {
            Some(d) => format!("{n}: {d}"),
            None => format!("{n}: never {to}"),
        })
        .collect();
    let max = values.iter().flatten().max();
    j.actual = match max {
        Some(m) if named.len() > 1 => format!("max {m} over {} pods", named.len()),
        Some(m) => m.to_string(),
        None => format!("never {to}"),
    };
    j.passed = bad.is_empty();
    for b in bad.into_iter().take(5) {
        j.diff.push(format!("expected {}, got {b}", j.expected));
    }
    j
}

fn timing(
    tm: &TimingSpec,
    records: &[TimelineRecord],
    labels: &BTreeMap<(String, String), BTreeMap<String, String>>,
    at: SimTime,
) -> Judgement {
    judge_timing(tm, &timing_values(tm, records, labels), at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expect::Window;

    fn t(s: u64) -> SimTime {
        SimTime::ZERO + SimDuration::from_secs(s)
    }

    fn verdict(holds: bool) -> Verdict {
        let mut v = Verdict::default();
        v.fields.push(observe::Field {
            name: "status".into(),
            expected: "Running".into(),
            actual: if holds { "Running" } else { "Pending" }.into(),
            holds,
        });
        v
    }

    /// (when, observations in time order) -> (passed, decided at).
    fn run(when: When, states: &[(u64, bool)]) -> Option<(bool, SimTime)> {
        states
            .iter()
            .find_map(|&(s, h)| decide(when, t(s), &verdict(h)))
            .map(|j| (j.passed, j.at))
    }

    #[test]
    fn temporal_clauses() {
        let w = Window {
            from: t(10),
            until: t(20),
        };
        let states = [(0, false), (10, false), (15, true), (20, true), (30, false)];
        assert_eq!(run(When::At(t(15)), &states), Some((true, t(15))));
        assert_eq!(run(When::At(t(10)), &states), Some((false, t(10))));
        assert_eq!(run(When::By(t(20)), &states), Some((true, t(15))));
        assert_eq!(run(When::By(t(10)), &states), Some((false, t(10))));
        assert_eq!(run(When::Always(w), &states), Some((false, t(10))));
        assert_eq!(
            run(
                When::Always(Window {
                    from: t(15),
                    until: t(20)
                }),
                &states
            ),
            Some((true, t(20)))
        );
        assert_eq!(run(When::Never(w), &states), Some((false, t(15))));
        assert_eq!(
            run(
                When::Never(Window {
                    from: t(0),
                    until: t(10)
                }),
                &states
            ),
            Some((true, t(10)))
        );
        assert_eq!(run(When::Eventually(w), &states), Some((true, t(15))));
        assert_eq!(
            run(
                When::Eventually(Window {
                    from: t(25),
                    until: t(30)
                }),
                &states
            ),
            Some((false, t(30)))
        );
        assert_eq!(run(When::Run, &states), None);
    }

    #[test]
    fn nearest_rank_percentiles_count_missing_values_as_longest() {
        let d = |s| Some(SimDuration::from_secs(s));
        let values = [d(1), d(2), d(3), d(4), None];
        assert_eq!(percentile(&values, 50), d(3));
        assert_eq!(percentile(&values, 80), d(4));
        assert_eq!(percentile(&values, 100), None);
        assert_eq!(percentile(&[], 50), None);
    }
}
