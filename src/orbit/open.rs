//! Opening an orbit source from a short description (what the CLI flags and scenario files
//! name): the embedded nominal constellations, a broadcast navigation file, an SP3 file, or a
//! long-span integration beyond a navigation file.

use std::path::PathBuf;

use crate::ephemeris::Sp3Product;
use crate::id::Constellation;

use super::broadcast::{BroadcastOptions, BroadcastSource};
use super::filter::Restricted;
use super::longspan::{LongSpanOptions, LongSpanSource};
use super::nominal::NominalConstellation;
use super::sp3::{Sp3Options, Sp3Source};
use super::{OrbitError, OrbitSource};

/// Where satellite states come from.
#[derive(Debug, Clone, PartialEq)]
pub enum OrbitSpec {
    /// The embedded nominal BDS-3 and GLONASS constellations (no data needed).
    Nominal,
    /// Broadcast ephemerides from one or more RINEX 2/3/4 navigation files (each optionally
    /// gzip, in any order), merged into one source by [`crate::ephemeris::NavData::merge`].
    Nav(Vec<PathBuf>),
    /// Precise orbits from one or more SP3-c/d files (each optionally gzip, in any order),
    /// stitched into one table by [`Sp3Product::from_files`] (same centre, time system and
    /// frame; shared nodes must agree).
    Sp3(Vec<PathBuf>),
    /// Broadcast states at the end of one or more navigation files merged as for
    /// [`OrbitSpec::Nav`] (their latest record reference time), integrated `days` beyond it
    /// with J₂, Sun and Moon at 60 s steps ([`LongSpanSource::from_broadcast_end`]; drift
    /// figures in [`super::longspan`]).
    LongSpan {
        /// Navigation files (RINEX 2/3/4, each optionally gzip, in any order), at least one.
        nav: Vec<PathBuf>,
        /// Days integrated beyond the seed, in (0, 60].
        days: f64,
    },
}

impl OrbitSpec {
    /// A short label of the source for output rows: `nominal`, `nav:FILE`, `sp3:FILE`,
    /// `longspan:FILE+Nd` (the first file's name; `FILE+k` when `k` more files follow).
    ///
    /// ```
    /// use gnss_interop::orbit::open::OrbitSpec;
    /// assert_eq!(OrbitSpec::Nominal.label(), "nominal");
    /// let nav = vec!["d/a.rnx".into(), "d/b.rnx".into()];
    /// assert_eq!(OrbitSpec::Nav(nav.clone()).label(), "nav:a.rnx+1");
    /// assert_eq!(OrbitSpec::LongSpan { nav, days: 3.0 }.label(), "longspan:a.rnx+1+3d");
    /// ```
    pub fn label(&self) -> String {
        let list = |kind: &str, files: &[PathBuf]| {
            let name = |p: &PathBuf| {
                p.file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_else(|| p.display().to_string())
            };
            match files {
                [] => kind.to_string(),
                [one] => format!("{kind}:{}", name(one)),
                [first, rest @ ..] => format!("{kind}:{}+{}", name(first), rest.len()),
            }
        };
        match self {
            OrbitSpec::Nominal => "nominal".to_string(),
            OrbitSpec::Nav(files) => list("nav", files),
            OrbitSpec::Sp3(files) => list("sp3", files),
            OrbitSpec::LongSpan { nav, days } => format!("{}+{days}d", list("longspan", nav)),
        }
    }
}

/// Options of the long-span arm of [`open`]: 60 s RK4 steps with Sun and Moon (the luni-solar
/// terms cut the one-day drift several times, see [`super::longspan`]).
pub const LONG_SPAN_OPTIONS: LongSpanOptions = LongSpanOptions {
    step_s: 60.0,
    sun_moon: true,
};

/// Switches of [`open_with`] that are not part of the source's description.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OpenOptions {
    /// SP3 sources: leave out nodes flagged predicted (orbit `P` in column 80 or clock `P` in
    /// column 76, as ultra-rapid products mark their second half), so a study uses observed
    /// orbits only; the epochs they covered become "no data" (refused, or counted with
    /// allow-no-data). Other sources have no predicted flag and ignore it.
    pub exclude_predicted: bool,
}

/// Open the source described by `spec`, limited to `systems` (an empty list is an error),
/// with the default [`OpenOptions`] (predicted SP3 nodes used).
///
/// ```no_run
/// use gnss_interop::id::Constellation;
/// use gnss_interop::orbit::open::{open, OrbitSpec};
/// use hifitime::Epoch;
///
/// let nav = OrbitSpec::Nav(vec!["nav/BRDC00IGS_R_20230010000_01D_MN.rnx".into()]);
/// let source = open(&nav, &[Constellation::BeiDou, Constellation::Glonass])?;
/// let t = Epoch::from_gregorian_utc_hms(2023, 1, 1, 12, 0, 0);
/// for &sat in source.satellites() {
///     let state = source.state_at(sat, t)?;
///     assert!(state.position_m.norm() > 2.0e7);
/// }
/// // The nominal constellations need no file.
/// let nominal = open(&OrbitSpec::Nominal, &[Constellation::Glonass])?;
/// assert_eq!(nominal.satellites().len(), 24);
/// # Ok::<(), gnss_interop::Error>(())
/// ```
pub fn open(spec: &OrbitSpec, systems: &[Constellation]) -> crate::Result<Box<dyn OrbitSource>> {
    open_with(spec, systems, OpenOptions::default())
}

/// [`open`] with switches.
pub fn open_with(
    spec: &OrbitSpec,
    systems: &[Constellation],
    options: OpenOptions,
) -> crate::Result<Box<dyn OrbitSource>> {
    if systems.is_empty() {
        return Err(OrbitError::EmptySelection {
            reason: "no constellation given".to_string(),
        }
        .into());
    }
    Ok(match spec {
        OrbitSpec::Nominal => Box::new(Restricted::to_systems(
            NominalConstellation::both(),
            systems,
        )),
        OrbitSpec::Nav(paths) => Box::new(holding_some(
            BroadcastSource::from_files(paths, systems, BroadcastOptions::default())?,
            systems,
        )?),
        OrbitSpec::Sp3(paths) => Box::new(Restricted::to_systems(
            Sp3Source::with_options(
                Sp3Product::from_files(paths)?,
                Sp3Options {
                    exclude_predicted: options.exclude_predicted,
                    ..Sp3Options::default()
                },
            )?,
            systems,
        )),
        OrbitSpec::LongSpan { nav, days } => {
            if !(days.is_finite() && *days > 0.0 && *days <= 60.0) {
                return Err(crate::time::TimeError::OutOfRange {
                    what: format!("long-span days must be in (0, 60], got {days}"),
                }
                .into());
            }
            let brdc = holding_some(
                BroadcastSource::from_files(nav, systems, BroadcastOptions::default())?,
                systems,
            )?;
            Box::new(LongSpanSource::from_broadcast_end(
                &brdc,
                hifitime::Duration::from_seconds(days * 86_400.0),
                LONG_SPAN_OPTIONS,
            )?)
        }
    })
}

/// The source, or [`OrbitError::EmptySelection`] saying what the file(s) hold when none of
/// the requested systems is there (`"BRDC….rnx holds 187 GPS records and no BeiDou or
/// GLONASS record"`), instead of a study that later finds no satellite.
fn holding_some(
    source: BroadcastSource,
    systems: &[Constellation],
) -> Result<BroadcastSource, OrbitError> {
    if !source.satellites().is_empty() {
        return Ok(source);
    }
    let nav = source.nav();
    let held = nav.records_per_system();
    let wanted: Vec<Constellation> = systems
        .iter()
        .copied()
        .filter(|c| !held.contains_key(&c.letter()))
        .collect();
    let mut reason = nav.describe_holdings(&wanted);
    if wanted.is_empty() {
        reason += "; broadcast records are propagated for BeiDou and GLONASS only";
    }
    Err(OrbitError::EmptySelection { reason })
}
