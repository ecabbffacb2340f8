//! Size limits shared by every door: the scenario validator and every subcommand check spans,
//! grids, layout counts and thread counts here, so that a step typed in the wrong unit, a
//! NaN or a huge number is a clean error instead of an allocation failure, a panic or a run
//! that never ends.
//!
//! | what | limit |
//! |---|---|
//! | epochs of a span held in memory (coverage, networks, DOP, scenario) | [`MAX_EPOCHS`] |
//! | epochs of a streamed table (`satpos`) | [`MAX_STREAMED_EPOCHS`] |
//! | grid points (coverage grids, user grids, candidate lattices) | [`MAX_GRID_POINTS`] |
//! | layouts of an exhaustive search | [`MAX_EXHAUSTIVE_COMBINATIONS`] |
//! | worker threads | [`MAX_THREADS_PER_CORE`] × the cores ([`max_threads`]) |
//! | durations, steps, degrees | finite numbers ([`finite`]) |
//! | broadcast time offsets evaluated from their reference | [`MAX_OFFSET_EXTRAPOLATION_S`] |
//!
//! Numbers in messages are printed by [`brief`] (at most 6 significant digits).

use thiserror::Error;

/// Largest number of epochs of a span held in memory: a guard against a step typed in the
/// wrong unit (e.g. 0.3 instead of 300), which would otherwise run for hours.
pub const MAX_EPOCHS: usize = 100_000;
/// Largest number of epochs of a table written row by row (`satpos`): 11.5 days
/// at 1 s.
pub const MAX_STREAMED_EPOCHS: usize = 1_000_000;
/// Largest number of grid points: a 0.1° global grid has 6.5 million; beyond this a run
/// would not fit in memory on an ordinary machine.
pub const MAX_GRID_POINTS: usize = 10_000_000;
/// Largest number of combinations C(n, k) an exhaustive layout search may be asked to score;
/// beyond it the greedy method is the way. The bound keeps a run to minutes: each
/// combination costs one tracking evaluation over the span.
pub const MAX_EXHAUSTIVE_COMBINATIONS: u64 = 1_000_000;
/// Farthest a broadcast time offset is evaluated from its reference epoch without an explicit
/// request (`--extrapolate`), seconds: two days. A broadcast polynomial is fitted for about a
/// day; seven years out it is meaningless (a 10 ms closure).
pub const MAX_OFFSET_EXTRAPOLATION_S: f64 = 2.0 * 86_400.0;
/// Worker threads allowed per core: more only adds switching (results never depend on the
/// number of threads).
pub const MAX_THREADS_PER_CORE: usize = 4;

/// A value beyond a limit, or not a finite number.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum LimitError {
    /// Not a finite number, or outside its domain.
    #[error("{what} {value}: {expected}")]
    Value {
        /// The option or key.
        what: String,
        /// The value as written (briefly).
        value: String,
        /// What is expected.
        expected: String,
    },
    /// Too many of something.
    #[error("{what}: {detail}")]
    TooMany {
        /// The option or key.
        what: String,
        /// How many, the limit, and what to do.
        detail: String,
    },
}

/// A number in at most 6 significant digits, without trailing zeros; exponent notation
/// beyond 1e6 or below 1e-4 (`0.001`, `3600`, `1e+09`, `NaN`, `inf`).
///
/// ```
/// use gnss_interop::limits::brief;
/// assert_eq!(brief(0.001), "0.001");
/// assert_eq!(brief(300.0), "300");
/// assert_eq!(brief(1e-300), "1e-300");
/// assert_eq!(brief(1e9), "1e9");
/// assert_eq!(brief(f64::NAN), "NaN");
/// ```
pub fn brief(v: f64) -> String {
    if !v.is_finite() {
        return format!("{v}");
    }
    let a = v.abs();
    if a != 0.0 && !(1e-4..1e6).contains(&a) {
        let s = format!("{v:.5e}");
        let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
        let m = if m.contains('.') {
            m.trim_end_matches('0').trim_end_matches('.')
        } else {
            m
        };
        return format!("{m}e{e}");
    }
    let digits = (5 - a.log10().floor().max(-10.0) as i32).clamp(0, 12) as usize;
    let s = format!("{v:.digits$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// `v` if finite, else an error naming `what`.
pub fn finite(what: &str, v: f64) -> Result<f64, LimitError> {
    if v.is_finite() {
        Ok(v)
    } else {
        Err(LimitError::Value {
            what: what.into(),
            value: brief(v),
            expected: "expected a finite number".into(),
        })
    }
}

/// One end of a range: the bound and whether it is excluded ([`OPEN`]) or included
/// ([`CLOSED`]).
pub type End = (f64, bool);
/// The bound of an [`End`] belongs to the range.
pub const CLOSED: bool = false;
/// The bound of an [`End`] is excluded.
pub const OPEN: bool = true;

/// A number refused by [`in_range`]: the value as written ([`brief`]) and what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutOfRange {
    /// The value refused.
    pub value: String,
    /// What is expected (`expected a latitude (degrees) in [-90, 90]`, `expected a step in
    /// seconds > 0`).
    pub expected: String,
    /// Whether the range has an upper bound (worded "out of range", else "not allowed").
    pub bounded_above: bool,
}

impl std::fmt::Display for OutOfRange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let how = if self.bounded_above {
            "is out of range"
        } else {
            "is not allowed"
        };
        write!(f, "{} {how}; {}", self.value, self.expected)
    }
}

/// `v` when finite and within `lo … hi` (each end closed or open), else what was expected:
/// "`what` in `[lo, hi]`" (brackets after the ends), or "`what` > `lo`" (≥ for a closed end)
/// without an upper bound (`hi` infinite). The one range check of flags and scenario values.
///
/// ```
/// use gnss_interop::limits::{in_range, CLOSED, OPEN};
/// assert_eq!(in_range(5.0, (0.0, CLOSED), (90.0, OPEN), "a mask"), Ok(5.0));
/// let e = in_range(90.0, (0.0, CLOSED), (90.0, OPEN), "a mask").unwrap_err();
/// assert_eq!(e.to_string(), "90 is out of range; expected a mask in [0, 90)");
/// let e = in_range(0.0, (0.0, OPEN), (f64::INFINITY, OPEN), "a step").unwrap_err();
/// assert_eq!(e.to_string(), "0 is not allowed; expected a step > 0");
/// assert!(in_range(f64::NAN, (0.0, OPEN), (1.0, OPEN), "x").is_err());
/// ```
pub fn in_range(
    v: f64,
    (lo, lo_open): End,
    (hi, hi_open): End,
    what: &str,
) -> Result<f64, OutOfRange> {
    let above = if lo_open { v > lo } else { v >= lo };
    let below = if hi_open { v < hi } else { v <= hi };
    if v.is_finite() && above && below {
        return Ok(v);
    }
    let bounded_above = hi.is_finite();
    let expected = if bounded_above {
        let (open, close) = (
            if lo_open { "(" } else { "[" },
            if hi_open { ")" } else { "]" },
        );
        format!(
            "expected {what} in {open}{}, {}{close}",
            brief(lo),
            brief(hi)
        )
    } else {
        let op = if lo_open { ">" } else { "≥" };
        format!("expected {what} {op} {}", brief(lo))
    };
    Err(OutOfRange {
        value: brief(v),
        expected,
        bounded_above,
    })
}

/// `v` if finite and > 0, else an error naming `what` ([`in_range`]).
pub fn positive(what: &str, v: f64) -> Result<f64, LimitError> {
    in_range(v, (0.0, OPEN), (f64::INFINITY, OPEN), "a finite number").map_err(|r| {
        LimitError::Value {
            what: what.into(),
            value: r.value,
            expected: r.expected,
        }
    })
}

/// Epochs of a span of `span_s` seconds at `step_s` (both ends included when on the step),
/// checked: both finite, span ≥ 0, step > 0, at most `max` epochs ([`MAX_EPOCHS`] or
/// [`MAX_STREAMED_EPOCHS`]). `what` names the options (e.g. `--hours/--step-s`).
pub fn epochs(what: &str, span_s: f64, step_s: f64, max: usize) -> Result<usize, LimitError> {
    if !(span_s.is_finite() && span_s >= 0.0) {
        return Err(LimitError::Value {
            what: what.into(),
            value: format!("span {} s", brief(span_s)),
            expected: "expected a finite span ≥ 0".into(),
        });
    }
    positive(&format!("{what}: step (s)"), step_s)?;
    let n = (span_s / step_s).floor() + 1.0;
    if n > max as f64 {
        return Err(LimitError::TooMany {
            what: what.into(),
            detail: format!(
                "a step of {} s over {} s gives {} epochs; at most {max} are allowed (a larger \
                 step or a shorter span)",
                brief(step_s),
                brief(span_s),
                brief(n)
            ),
        });
    }
    Ok(n as usize)
}

/// Upper bound of the points of a grid `lat_extent_deg` × `lon_extent_deg` at `step_deg`
/// (nodes included), checked against [`MAX_GRID_POINTS`]; the step must be finite and > 0.
pub fn grid_points(
    what: &str,
    lat_extent_deg: f64,
    lon_extent_deg: f64,
    step_deg: f64,
) -> Result<usize, LimitError> {
    positive(&format!("{what} (degrees)"), step_deg)?;
    let lat = finite(what, lat_extent_deg)?.abs();
    let lon = finite(what, lon_extent_deg)?.abs();
    let n = ((lat / step_deg).ceil() + 1.0) * ((lon / step_deg).ceil() + 1.0);
    if n > MAX_GRID_POINTS as f64 {
        return Err(LimitError::TooMany {
            what: what.into(),
            detail: format!(
                "{}° gives about {} grid points; at most {MAX_GRID_POINTS} are allowed (a larger \
                 step or a smaller region)",
                brief(step_deg),
                brief(n)
            ),
        });
    }
    Ok(n as usize)
}

/// The cores of this machine (1 when unknown).
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Most worker threads allowed: [`MAX_THREADS_PER_CORE`] × [`cores`].
pub fn max_threads() -> usize {
    MAX_THREADS_PER_CORE * cores()
}

/// A thread count checked: 1 ≤ n ≤ [`max_threads`].
pub fn threads(what: &str, n: usize) -> Result<usize, LimitError> {
    if n == 0 || n > max_threads() {
        return Err(LimitError::Value {
            what: what.into(),
            value: n.to_string(),
            expected: format!(
                "expected 1 to {} threads ({MAX_THREADS_PER_CORE} per core, {} cores)",
                max_threads(),
                cores()
            ),
        });
    }
    Ok(n)
}

/// Combinations of a layout search, checked against [`MAX_EXHAUSTIVE_COMBINATIONS`].
pub fn combinations(what: &str, n: usize, k: usize) -> Result<u64, LimitError> {
    let c = binomial(n as u64, k as u64);
    if c > MAX_EXHAUSTIVE_COMBINATIONS {
        return Err(LimitError::TooMany {
            what: what.into(),
            detail: format!(
                "an exhaustive search over C({n}, {k}) = {} layouts exceeds \
                 {MAX_EXHAUSTIVE_COMBINATIONS}; use the greedy method or fewer candidates",
                if c == u64::MAX {
                    "more than 1.8e19".to_string()
                } else {
                    c.to_string()
                }
            ),
        });
    }
    Ok(c)
}

/// C(n, k), saturating at `u64::MAX`.
pub fn binomial(n: u64, k: u64) -> u64 {
    if k > n {
        return 0;
    }
    let k = k.min(n - k);
    let mut r: u128 = 1;
    for i in 0..k {
        r = r * u128::from(n - i) / u128::from(i + 1);
        if r > u128::from(u64::MAX) {
            return u64::MAX;
        }
    }
    r as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brief_numbers() {
        assert_eq!(brief(0.0), "0");
        assert_eq!(brief(-300.0), "-300");
        assert_eq!(brief(2.5), "2.5");
        assert_eq!(brief(1.0 / 3.0), "0.333333");
        assert_eq!(brief(123456.7), "123457");
        assert_eq!(brief(1e-300), "1e-300");
        assert!(brief(f64::MIN_POSITIVE).len() < 16);
        assert_eq!(brief(f64::INFINITY), "inf");
    }

    #[test]
    fn guards() {
        assert_eq!(epochs("x", 86400.0, 300.0, MAX_EPOCHS).unwrap(), 289);
        assert!(epochs("x", f64::NAN, 300.0, MAX_EPOCHS).is_err());
        assert!(epochs("x", 1e9 * 3600.0, 300.0, MAX_EPOCHS).is_err());
        assert!(epochs("x", 3600.0, -300.0, MAX_EPOCHS).is_err());
        assert!(epochs("x", 3600.0, 0.0, MAX_EPOCHS).is_err());
        assert!(grid_points("g", 180.0, 360.0, 0.001).is_err());
        assert!(grid_points("g", 180.0, 360.0, 1.0).is_ok());
        assert!(grid_points("g", 180.0, 360.0, f64::NAN).is_err());
        assert!(threads("t", 0).is_err());
        assert!(threads("t", 100_000).is_err());
        assert!(threads("t", 1).is_ok());
        assert_eq!(binomial(5, 2), 10);
        assert_eq!(binomial(200, 100), u64::MAX);
        assert!(combinations("c", 200, 100).is_err());
    }
}
