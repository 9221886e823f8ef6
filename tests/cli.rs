//! The `kubesim` command as a user runs it: exit codes, messages, files.

mod common;

use common::kubesim;

#[test]
fn validate_reports_a_misspelled_field_with_line_and_column() {
    let (code, stdout, stderr) = kubesim(&["validate", "tests/fixtures/misspelled-field.yaml"]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(
        stderr.contains("misspelled-field.yaml:9:5: error: Pod \"typo\" is invalid: strict decoding error: unknown field \"spec.containers[0].imagee\""),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean \"image\"?"), "{stderr}");
}

#[test]
fn validate_accepts_the_bundled_scenarios() {
    for path in common::all_scenarios() {
        let rel = path
            .strip_prefix(common::repo())
            .expect("inside the repo")
            .display()
            .to_string();
        let (code, stdout, stderr) = kubesim(&["validate", &rel]);
        assert_eq!(code, 0, "{rel}:\n{stdout}{stderr}");
        // The scheduler simulates these: a "not simulated" note for them would be a lie.
        for simulated in [
            "podAffinity",
            "podAntiAffinity",
            "preferredDuringScheduling",
            "topologySpreadConstraints",
        ] {
            assert!(
                !stderr
                    .lines()
                    .any(|l| l.contains(simulated) && l.contains("not simulated")),
                "{rel}:\n{stderr}"
            );
        }
    }
}

#[test]
fn run_prints_the_seed_first_and_writes_the_timeline_atomically() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let out = dir.path().to_string_lossy().to_string();
    let (code, stdout, stderr) = kubesim(&[
        "run",
        "scenarios/quickstart.yaml",
        "--out",
        &out,
        "--format",
        "csv",
        "--seed",
        "7",
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout
            .lines()
            .nth(1)
            .is_some_and(|l| l.starts_with("seed 7 ")),
        "{stdout}"
    );
    let csv = std::fs::read_to_string(dir.path().join("timeline.csv")).expect("timeline.csv");
    assert!(
        csv.starts_with("time,kind,namespace,name,container,node,event,from,to,reason,message\n")
    );
    assert!(csv.contains(",Status,ContainerCreating,Running,"), "{csv}");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).expect("dir").collect();
    assert_eq!(leftovers.len(), 1, "only the timeline remains");
}

#[test]
fn get_pods_prints_kubectls_table() {
    let (code, stdout, stderr) =
        kubesim(&["get", "pods", "scenarios/quickstart.yaml", "--at", "30s"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stdout,
        "NAME           READY   STATUS    RESTARTS   AGE\nmy-nginx-pod   1/1     Running   0          30s\n"
    );
    let (code, stdout, _) = kubesim(&["get", "pods", "scenarios/quickstart.yaml", "--at", "4m"]);
    assert_eq!(code, 0);
    assert_eq!(stdout, "No resources found in default namespace.\n");
}

#[test]
fn describe_pod_shows_events_like_kubectl() {
    let (code, stdout, stderr) = kubesim(&[
        "describe",
        "pod",
        "my-nginx-pod",
        "scenarios/quickstart.yaml",
        "--at",
        "1m",
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.starts_with("Name:             my-nginx-pod\nNamespace:        default\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("QoS Class:                    Burstable"),
        "{stdout}"
    );
    assert!(
        stdout.contains("  Type    Reason     Age   From               Message\n"),
        "{stdout}"
    );
    assert!(stdout.contains("Normal  Pulling    "), "{stdout}");
}

#[test]
fn bad_input_gets_a_clear_error_not_a_panic() {
    let (code, _, stderr) = kubesim(&["run", "does/not/exist.yaml"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("cannot read"), "{stderr}");
    let (code, _, stderr) = kubesim(&["get", "pods", "scenarios/quickstart.yaml", "--at", "soon"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("time: invalid duration \"soon\""),
        "{stderr}"
    );
    let (code, _, stderr) = kubesim(&[
        "describe",
        "pod",
        "nope",
        "scenarios/quickstart.yaml",
        "--at",
        "1m",
    ]);
    assert_eq!(code, 1);
    assert!(stderr.contains("pods \"nope\" not found"), "{stderr}");
}

/// Every file in scenarios/invalid/ fails validation with the error its header comment states.
#[test]
fn invalid_inputs_fail_with_their_documented_error() {
    let dir = common::repo().join("scenarios/invalid");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("scenarios/invalid")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    files.sort();
    assert!(files.len() >= 7, "{files:?}");
    for path in files {
        let text = std::fs::read_to_string(&path).expect("readable");
        let expected = text
            .lines()
            .find_map(|l| {
                l.strip_prefix("# ")
                    .filter(|l| l.starts_with("scenarios/invalid/") && l.contains(": error: "))
            })
            .unwrap_or_else(|| {
                panic!(
                    "{}: no `# <file>:<line>:<col>: error: ...` header",
                    path.display()
                )
            });
        let rel = path
            .strip_prefix(common::repo())
            .expect("in repo")
            .display()
            .to_string();
        let (code, stdout, stderr) = kubesim(&["validate", &rel]);
        assert_eq!(code, 1, "{rel}: {stdout}{stderr}");
        assert!(
            stderr.contains(expected),
            "{rel}: expected\n{expected}\ngot\n{stderr}"
        );
    }
}

/// The real-world manifests and the manifests the scenarios load validate on their own, as
/// `kubectl apply --dry-run=server` would accept them.
#[test]
fn bundled_manifests_validate() {
    let mut files = Vec::new();
    for dir in [
        "scenarios/real-world",
        "scenarios/manifests",
        "scenarios/examples/manifests",
        "scenarios/lifecycle/manifests",
    ] {
        let Ok(entries) = std::fs::read_dir(common::repo().join(dir)) else {
            continue;
        };
        for e in entries.filter_map(Result::ok) {
            let p = e.path();
            let text = std::fs::read_to_string(&p).unwrap_or_default();
            if p.is_file() && !text.contains("kind: Scenario") {
                files.push(format!(
                    "{dir}/{}",
                    p.file_name().expect("a name").to_string_lossy()
                ));
            }
        }
    }
    files.sort();
    assert!(files.len() >= 8, "{files:?}");
    let args: Vec<&str> = std::iter::once("validate")
        .chain(files.iter().map(String::as_str))
        .collect();
    let (code, stdout, stderr) = kubesim(&args);
    assert_eq!(code, 0, "{stdout}{stderr}");
}

/// A scenario with several mistakes gets all of them reported, in file order.
#[test]
fn validate_reports_every_scenario_problem_at_once() {
    let (code, _, stderr) = kubesim(&["validate", "tests/fixtures/three-problems-scenario.yaml"]);
    assert_eq!(code, 1);
    let lines: Vec<&str> = stderr.lines().filter(|l| l.contains(": error: ")).collect();
    assert_eq!(lines.len(), 3, "{stderr}");
    assert!(lines[0].contains(":5:3: error: spec.seed"), "{stderr}");
    assert!(
        lines[1].contains(":6:9: error: spec.run.until: time: unknown unit \"x\""),
        "{stderr}"
    );
    assert!(
        lines[2].contains("spec.cluster.nodePools[0].capacity.cpu: quantities must match"),
        "{stderr}"
    );
}

/// The annotated example in docs/scenario-format.md is the bundled file, so the documented
/// example is the one the tests validate and run.
#[test]
fn documented_example_is_the_bundled_one() {
    let doc =
        std::fs::read_to_string(common::repo().join("docs/scenario-format.md")).expect("the docs");
    let start = doc.find("```yaml\n").expect("a yaml block") + "```yaml\n".len();
    let end = start + doc[start..].find("```").expect("its end");
    let file =
        std::fs::read_to_string(common::repo().join("scenarios/examples/annotated-example.yaml"))
            .expect("the example");
    assert_eq!(&doc[start..end], file);
}

#[test]
fn bench_rejects_an_unknown_workload_and_lists_the_known_ones() {
    let (code, _, stderr) = kubesim(&["bench", "scheduler", "SchedulingBasik"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("unknown workload \"SchedulingBasik\"")
            && stderr.contains("SchedulingBasic, SchedulingPodAntiAffinity"),
        "{stderr}"
    );
    let (code, _, stderr) = kubesim(&["bench", "kubelet", "SchedulingBasic"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("the only benchmark is `scheduler`"),
        "{stderr}"
    );
}
