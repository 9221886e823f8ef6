//! Scheduler throughput on kubesim's versions of upstream's scheduler_perf workloads
//! (`sim_core::scheduler::perf`): each iteration prepares a workload (nodes, init pods
//! scheduled, measured pods created; not timed) and times scheduling the measured pods.
//! Throughput is reported in measured pods per second, as scheduler_perf's
//! SchedulingThroughput is.
//!
//! Run: `cargo bench --bench scheduler` (a few minutes on a 2-core VM; the affinity workloads
//! dominate). `kubesim bench scheduler <workload>` prints the same figure for one run.

/// The same allocator as the `kubesim` binary.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput};
use sim_core::scheduler::perf::{PerfRun, WORKLOADS};

fn scheduler(c: &mut Criterion) {
    let mut group = c.benchmark_group("scheduler");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(10));
    for w in WORKLOADS {
        group.throughput(Throughput::Elements(w.measured.count as u64));
        group.bench_function(w.name, |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let mut run = PerfRun::prepare(w, 1);
                    let start = Instant::now();
                    let scheduled = run.schedule_measured();
                    total += start.elapsed();
                    assert_eq!(
                        scheduled, w.measured.count,
                        "{}: every pod is placed",
                        w.name
                    );
                }
                total
            })
        });
    }
    group.finish();
}

criterion::criterion_group!(benches, scheduler);
criterion::criterion_main!(benches);
