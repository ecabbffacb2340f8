//! The site DOP series study: visible satellites and the five DOPs at a few named sites at every
//! epoch of a span, computed by the coverage engine ([`run_with`]) so that a site gets exactly
//! what a grid point gets — the same orbit-error policy, the same no-data accounting, the same
//! solve. `gnss-interop dop` and a scenario's `[[sites]]` both call [`site_series`] and write
//! its table with [`SiteSeries::write_csv`].
//!
//! ```
//! use gnss_interop::coverage::{site_series, CoverageConfig};
//! use gnss_interop::frames::Geodetic;
//! use gnss_interop::id::Constellation;
//! use gnss_interop::orbit::{nominal::NominalConstellation, OrbitSource};
//! use gnss_interop::time::{parse_epoch, Scale};
//! use hifitime::Duration;
//!
//! let source = NominalConstellation::both();
//! let (t0, _) = parse_epoch("2023-01-01T00:00:00 UTC", Scale::Utc)?;
//! let cfg = CoverageConfig::new(
//!     vec![Constellation::BeiDou, Constellation::Glonass],
//!     t0,
//!     t0 + Duration::from_seconds(600.0),
//!     Duration::from_seconds(300.0),
//! );
//! let sites = [("Beijing".to_string(), Geodetic::new(39.9, 116.4, 50.0))];
//! let series = site_series(&[&source as &dyn OrbitSource], &sites, &cfg)?;
//! let mut csv = Vec::new();
//! series.write_csv(&mut csv, Scale::Utc)?;
//! let text = String::from_utf8(csv).unwrap();
//! assert!(text.starts_with("site,epoch,visible,gdop,pdop,hdop,vdop,tdop\n"));
//! assert_eq!(text.lines().count(), 1 + 3); // header + 3 epochs
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::io::{self, Write};

use super::{run_with, CoverageConfig, CoverageError, CoverageResult, DopKind, Grid};
use crate::frames::Geodetic;
use crate::orbit::OrbitSource;
use crate::time::{format_epoch, Scale};

/// Header of the series table.
pub const SITE_SERIES_HEADER: &str = "site,epoch,visible,gdop,pdop,hdop,vdop,tdop";

/// The DOP columns of the series table, in order.
pub const SITE_SERIES_KINDS: [DopKind; 5] = [
    DopKind::Gdop,
    DopKind::Pdop,
    DopKind::Hdop,
    DopKind::Vdop,
    DopKind::Tdop,
];

/// The result of the site series study: the coverage result over the sites (one point per site,
/// every epoch kept as a series) and the sites' names.
#[derive(Debug, Clone)]
pub struct SiteSeries {
    /// Site names, in the order of the result's points and series.
    pub names: Vec<String>,
    /// The engine's result (statistics per site, series, satellite reports, no-data counts).
    pub result: CoverageResult,
}

/// Run the site series study: `config` with a series kept for every site (its own
/// `series_points` are replaced), over the sites as a point grid.
pub fn site_series(
    sources: &[&dyn OrbitSource],
    sites: &[(String, Geodetic)],
    config: &CoverageConfig,
) -> Result<SiteSeries, CoverageError> {
    let grid = Grid::points(sites.iter().map(|(_, g)| *g).collect())?;
    let cfg = config
        .clone()
        .with_series_points((0..sites.len()).collect());
    let result = run_with(sources, &grid, &cfg, None, None)?;
    Ok(SiteSeries {
        names: sites.iter().map(|(n, _)| n.clone()).collect(),
        result,
    })
}

impl SiteSeries {
    /// Write the table `site,epoch,visible,gdop,pdop,hdop,vdop,tdop`, site by site and epoch by
    /// epoch, epochs written in `scale` ([`format_epoch`]), DOPs to four decimals and empty where
    /// no solution exists. Epochs the engine left out for lack of data are not rows
    /// ([`CoverageResult::no_data_epochs`] counts them).
    pub fn write_csv(&self, w: &mut dyn Write, scale: Scale) -> io::Result<()> {
        let res = &self.result;
        let when: Vec<String> = res.epochs.iter().map(|&t| format_epoch(scale, t)).collect();
        writeln!(w, "{SITE_SERIES_HEADER}")?;
        for ser in &res.series {
            let name = self.names.get(ser.point).map_or("", String::as_str);
            for (smp, t) in ser.samples.iter().zip(&when) {
                write!(w, "{name},{t},{}", smp.visible)?;
                for k in SITE_SERIES_KINDS {
                    match smp.get(k) {
                        Some(v) => write!(w, ",{v:.4}")?,
                        None => write!(w, ",")?,
                    }
                }
                writeln!(w)?;
            }
        }
        Ok(())
    }
}
