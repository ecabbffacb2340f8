//! Shared command-line arguments choosing an orbit source and the satellites to use
//! (`--nav FILE | --sp3 FILE | --nominal`, `--longspan-days`, `--systems`, `--sats`).

use std::path::PathBuf;

use clap::Args;
use gnss_interop::id::{Constellation, SatId};
use gnss_interop::orbit::filter::Restricted;
use gnss_interop::orbit::open::{open, OrbitSpec};
use gnss_interop::orbit::OrbitSource;

/// Where satellite states come from, and which satellites.
#[derive(Debug, Clone, Args)]
pub struct SourceArgs {
    /// Broadcast ephemerides: a RINEX 2/3/4 navigation file (optionally gzip), or a
    /// directory of them; repeat to merge several files into one source.
    #[arg(long, group = "orbit_source", value_name = "FILE|DIR")]
    pub nav: Vec<PathBuf>,
    /// Precise orbits: an SP3-c/d file.
    #[arg(long, group = "orbit_source", value_name = "FILE")]
    pub sp3: Option<PathBuf>,
    /// The embedded nominal BDS-3 and GLONASS constellations.
    #[arg(long, group = "orbit_source")]
    pub nominal: bool,
    /// With --nav: integrate each satellite from the end of the file this many days further
    /// (J2, Sun and Moon) instead of using the broadcast records.
    #[arg(long, requires = "nav", value_name = "DAYS")]
    pub longspan_days: Option<f64>,
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
        let name = |p: &PathBuf| {
            p.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| p.display().to_string())
        };
        let navs = expand_dirs(&self.nav)?;
        let (spec, label) = match (navs.as_slice(), &self.sp3, self.nominal, self.longspan_days) {
            ([nav], None, false, Some(days)) => (
                OrbitSpec::LongSpan {
                    nav: nav.clone(),
                    days,
                },
                format!("longspan:{}+{days}d", name(nav)),
            ),
            ([first, ..], None, false, None) => {
                let label = match navs.len() {
                    1 => format!("nav:{}", name(first)),
                    n => format!("nav:{}+{}", name(first), n - 1),
                };
                (OrbitSpec::Nav(navs.clone()), label)
            }
            ([], Some(sp3), false, None) => {
                (OrbitSpec::Sp3(sp3.clone()), format!("sp3:{}", name(sp3)))
            }
            ([], None, true, None) => (OrbitSpec::Nominal, "nominal".to_string()),
            _ => return Err("give exactly one of --nav FILE, --sp3 FILE or --nominal".into()),
        };
        let source = open(&spec, &systems)?;
        Ok(match sats {
            Some(list) => (Box::new(Restricted::to_satellites(source, &list)?), label),
            None => (source, label),
        })
    }
}

/// Each path as given, a directory replaced by the regular files in it (sorted by name).
fn expand_dirs(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Box<dyn std::error::Error>> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut files: Vec<PathBuf> = std::fs::read_dir(p)
                .map_err(|e| format!("{}: {e}", p.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| f.is_file())
                .collect();
            if files.is_empty() {
                return Err(format!("{}: directory holds no file", p.display()).into());
            }
            files.sort();
            out.extend(files);
        } else {
            out.push(p.clone());
        }
    }
    Ok(out)
}
