//! Restricting an orbit source to some constellations or satellites.

use hifitime::Epoch;

use crate::id::{Constellation, SatId};

use super::{OrbitError, OrbitSource, SatState};

/// A view of another [`OrbitSource`] limited to a set of satellites.
///
/// ```
/// use gnss_interop::id::Constellation;
/// use gnss_interop::orbit::filter::Restricted;
/// use gnss_interop::orbit::nominal::NominalConstellation;
/// use gnss_interop::orbit::OrbitSource;
/// use hifitime::Epoch;
///
/// let glo = Restricted::to_systems(NominalConstellation::both(), &[Constellation::Glonass]);
/// assert_eq!(glo.satellites().len(), 24);
/// let geos = Restricted::to_satellites(
///     NominalConstellation::bds3(),
///     &["C59".parse()?, "C60".parse()?],
/// )?;
/// assert_eq!(geos.satellites().len(), 2);
/// // Satellites outside the view are refused, even though the inner source has them.
/// let t = Epoch::from_gregorian_utc_hms(2023, 1, 1, 0, 0, 0);
/// assert!(geos.state_at("C19".parse()?, t).is_err());
/// assert!(geos.inner().state_at("C19".parse()?, t).is_ok());
/// # Ok::<(), gnss_interop::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Restricted<S> {
    inner: S,
    sats: Vec<SatId>,
    label: String,
}

impl<S: OrbitSource> Restricted<S> {
    /// Keep the satellites of the given constellations.
    pub fn to_systems(inner: S, systems: &[Constellation]) -> Self {
        let sats = inner
            .satellites()
            .iter()
            .copied()
            .filter(|s| systems.contains(&s.constellation()))
            .collect();
        let label = systems
            .iter()
            .map(|c| c.letter().to_string())
            .collect::<Vec<_>>()
            .join("+");
        Restricted { inner, sats, label }
    }

    /// Keep the listed satellites; unknown ones are an error naming the satellite.
    pub fn to_satellites(inner: S, wanted: &[SatId]) -> Result<Self, OrbitError> {
        let mut sats = Vec::with_capacity(wanted.len());
        for &sat in wanted {
            if inner.satellites().binary_search(&sat).is_err() {
                return Err(OrbitError::UnknownSatellite { sat });
            }
            sats.push(sat);
        }
        sats.sort();
        sats.dedup();
        let label = sats
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>()
            .join(",");
        Ok(Restricted { inner, sats, label })
    }

    /// The unrestricted source.
    pub fn inner(&self) -> &S {
        &self.inner
    }
}

impl<S: OrbitSource> OrbitSource for Restricted<S> {
    fn satellites(&self) -> &[SatId] {
        &self.sats
    }

    fn state_at(&self, sat: SatId, epoch: Epoch) -> Result<SatState, OrbitError> {
        if self.sats.binary_search(&sat).is_err() {
            return Err(OrbitError::UnknownSatellite { sat });
        }
        self.inner.state_at(sat, epoch)
    }

    fn describe(&self) -> String {
        format!("{} [{}]", self.inner.describe(), self.label)
    }

    fn served_intervals(&self, sat: SatId) -> Option<Vec<(Epoch, Epoch)>> {
        if self.sats.binary_search(&sat).is_err() {
            return Some(Vec::new());
        }
        self.inner.served_intervals(sat)
    }

    fn covered_intervals(&self, sat: SatId) -> Option<Vec<(Epoch, Epoch)>> {
        if self.sats.binary_search(&sat).is_err() {
            return Some(Vec::new());
        }
        self.inner.covered_intervals(sat)
    }

    fn record_half_window_s(&self, sat: SatId) -> Option<f64> {
        self.inner.record_half_window_s(sat)
    }
}

/// Forward [`OrbitSource`] through a pointer type.
macro_rules! forward_orbit_source {
    ($($ptr:ty),*) => {$(
        impl<S: OrbitSource + ?Sized> OrbitSource for $ptr {
            fn satellites(&self) -> &[SatId] {
                (**self).satellites()
            }
            fn state_at(&self, sat: SatId, epoch: Epoch) -> Result<SatState, OrbitError> {
                (**self).state_at(sat, epoch)
            }
            fn describe(&self) -> String {
                (**self).describe()
            }
            fn served_intervals(&self, sat: SatId) -> Option<Vec<(Epoch, Epoch)>> {
                (**self).served_intervals(sat)
            }
            fn covered_intervals(&self, sat: SatId) -> Option<Vec<(Epoch, Epoch)>> {
                (**self).covered_intervals(sat)
            }
            fn record_half_window_s(&self, sat: SatId) -> Option<f64> {
                (**self).record_half_window_s(sat)
            }
        }
    )*};
}

forward_orbit_source!(&S, std::sync::Arc<S>, Box<S>);
