//! `kubesim test`: the bundled scenarios pass, a wrong expectation fails clearly, JUnit output
//! is well-formed, and many seeds run at once.

mod common;

use common::kubesim;

fn last_line(s: &str) -> &str {
    s.lines().last().unwrap_or("")
}

#[test]
fn every_bundled_scenario_passes_its_expectations() {
    let (code, stdout, stderr) = kubesim(&["test", "scenarios/"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let last = last_line(&stdout);
    let passed: usize = last
        .strip_suffix(" passed, 0 failed")
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("last line: {last}"));
    assert!(passed > 100, "{last}");
    // Files that must be rejected are checked against the error their header names.
    assert!(
        stdout.contains("ok   scenarios/invalid/misspelled-field.yaml: invalid as expected (11:5: error: Pod \"typo\" is invalid: strict decoding error: unknown field \"spec.containers[0].imagee\")"),
        "{stdout}"
    );
    assert!(!stdout.contains("without expectations"), "{stdout}");
}

/// The bar is `--seeds 1..50` (reports/test-seeds.md runs 1..300 in release); 20 seeds
/// keep the debug test suite fast.
#[test]
fn every_bundled_scenario_passes_over_many_seeds() {
    let (code, stdout, stderr) = kubesim(&["test", "scenarios/", "--seeds", "1..20"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        last_line(&stdout).ends_with(" passed, 0 failed"),
        "{stdout}"
    );
    assert!(stdout.contains("run(s) in "), "{stdout}");
    // Statistical expectations: a share of seeds, and a percentile pooled over all of them.
    assert!(
        stdout.contains("/20 seeds, at least 80% of seeds required)"),
        "{stdout}"
    );
    assert!(stdout.contains("pooled over 20 seeds required"), "{stdout}");
}

#[test]
fn a_wrong_expectation_fails_with_a_diff_and_exit_code_1() {
    let (code, stdout, _) = kubesim(&["test", "tests/fixtures/deliberately-wrong.yaml"]);
    assert_eq!(code, 1, "{stdout}");
    for line in [
        "  ok     line 23: at 10s pod web: phase=Running ready=1/1",
        "  FAIL   line 25: wrong on purpose",
        "         expected: status=Pending ready=0/1",
        "         actual:   status=Running ready=1/1 (at 10s)",
        "         status: expected Pending, got Running",
        "         ready: expected 0/1, got 1/1",
        "         reproduce: kubesim run tests/fixtures/deliberately-wrong.yaml --seed 42",
        "  FAIL   line 28: by 30s event OOMKilling on web: count >=1",
    ] {
        assert!(
            stdout.lines().any(|l| l == line),
            "missing {line:?} in\n{stdout}"
        );
    }
    assert_eq!(last_line(&stdout), "1 passed, 2 failed");
}

#[test]
fn seeds_run_in_parallel_and_failing_seeds_are_listed() {
    let (code, stdout, _) = kubesim(&[
        "test",
        "scenarios/lifecycle/single-container.yaml",
        "tests/fixtures/deliberately-wrong.yaml",
        "--seeds",
        "1..4",
    ]);
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains("scenarios/lifecycle/single-container.yaml (seeds 1..4)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("(4/4 seeds, every seed required)"),
        "{stdout}"
    );
    assert!(stdout.contains("failing seeds: 1, 2, 3, 4"), "{stdout}");
    assert!(
        stdout.contains("reproduce: kubesim run tests/fixtures/deliberately-wrong.yaml --seed 1"),
        "{stdout}"
    );
    assert!(stdout.contains("8 run(s) in "), "{stdout}");
    let (code, _, stderr) = kubesim(&["test", "scenarios/quickstart.yaml", "--seeds", "9..3"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("empty seed range \"9..3\""), "{stderr}");
}

#[test]
fn junit_report_is_well_formed_and_counts_match() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("junit.xml");
    let p = path.to_string_lossy().to_string();
    let (code, stdout, _) = kubesim(&[
        "test",
        "scenarios/lifecycle/network-demo.yaml",
        "tests/fixtures/deliberately-wrong.yaml",
        "scenarios/invalid/wrong-type.yaml",
        "--junit",
        &p,
    ]);
    assert_eq!(code, 1, "{stdout}");
    let xml = std::fs::read_to_string(&path).expect("the report");
    let doc = roxmltree::Document::parse(&xml).expect("well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let attr = |n: roxmltree::Node<'_, '_>, a: &str| -> usize {
        n.attribute(a)
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("{a} on {}", n.tag_name().name()))
    };
    let suites: Vec<_> = root.children().filter(|n| n.is_element()).collect();
    assert_eq!(suites.len(), 3);
    let mut cases_total = 0;
    let mut failures_total = 0;
    for s in &suites {
        assert_eq!(s.tag_name().name(), "testsuite");
        assert!(s.attribute("name").is_some() && s.attribute("time").is_some());
        let cases: Vec<_> = s.children().filter(|n| n.is_element()).collect();
        assert!(cases.iter().all(|c| c.tag_name().name() == "testcase"
            && c.attribute("classname").is_some()
            && c.attribute("name").is_some()));
        let failures = cases
            .iter()
            .filter(|c| c.children().any(|f| f.tag_name().name() == "failure"))
            .count();
        assert_eq!(attr(*s, "tests"), cases.len());
        assert_eq!(attr(*s, "failures"), failures);
        cases_total += cases.len();
        failures_total += failures;
    }
    assert_eq!(attr(root, "tests"), cases_total);
    assert_eq!(attr(root, "failures"), failures_total);
    assert_eq!(failures_total, 2);
    let failure = doc
        .descendants()
        .find(|n| n.tag_name().name() == "failure")
        .and_then(|n| n.text())
        .unwrap_or_default();
    assert!(
        failure.contains("status: expected Pending, got Running"),
        "{failure}"
    );
}

#[test]
fn bad_expectations_are_reported_with_line_and_field_path() {
    let (code, _, stderr) = kubesim(&["validate", "tests/fixtures/bad-expectations.yaml"]);
    assert_eq!(code, 1, "{stderr}");
    for line in [
        "bad-expectations.yaml:11:22: error: spec.expectations[0].pod.stauts: unknown field `stauts`, expected one of `name`, `namespace`, `exists`, `phase`, `status`, `ready`, `restarts`, `node`, `nominatedNode`, `conditions`, `containers`",
        "bad-expectations.yaml:16:22: error: spec.expectations[2].pod.restarts: expected a count like 3, \">=3\", \"<2\" or \"3..7\", found \"at least 3\"",
        "bad-expectations.yaml:20:22: error: spec.expectations[4].pod.phase: unknown variant `Runing`, expected one of `Pending`, `Running`, `Succeeded`, `Failed`, `Unknown`",
    ] {
        assert!(
            stderr.lines().any(|l| l.ends_with(line)),
            "missing {line:?} in\n{stderr}"
        );
    }
}
