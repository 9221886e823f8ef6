//! `kubesim test` steps a run batch by batch (`run_until` to each next event time, and to the
//! times expectations name); that must not change anything: the timeline is the one a single
//! `run` produces, for every bundled scenario.

mod common;

use std::sync::Arc;

use sim_core::engine::Simulation;
use sim_core::time::{SimDuration, SimTime};

#[test]
fn stepped_runs_match_whole_runs() {
    for path in common::all_scenarios() {
        let scenario = common::load(&path);
        let whole = common::run(&scenario, None);
        let opts = common::options(&scenario, None);
        let end = opts.until;
        let mut stepped = Simulation::new(Arc::clone(&scenario), opts);
        // Also stop at instants where nothing happens (every 7.5s), as `at:` clauses do.
        let mut probe = SimTime::ZERO;
        loop {
            let next = stepped.next_event_time().filter(|t| *t <= end);
            probe += SimDuration::from_millis(7500);
            let t = match next {
                Some(n) => n.min(probe.min(end)),
                None if probe <= end => probe,
                None => break,
            };
            stepped.run_until(t);
        }
        assert_eq!(
            whole.timeline().records(),
            stepped.timeline().records(),
            "{}",
            path.display()
        );
        assert_eq!(
            whole.stop_reason(),
            stepped.stop_reason(),
            "{}",
            path.display()
        );
    }
}
