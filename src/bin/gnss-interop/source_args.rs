//! Command-line flags that choose an orbit source, shared by the commands that need one.

use std::path::PathBuf;

use clap::{ArgGroup, Args};
use gnss_interop::id::Constellation;
use gnss_interop::orbit::open::{open, OrbitSpec};
use gnss_interop::orbit::OrbitSource;

/// `(--nav FILE | --sp3 FILE | --nominal) [--systems C,R]`.
///
/// The group holds only the three source flags: a struct-level `#[group]` would also enrol
/// `--systems` (derive adds every field), making `--nominal --systems C` a conflict.
#[derive(Debug, Clone, Args)]
#[group(skip)]
#[command(group(
    ArgGroup::new("orbit_source").required(true).multiple(false).args(["nav", "sp3", "nominal"])
))]
pub struct SourceArgs {
    /// Broadcast ephemerides: a RINEX 2/3/4 navigation file (gzip accepted).
    #[arg(long, value_name = "FILE")]
    pub nav: Option<PathBuf>,
    /// Precise orbits: an SP3-c/d file.
    #[arg(long, value_name = "FILE")]
    pub sp3: Option<PathBuf>,
    /// The embedded nominal BDS-3 and GLONASS constellations.
    #[arg(long)]
    pub nominal: bool,
    /// Constellations to use: C (BeiDou), R (GLONASS).
    #[arg(long, value_delimiter = ',', default_value = "C,R")]
    pub systems: Vec<Constellation>,
}

impl SourceArgs {
    /// The orbit specification the flags name.
    pub fn spec(&self) -> OrbitSpec {
        match (&self.nav, &self.sp3) {
            (Some(p), _) => OrbitSpec::Nav(p.clone()),
            (None, Some(p)) => OrbitSpec::Sp3(p.clone()),
            (None, None) => OrbitSpec::Nominal,
        }
    }

    /// Open the source, limited to the chosen systems.
    pub fn open(&self) -> Result<Box<dyn OrbitSource>, gnss_interop::Error> {
        open(&self.spec(), &self.systems)
    }
}
