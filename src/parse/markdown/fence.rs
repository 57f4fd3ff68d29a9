//! What a fence's attributes ask of `versus test` (`python=3.14`, `requires=free-threading`,
//! `no-run="why"`, `timeout=60`), parsed once here, so that `check`, `build` and `test`
//! refuse the same fences with the same errors and `versus test` uses the parsed values.

use std::fmt;
use std::num::NonZeroU64;
use std::path::Path;
use std::str::FromStr;

use crate::diagnostic::{Diagnostic, Position};

/// A Python `major.minor` version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct PythonVersion {
    pub major: u32,
    pub minor: u32,
}

impl FromStr for PythonVersion {
    type Err = ();

    fn from_str(text: &str) -> Result<Self, ()> {
        let (major, minor) = text.trim().split_once('.').ok_or(())?;
        Ok(PythonVersion {
            major: major.parse().map_err(|_| ())?,
            minor: minor.parse().map_err(|_| ())?,
        })
    }
}

impl fmt::Display for PythonVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

/// An interpreter feature a sample can ask for with `requires=`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Feature {
    /// A free-threaded build (PEP 703) running without the GIL.
    FreeThreading,
}

impl Feature {
    const ALL: &[(&str, Feature)] = &[("free-threading", Feature::FreeThreading)];

    fn parse(name: &str) -> Option<Feature> {
        Self::ALL
            .iter()
            .find(|(known, _)| *known == name)
            .map(|(_, feature)| *feature)
    }

    /// How a skip names what was missing.
    pub fn description(self) -> &'static str {
        match self {
            Feature::FreeThreading => "a free-threaded build running without the GIL",
        }
    }
}

/// The longest `timeout=` a sample may ask for, in seconds: a day. A sample that needs
/// longer is not documentation, and a deadline past it could overflow the clock.
pub const MAX_TIMEOUT_SECONDS: u64 = 24 * 60 * 60;

/// What a code block's fence asks of `versus test`; all absent for a fence without them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SampleSettings {
    /// `python=3.14`: the version the sample needs; older interpreters skip it.
    pub python: Option<PythonVersion>,
    /// `requires=free-threading`: the interpreter features the sample needs.
    pub requires: Vec<Feature>,
    /// `no-run="why"`: an illustration only, skipped with this reason.
    pub no_run: Option<String>,
    /// `timeout=60`: seconds, instead of the book's default.
    pub timeout: Option<NonZeroU64>,
}

/// The settings of a fence's attributes, and the problems of their values. An empty value
/// is left to the lint of attributes (it says the attribute needs one); a repeated one
/// counts once, as the lint reports the repeat.
pub(super) fn settings(
    shown: &Path,
    position: Position,
    attrs: &[(String, String)],
) -> (SampleSettings, Vec<Diagnostic>) {
    let problem = |message: String, help: &str| {
        Diagnostic::error(shown, position, message).with_help(help.to_string())
    };
    let attr = |key: &str| {
        attrs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    };
    let mut settings = SampleSettings::default();
    let mut problems = Vec::new();
    if let Some(text) = attr("python").filter(|t| !t.is_empty()) {
        match text.parse::<PythonVersion>() {
            Ok(version) => settings.python = Some(version),
            Err(()) => problems.push(problem(
                format!("`python={text}` is not a Python version"),
                "write the version the sample needs as major.minor, e.g. `python=3.14`",
            )),
        }
    }
    if let Some(list) = attr("requires").filter(|t| !t.is_empty()) {
        let features: Option<Vec<Feature>> = list
            .split(',')
            .map(|name| Feature::parse(name.trim()))
            .collect();
        match features {
            Some(features) => settings.requires = features,
            None => {
                let known: Vec<_> = Feature::ALL.iter().map(|(name, _)| *name).collect();
                problems.push(problem(
                    format!("`requires={list}` names an unknown interpreter feature"),
                    &format!("known features: {}", known.join(", ")),
                ));
            }
        }
    }
    match attr("no-run") {
        None => {}
        Some("") => problems.push(problem(
            "`no-run` needs a reason".to_string(),
            "say why the sample is not run, e.g. `no-run=\"needs a network\"`",
        )),
        Some(reason) => settings.no_run = Some(reason.to_string()),
    }
    if let Some(text) = attr("timeout").filter(|t| !t.is_empty()) {
        let digits = text.bytes().all(|b| b.is_ascii_digit());
        // Digits too many for a u64 are still a number, only a far too large one.
        let seconds = digits.then(|| text.parse::<u64>().unwrap_or(u64::MAX));
        match seconds.and_then(NonZeroU64::new) {
            Some(seconds) if seconds.get() <= MAX_TIMEOUT_SECONDS => {
                settings.timeout = Some(seconds);
            }
            Some(_) => problems.push(problem(
                format!("`timeout={text}` is more than a day"),
                &format!("write at most {MAX_TIMEOUT_SECONDS} seconds, e.g. `timeout=60`"),
            )),
            None => problems.push(problem(
                format!("`timeout={text}` is not a number of seconds"),
                "write a whole number of seconds, at least 1, e.g. `timeout=60`",
            )),
        }
    }
    (settings, problems)
}
