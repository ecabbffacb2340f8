//! Broadcast ephemerides as an [`OrbitSource`]: record selection (ephemeris layer) plus the
//! BeiDou Keplerian and GLONASS integrating propagators.
//!
//! Every record of the file is turned into its propagator once, at construction; a request
//! selects the valid record with [`NavData::select_bds`] / [`NavData::select_glonass`] (nearest
//! reference time inside the [`SelectionPolicy`] window, healthy only unless allowed) and
//! evaluates that record's propagator. Nothing is cached behind `&self`.

use std::path::Path;

use hifitime::Epoch;

use crate::ephemeris::{BdsEphemeris, EphemerisError, GlonassEphemeris, NavData, SelectionPolicy};
use crate::id::{Constellation, SatId};

use super::bds::BdsPropagator;
use super::glonass::{GlonassOptions, GlonassPropagator};
use super::{OrbitError, OrbitSource, Propagator, SatState};

/// A record that could not be turned into a propagator (kept so that nothing is dropped
/// silently: e.g. a BeiDou record whose orbit class contradicts its PRN).
#[derive(Debug, Clone, PartialEq)]
pub struct RejectedRecord {
    /// Satellite of the record.
    pub sat: SatId,
    /// Line of the record in its file (0 when built in code).
    pub line: usize,
    /// Why it was rejected.
    pub reason: String,
}

/// Options of a [`BroadcastSource`].
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct BroadcastOptions {
    /// Record selection (validity windows, health).
    pub policy: SelectionPolicy,
    /// GLONASS integration (step, luni-solar model).
    pub glonass: GlonassOptions,
}

/// BeiDou and GLONASS states from a RINEX navigation file.
#[derive(Debug)]
pub struct BroadcastSource {
    nav: NavData,
    options: BroadcastOptions,
    sats: Vec<SatId>,
    /// Per BeiDou satellite, the propagators aligned with `nav.bds[sat]` (None = rejected).
    bds: Vec<(SatId, Vec<Option<BdsPropagator>>)>,
    /// Per GLONASS satellite, the propagators aligned with `nav.glonass[sat]`.
    glonass: Vec<(SatId, Vec<Option<GlonassPropagator>>)>,
    rejected: Vec<RejectedRecord>,
    /// Union of the validity windows of every kept record ([`BroadcastSource::data_span`]).
    span: Option<(Epoch, Epoch)>,
}

impl BroadcastSource {
    /// Read a navigation file (RINEX 2/3/4, optionally gzip) and keep the given systems.
    pub fn from_file(
        path: impl AsRef<Path>,
        systems: &[Constellation],
        options: BroadcastOptions,
    ) -> Result<Self, EphemerisError> {
        Ok(Self::new(NavData::from_file(path)?, systems, options))
    }

    /// Read several navigation files (each optionally gzip, in any order) as one source:
    /// records merged per satellite by [`NavData::merge`] (duplicates dropped, conflicts
    /// resolved and counted in [`NavData::merge`]'s stats), so the last records of one day
    /// serve the first hour of the next as their validity windows allow.
    pub fn from_files<P: AsRef<Path>>(
        paths: &[P],
        systems: &[Constellation],
        options: BroadcastOptions,
    ) -> Result<Self, EphemerisError> {
        Ok(Self::new(NavData::from_files(paths)?, systems, options))
    }

    /// Build the source from parsed navigation data, keeping the given systems
    /// (BeiDou and/or GLONASS; others have no broadcast propagator here).
    pub fn new(nav: NavData, systems: &[Constellation], options: BroadcastOptions) -> Self {
        let mut rejected = Vec::new();
        // One propagator per record (`None` where the record is refused, with the reason kept).
        fn keep<P>(
            rejected: &mut Vec<RejectedRecord>,
            sat: SatId,
            line: usize,
            p: Result<P, OrbitError>,
        ) -> Option<P> {
            p.map_err(|e| {
                rejected.push(RejectedRecord {
                    sat,
                    line,
                    reason: e.to_string(),
                })
            })
            .ok()
        }
        let mut bds = Vec::new();
        let mut glonass = Vec::new();
        if systems.contains(&Constellation::BeiDou) {
            for (sat, records) in &nav.bds {
                let props = records
                    .iter()
                    .map(|eph| {
                        let p = BdsPropagator::new(eph.clone(), options.policy.bds_half_window_s);
                        keep(&mut rejected, *sat, eph.source_line, p)
                    })
                    .collect();
                bds.push((*sat, props));
            }
        }
        if systems.contains(&Constellation::Glonass) {
            for (sat, records) in &nav.glonass {
                let props = records
                    .iter()
                    .map(|eph| {
                        let p = GlonassPropagator::new(
                            eph.clone(),
                            options.policy.glonass_half_window_s,
                            options.glonass,
                        );
                        keep(&mut rejected, *sat, eph.source_line, p)
                    })
                    .collect();
                glonass.push((*sat, props));
            }
        }
        let mut sats: Vec<SatId> = bds
            .iter()
            .map(|x| x.0)
            .chain(glonass.iter().map(|x| x.0))
            .collect();
        sats.sort();
        let p = &options.policy;
        let bds_windows = bds
            .iter()
            .flat_map(|(s, _)| nav.bds[s].iter())
            .map(|r| super::window(r.toe, p.bds_half_window_s));
        let glo_windows = glonass
            .iter()
            .flat_map(|(s, _)| nav.glonass[s].iter())
            .map(|r| super::window(r.tb, p.glonass_half_window_s));
        let span = bds_windows
            .chain(glo_windows)
            .reduce(|a, b| (a.0.min(b.0), a.1.max(b.1)));
        BroadcastSource {
            nav,
            options,
            sats,
            bds,
            glonass,
            rejected,
            span,
        }
    }

    /// The parsed navigation data.
    pub fn nav(&self) -> &NavData {
        &self.nav
    }

    /// The options in force.
    pub fn options(&self) -> &BroadcastOptions {
        &self.options
    }

    /// Records that could not be turned into propagators, with the reason.
    pub fn rejected(&self) -> &[RejectedRecord] {
        &self.rejected
    }

    /// Validity window and health (`true` = healthy) of every record of `sat` this source
    /// keeps, in reference-time order (empty for a satellite it does not hold).
    pub fn record_health(&self, sat: SatId) -> Vec<((Epoch, Epoch), bool)> {
        let p = &self.options.policy;
        let mut v: Vec<((Epoch, Epoch), bool)> = match sat.constellation() {
            Constellation::BeiDou if lookup(&self.bds, sat).is_ok() => self
                .nav
                .bds
                .get(&sat)
                .into_iter()
                .flatten()
                .map(|r| (super::window(r.toe, p.bds_half_window_s), r.health == 0))
                .collect(),
            Constellation::Glonass if lookup(&self.glonass, sat).is_ok() => self
                .nav
                .glonass
                .get(&sat)
                .into_iter()
                .flatten()
                .map(|r| (super::window(r.tb, p.glonass_half_window_s), r.health == 0))
                .collect(),
            _ => Vec::new(),
        };
        v.sort_by_key(|a| a.0 .0);
        v
    }

    /// First and last epoch covered by any record this source keeps (the union of the
    /// validity windows of all its satellites' records), `None` without records.
    pub fn data_span(&self) -> Option<(Epoch, Epoch)> {
        self.span
    }

    /// The propagator of the record selected for `sat` at `epoch`.
    pub fn propagator_at(&self, sat: SatId, epoch: Epoch) -> Result<&dyn Propagator, OrbitError> {
        let policy = &self.options.policy;
        match sat.constellation() {
            Constellation::BeiDou => {
                let eph = self.nav.select_bds(sat, epoch, policy)?;
                self.propagator_of(sat, &self.nav.bds[&sat], eph, lookup(&self.bds, sat)?)
            }
            Constellation::Glonass => {
                let eph = self.nav.select_glonass(sat, epoch, policy)?;
                self.propagator_of(
                    sat,
                    &self.nav.glonass[&sat],
                    eph,
                    lookup(&self.glonass, sat)?,
                )
            }
            _ => Err(OrbitError::UnknownSatellite { sat }),
        }
    }

    /// The propagator built from `selected`, one of `records` (aligned with `props`).
    fn propagator_of<'a, E: SourceLine, P: Propagator>(
        &self,
        sat: SatId,
        records: &[E],
        selected: &E,
        props: &'a [Option<P>],
    ) -> Result<&'a dyn Propagator, OrbitError> {
        let idx = records
            .iter()
            .position(|r| std::ptr::eq(r, selected))
            .ok_or(OrbitError::UnknownSatellite { sat })?;
        props[idx]
            .as_ref()
            .map(|p| p as &dyn Propagator)
            .ok_or_else(|| rejected_error(sat, selected.source_line(), &self.rejected))
    }
}

/// Records that know the line they came from.
trait SourceLine {
    fn source_line(&self) -> usize;
}

impl SourceLine for BdsEphemeris {
    fn source_line(&self) -> usize {
        self.source_line
    }
}

impl SourceLine for GlonassEphemeris {
    fn source_line(&self) -> usize {
        self.source_line
    }
}

/// Validity windows of the propagators built from records whose health (in record order) is
/// 0, or of every built propagator when `any` (unhealthy records allowed).
fn usable_windows<P: Propagator>(
    props: Result<&[Option<P>], OrbitError>,
    health: Option<impl Iterator<Item = u32>>,
    any: bool,
) -> Vec<(Epoch, Epoch)> {
    match (props, health) {
        (Ok(props), Some(health)) => props
            .iter()
            .zip(health)
            .filter(|(_, h)| any || *h == 0)
            .filter_map(|(p, _)| p.as_ref().map(|p| p.validity()))
            .collect(),
        _ => Vec::new(),
    }
}

fn lookup<P>(table: &[(SatId, Vec<Option<P>>)], sat: SatId) -> Result<&[Option<P>], OrbitError> {
    table
        .binary_search_by_key(&sat, |x| x.0)
        .map(|i| table[i].1.as_slice())
        .map_err(|_| OrbitError::UnknownSatellite { sat })
}

fn rejected_error(sat: SatId, line: usize, rejected: &[RejectedRecord]) -> OrbitError {
    let reason = rejected
        .iter()
        .find(|r| r.sat == sat && r.line == line)
        .map(|r| r.reason.clone())
        .unwrap_or_else(|| "record rejected".to_string());
    OrbitError::InvalidElements {
        sat,
        reason: format!("selected record (line {line}) was rejected: {reason}"),
    }
}

impl OrbitSource for BroadcastSource {
    fn satellites(&self) -> &[SatId] {
        &self.sats
    }

    fn state_at(&self, sat: SatId, epoch: Epoch) -> Result<SatState, OrbitError> {
        self.propagator_at(sat, epoch)?.state_at(epoch)
    }

    fn describe(&self) -> String {
        let name = self
            .nav
            .path
            .as_ref()
            .and_then(|p| p.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "navigation data".to_string());
        let more = match self.nav.merge.files {
            0 | 1 => String::new(),
            n => format!(" + {} more files", n - 1),
        };
        format!("broadcast {name}{more} ({} satellites)", self.sats.len())
    }

    fn served_intervals(&self, sat: SatId) -> Option<Vec<(Epoch, Epoch)>> {
        // Usable records only: a propagator was built and the record is healthy (or the
        // policy uses unhealthy records), as selection requires.
        let any = self.options.policy.allow_unhealthy;
        let windows: Vec<(Epoch, Epoch)> = match sat.constellation() {
            Constellation::BeiDou => usable_windows(
                lookup(&self.bds, sat),
                self.nav.bds.get(&sat).map(|r| r.iter().map(|r| r.health)),
                any,
            ),
            Constellation::Glonass => usable_windows(
                lookup(&self.glonass, sat),
                self.nav
                    .glonass
                    .get(&sat)
                    .map(|r| r.iter().map(|r| r.health)),
                any,
            ),
            _ => Vec::new(),
        };
        Some(super::merge_intervals(windows))
    }

    fn record_half_window_s(&self, sat: SatId) -> Option<f64> {
        let p = &self.options.policy;
        match sat.constellation() {
            Constellation::BeiDou => Some(p.bds_half_window_s),
            Constellation::Glonass => Some(p.glonass_half_window_s),
            _ => None,
        }
    }

    /// Every record's window (healthy or not, built into a propagator or not), plus: a gap
    /// between two consecutive records both flagged unhealthy (nothing says the satellite
    /// became usable in between), and, for a satellite whose every record is unhealthy, the
    /// whole data span of the source ([`BroadcastSource::data_span`]: the file says it is
    /// unusable for its whole period). See [`BroadcastSource::record_health`].
    fn covered_intervals(&self, sat: SatId) -> Option<Vec<(Epoch, Epoch)>> {
        let recs = self.record_health(sat);
        let mut windows: Vec<(Epoch, Epoch)> = recs.iter().map(|r| r.0).collect();
        for pair in recs.windows(2) {
            if !pair[0].1 && !pair[1].1 {
                windows.push((pair[0].0 .1, pair[1].0 .0));
            }
        }
        if !recs.is_empty() && recs.iter().all(|r| !r.1) {
            windows.extend(self.data_span());
        }
        Some(super::merge_intervals(windows))
    }
}
