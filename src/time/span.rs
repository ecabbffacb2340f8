//! The one time-span type of the crate.

use hifitime::{Duration, Epoch};
use serde::{Deserialize, Serialize};

use super::TimeError;

/// Evenly spaced epochs `start + i·step`, `i = 0..n_epochs`: the one time span of the crate
/// (network studies, coverage, scenario files and every CLI span).
///
/// **The end rule.** A span given by its last instant `end` holds every `start + i·step` not
/// after `end` (`end` itself when it falls on the step grid): n = ⌊(end − start)/step⌋ + 1
/// ([`TimeSpan::through`]). A span given by a duration `d` is the one through an instant just
/// before `start + d`: n = ⌈d/step⌉ ([`TimeSpan::new`]), so 24 h every 300 s are 288 epochs,
/// 00:00 … 23:55.
///
/// ```
/// use gnss_interop::time::TimeSpan;
/// use hifitime::{Epoch, Unit};
/// let t0 = Epoch::from_gregorian_utc_hms(2023, 1, 1, 0, 0, 0);
/// let day = TimeSpan::new(t0, Unit::Day * 1, Unit::Second * 300)?;
/// assert_eq!(day.n_epochs, 288);
/// let closed = TimeSpan::through(t0, t0 + Unit::Day * 1, Unit::Second * 300)?;
/// assert_eq!(closed.n_epochs, 289);
/// assert_eq!(closed.last(), t0 + Unit::Day * 1);
/// # Ok::<(), gnss_interop::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TimeSpan {
    /// First epoch.
    pub start: Epoch,
    /// Step between epochs.
    pub step: Duration,
    /// Number of epochs (≥ 1).
    pub n_epochs: usize,
}

/// Relative tolerance on the number of steps (an end on the grid up to rounding is on it).
const EPS_STEPS: f64 = 1e-9;

impl TimeSpan {
    /// The epochs before `start + duration` every `step`: n = ⌈duration / step⌉, the span
    /// [`through`](TimeSpan::through) an instant just before `start + duration` (see the end
    /// rule of [`TimeSpan`]).
    pub fn new(start: Epoch, duration: Duration, step: Duration) -> Result<Self, TimeError> {
        let step_s = step.to_seconds();
        let dur_s = duration.to_seconds();
        if step_s.is_nan() || dur_s.is_nan() || step_s <= 0.0 || dur_s <= 0.0 {
            return Err(TimeError::BadSpan {
                reason: format!("duration {dur_s} s and step {step_s} s must both be positive"),
            });
        }
        // Just before the end: twice the grid tolerance of `through`.
        let before = Duration::from_seconds((dur_s - 2.0 * EPS_STEPS * step_s).max(0.0));
        Self::through(start, start + before, step)
    }

    /// The epochs `start, start + step, …` not after `end`: n = ⌊(end − start) / step⌋ + 1 (see
    /// the end rule of [`TimeSpan`]). `end` before `start` or a step that is not positive is an
    /// error.
    pub fn through(start: Epoch, end: Epoch, step: Duration) -> Result<Self, TimeError> {
        let step_s = step.to_seconds();
        let span_s = (end - start).to_seconds();
        if step_s.is_nan() || step_s <= 0.0 || span_s.is_nan() || span_s < 0.0 {
            return Err(TimeError::BadSpan {
                reason: format!(
                    "end {end} is {span_s} s after start {start} with step {step_s} s; need end ≥ start and step > 0"
                ),
            });
        }
        let n = ((span_s / step_s + EPS_STEPS).floor() as usize).saturating_add(1);
        Ok(TimeSpan {
            start,
            step,
            n_epochs: n,
        })
    }

    /// The `i`-th epoch.
    pub fn epoch(&self, i: usize) -> Epoch {
        self.start + self.step * (i as i64)
    }

    /// The last epoch.
    pub fn last(&self) -> Epoch {
        self.epoch(self.n_epochs.saturating_sub(1))
    }

    /// All epochs, in order.
    pub fn epochs(&self) -> Vec<Epoch> {
        (0..self.n_epochs).map(|i| self.epoch(i)).collect()
    }

    /// Step in seconds.
    pub fn step_s(&self) -> f64 {
        self.step.to_seconds()
    }
}

/// The epochs `start, start + step, …` not after `end`, checked: `end` before `start`, a step
/// that is not finite and positive, or more than `max_epochs` epochs is an error naming
/// `what` (the flags or keys that gave them). An `end` on the step grid is included (1 ns
/// tolerance). The one epoch grid of `satpos`, `timescales` and the validation study.
pub fn epoch_grid(
    what: &str,
    start: Epoch,
    end: Epoch,
    step_s: f64,
    max_epochs: usize,
) -> crate::Result<Vec<Epoch>> {
    if end < start {
        return Err(crate::limits::LimitError::Value {
            what: what.into(),
            value: format!("{start} – {end}"),
            expected: "an end at or after the start".into(),
        }
        .into());
    }
    crate::limits::epochs(what, (end - start).to_seconds() + 1e-9, step_s, max_epochs)?;
    Ok(TimeSpan::through(start, end, Duration::from_seconds(step_s))?.epochs())
}

#[cfg(test)]
mod tests {
    use super::*;
    use hifitime::Unit;

    #[test]
    fn one_end_rule() {
        let t0 = Epoch::from_gregorian_utc_hms(2023, 1, 1, 0, 0, 0);
        // A duration d is the span through just before start + d (1 µs, above the grid
        // tolerance of 10⁻⁹ step), for whole and partial steps.
        for (d_s, step_s) in [
            (86_400.0, 300.0),
            (3_600.0, 600.0),
            (1_000.0, 300.0),
            (1.0, 30.0),
        ] {
            let d = Duration::from_seconds(d_s);
            let step = Duration::from_seconds(step_s);
            let a = TimeSpan::new(t0, d, step).unwrap();
            let b = TimeSpan::through(t0, t0 + d - Unit::Microsecond * 1, step).unwrap();
            assert_eq!(a, b, "{d_s} s every {step_s} s");
        }
        // An end on the grid is an epoch; one just before it is not.
        let s = TimeSpan::through(t0, t0 + Unit::Hour * 1, Unit::Minute * 10).unwrap();
        assert_eq!((s.n_epochs, s.last()), (7, t0 + Unit::Hour * 1));
        let s = TimeSpan::through(
            t0,
            t0 + Unit::Hour * 1 - Unit::Second * 1,
            Unit::Minute * 10,
        );
        assert_eq!(s.unwrap().n_epochs, 6);
        assert_eq!(
            TimeSpan::through(t0, t0, Unit::Second * 1)
                .unwrap()
                .n_epochs,
            1
        );
        assert!(TimeSpan::through(t0, t0 - Unit::Second * 1, Unit::Second * 1).is_err());
        assert!(TimeSpan::through(t0, t0, Unit::Second * 0).is_err());
        assert!(TimeSpan::new(t0, Unit::Second * 0, Unit::Second * 1).is_err());
    }
}
