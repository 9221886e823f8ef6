//! JUnit XML for CI systems (the schema Jenkins, GitLab and GitHub test reporters read):
//! `testsuites` > `testsuite` (one per scenario file) > `testcase` (one per expectation), with
//! `failure` or `skipped` children.

use std::time::Duration;

pub struct Suite {
    pub name: String,
    pub time: Duration,
    pub cases: Vec<Case>,
}

pub struct Case {
    pub name: String,
    pub outcome: Outcome,
}

pub enum Outcome {
    Passed,
    Failed { message: String, text: String },
    Skipped { message: String },
}

impl Suite {
    pub fn new(name: &str, time: Duration) -> Suite {
        Suite {
            name: name.to_string(),
            time,
            cases: Vec::new(),
        }
    }

    fn count(&self, f: impl Fn(&Outcome) -> bool) -> usize {
        self.cases.iter().filter(|c| f(&c.outcome)).count()
    }
}

impl Case {
    pub fn passed(name: &str) -> Case {
        Case {
            name: name.to_string(),
            outcome: Outcome::Passed,
        }
    }

    pub fn failed(name: &str, message: &str, text: &str) -> Case {
        Case {
            name: name.to_string(),
            outcome: Outcome::Failed {
                message: message.to_string(),
                text: text.to_string(),
            },
        }
    }

    pub fn skipped(name: &str, message: &str) -> Case {
        Case {
            name: name.to_string(),
            outcome: Outcome::Skipped {
                message: message.to_string(),
            },
        }
    }
}

/// XML 1.0 escaping for attribute values and text; characters XML 1.0 forbids are dropped.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 => {}
            c => out.push(c),
        }
    }
    out
}

fn is_failed(o: &Outcome) -> bool {
    matches!(o, Outcome::Failed { .. })
}

fn is_skipped(o: &Outcome) -> bool {
    matches!(o, Outcome::Skipped { .. })
}

pub fn render(suites: &[Suite], total: Duration) -> String {
    let tests: usize = suites.iter().map(|s| s.cases.len()).sum();
    let failures: usize = suites.iter().map(|s| s.count(is_failed)).sum();
    let skipped: usize = suites.iter().map(|s| s.count(is_skipped)).sum();
    let mut x = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    x.push_str(&format!(
        "<testsuites name=\"kubesim test\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" skipped=\"{skipped}\" time=\"{:.3}\">\n",
        total.as_secs_f64()
    ));
    for s in suites {
        x.push_str(&format!(
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\" time=\"{:.3}\">\n",
            escape(&s.name),
            s.cases.len(),
            s.count(is_failed),
            s.count(is_skipped),
            s.time.as_secs_f64()
        ));
        for c in &s.cases {
            let head = format!(
                "    <testcase classname=\"{}\" name=\"{}\"",
                escape(&s.name),
                escape(&c.name)
            );
            match &c.outcome {
                Outcome::Passed => x.push_str(&format!("{head}/>\n")),
                Outcome::Failed { message, text } => x.push_str(&format!(
                    "{head}>\n      <failure message=\"{}\" type=\"ExpectationFailed\">{}</failure>\n    </testcase>\n",
                    escape(message),
                    escape(text)
                )),
                Outcome::Skipped { message } => x.push_str(&format!(
                    "{head}>\n      <skipped message=\"{}\"/>\n    </testcase>\n",
                    escape(message)
                )),
            }
        }
        x.push_str("  </testsuite>\n");
    }
    x.push_str("</testsuites>\n");
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_drops_control_characters() {
        assert_eq!(escape("a<b & \"c\"\u{1}"), "a&lt;b &amp; &quot;c&quot;");
    }
}
