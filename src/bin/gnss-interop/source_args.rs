//! Shared command-line arguments choosing an orbit source and the satellites to use
//! (`--nav FILE… | --sp3 FILE… | --nominal`, `--longspan-days`, `--systems`, `--sats`).

use std::path::PathBuf;

use clap::Args;
use gnss_interop::ephemeris::expand_file_list;
use gnss_interop::id::{Constellation, SatId};
use gnss_interop::orbit::filter::Restricted;
use gnss_interop::orbit::open::{open_with, OpenOptions, OrbitSpec};
use gnss_interop::orbit::OrbitSource;

/// Where satellite states come from, and which satellites.
#[derive(Debug, Clone, Args)]
pub struct SourceArgs {
    /// Broadcast ephemerides: a RINEX 2/3/4 navigation file (optionally gzip), a directory
    /// of them or a file-name glob ('brdc/*.rnx*'); repeat to merge several into one source.
    #[arg(long, group = "orbit_source", value_name = "FILE|DIR|GLOB")]
    pub nav: Vec<PathBuf>,
    /// Precise orbits: an SP3-c/d file (optionally gzip), a directory of them or a file-name
    /// glob; repeat to stitch several (consecutive days of one centre) into one table.
    #[arg(long, group = "orbit_source", value_name = "FILE|DIR|GLOB")]
    pub sp3: Vec<PathBuf>,
    /// The embedded nominal BDS-3 and GLONASS constellations.
    #[arg(long, group = "orbit_source")]
    pub nominal: bool,
    /// With --nav: integrate each satellite from the end of the navigation data (all files
    /// given, merged) this many days further (J2, Sun and Moon) instead of using the
    /// broadcast records.
    #[arg(long, requires = "nav", value_name = "DAYS")]
    pub longspan_days: Option<f64>,
    /// Run even where the span leaves the orbit data: epochs where a satellite has no data are
    /// left out of every statistic and counted as "no data" (default: such a span is refused,
    /// naming the uncovered intervals).
    #[arg(long)]
    pub allow_no_data: bool,
    /// With --sp3: leave out nodes flagged predicted (ultra-rapid products), using observed
    /// orbits only; the epochs only predictions covered are "no data" (refused, or counted
    /// with --allow-no-data).
    #[arg(long, requires = "sp3")]
    pub exclude_predicted: bool,
    /// Constellations, comma-separated letters or names (default C,R; with --sats, theirs).
    #[arg(long, value_name = "C,R")]
    pub systems: Option<String>,
    /// Satellites, comma-separated (e.g. C01,R07); an unknown one is an error.
    #[arg(long, value_name = "C01,R07")]
    pub sats: Option<String>,
}

/// Parse a comma-separated list with `FromStr`.
pub fn parse_list<T: std::str::FromStr>(text: &str) -> Result<Vec<T>, T::Err> {
    text.split([',', '+', ' '])
        .filter(|s| !s.trim().is_empty())
        .map(|s| s.trim().parse())
        .collect()
}

impl SourceArgs {
    /// The satellites named by `--sats`, if given.
    pub fn sats(&self) -> Result<Option<Vec<SatId>>, Box<dyn std::error::Error>> {
        Ok(self.sats.as_deref().map(parse_list).transpose()?)
    }

    /// The constellations chosen: `--systems`, else those of `--sats`, else BeiDou and GLONASS.
    pub fn systems(&self) -> Result<Vec<Constellation>, Box<dyn std::error::Error>> {
        let sats = self.sats()?;
        Ok(match (&self.systems, &sats) {
            (Some(s), _) => parse_list(s)?,
            (None, Some(list)) => {
                let mut v: Vec<Constellation> = list.iter().map(|s| s.constellation()).collect();
                v.sort();
                v.dedup();
                v
            }
            (None, None) => vec![Constellation::BeiDou, Constellation::Glonass],
        })
    }

    /// The orbit source described, restricted to the requested systems and satellites, with
    /// a short label for output rows (`nav:FILE`, `sp3:FILE`, `nominal`, `longspan:FILE+Nd`).
    pub fn open(&self) -> Result<(Box<dyn OrbitSource>, String), Box<dyn std::error::Error>> {
        let sats = self.sats()?;
        let systems = self.systems()?;
        if let Some(list) = &sats {
            if list.is_empty() {
                return Err("--sats lists no satellite".into());
            }
            if let Some(s) = list.iter().find(|s| !systems.contains(&s.constellation())) {
                return Err(format!("--sats names {s}, whose system is not in --systems").into());
            }
        }
        let navs = expand_file_list(&self.nav)?;
        let sp3s = expand_file_list(&self.sp3)?;
        let spec = match (
            navs.as_slice(),
            sp3s.as_slice(),
            self.nominal,
            self.longspan_days,
        ) {
            ([_, ..], [], false, Some(days)) => OrbitSpec::LongSpan { nav: navs, days },
            ([_, ..], [], false, None) => OrbitSpec::Nav(navs),
            ([], [_, ..], false, None) => OrbitSpec::Sp3(sp3s),
            ([], [], true, None) => OrbitSpec::Nominal,
            _ => return Err("give exactly one of --nav FILE, --sp3 FILE or --nominal".into()),
        };
        let label = spec.label();
        let options = OpenOptions {
            exclude_predicted: self.exclude_predicted,
        };
        let source = open_with(&spec, &systems, options)?;
        Ok(match sats {
            Some(list) => (Box::new(Restricted::to_satellites(source, &list)?), label),
            None => (source, label),
        })
    }
}
