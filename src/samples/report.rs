//! The text `versus test` prints: a line per sample, the failures in detail, then the
//! `N passed, N failed, N skipped` line that closes every run.

use std::fmt::Write as _;

use super::{Outcome, SampleResult};

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    pub passed: usize,
    pub failed: usize,
    pub skipped: usize,
}

/// The whole report, and the counts.
pub fn report(results: &[SampleResult]) -> (String, Tally) {
    let mut out = String::new();
    let mut tally = Tally::default();
    for result in results {
        let title = result
            .sample
            .title
            .as_ref()
            .map(|t| format!(" \"{t}\""))
            .unwrap_or_default();
        let status = match &result.outcome {
            Outcome::Passed => {
                tally.passed += 1;
                format!("ok ({:.2} s)", result.elapsed.as_secs_f64())
            }
            Outcome::Failed(detail) => {
                tally.failed += 1;
                format!("FAILED ({})", detail.reason)
            }
            Outcome::Skipped(reason) => {
                tally.skipped += 1;
                format!("skipped: {reason}")
            }
        };
        let _ = writeln!(out, "test {}{title} ... {status}", result.sample.name());
    }
    let failures: Vec<_> = results
        .iter()
        .filter_map(|r| match &r.outcome {
            Outcome::Failed(detail) => Some((r, detail)),
            _ => None,
        })
        .collect();
    if !failures.is_empty() {
        out.push_str("\nfailures:\n");
    }
    for (result, detail) in failures {
        let sample = &result.sample;
        let _ = writeln!(
            out,
            "\n{}:{}:{}: error: sample failed: {}",
            sample.path.display(),
            sample.position.line,
            sample.position.column,
            detail.reason
        );
        let _ = writeln!(out, "  command: {}", detail.command);
        block(&mut out, "stderr", &detail.stderr);
        if let Some(expected) = &detail.expected_stdout {
            block(&mut out, "expected stdout", expected);
        }
        block(&mut out, "stdout", &detail.stdout);
    }
    let _ = writeln!(
        out,
        "\n{} passed, {} failed, {} skipped",
        tally.passed, tally.failed, tally.skipped
    );
    (out, tally)
}

fn block(out: &mut String, label: &str, text: &str) {
    if text.trim().is_empty() {
        let _ = writeln!(out, "  {label}: (empty)");
        return;
    }
    let _ = writeln!(out, "  {label}:");
    let lines: Vec<&str> = text.lines().collect();
    // A report stays readable whatever a sample printed: the start and the end of a long
    // stream (where a traceback ends), each line cut to a screenful.
    let (head, tail) = if lines.len() > SHOWN_LINES {
        (
            &lines[..SHOWN_LINES / 2],
            &lines[lines.len() - SHOWN_LINES / 2..],
        )
    } else {
        (&lines[..], &lines[..0])
    };
    for line in head {
        shown_line(out, line);
    }
    if !tail.is_empty() {
        let _ = writeln!(
            out,
            "    | [versus: {} lines not shown]",
            lines.len() - SHOWN_LINES
        );
    }
    for line in tail {
        shown_line(out, line);
    }
}

/// How many lines of a stream a failure shows, and how many characters of each.
const SHOWN_LINES: usize = 200;
const SHOWN_CHARS: usize = 1000;

fn shown_line(out: &mut String, line: &str) {
    match line.char_indices().nth(SHOWN_CHARS) {
        None => {
            let _ = writeln!(out, "    | {line}");
        }
        Some((end, _)) => {
            let _ = writeln!(
                out,
                "    | {} [versus: {} more characters not shown]",
                &line[..end],
                line[end..].chars().count()
            );
        }
    }
}
