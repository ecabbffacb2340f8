//! Command-line flags that choose an orbit source, shared by the commands that need one.

use std::path::PathBuf;

use clap::Args;
use gnss_interop::id::Constellation;
use gnss_interop::orbit::open::{open, OrbitSpec};
use gnss_interop::orbit::OrbitSource;

/// `(--nav FILE | --sp3 FILE | --nominal) [--systems C,R]`.
///
/// The exclusive choice is a nested struct: clap's derive puts *every* field of a struct carrying
/// `#[group]` into that group (an `args = [...]` list does not narrow it), which made `--systems`
/// exclusive with the source flags.
#[derive(Debug, Clone, Args)]
pub struct SourceArgs {
    #[command(flatten)]
    pub choice: SourceChoice,
    /// Constellations to use: C (BeiDou), R (GLONASS).
    #[arg(long, value_delimiter = ',', default_value = "C,R")]
    pub systems: Vec<Constellation>,
}

/// Exactly one of `--nav FILE`, `--sp3 FILE`, `--nominal`.
#[derive(Debug, Clone, Args)]
#[group(id = "orbit_source", required = true, multiple = false)]
pub struct SourceChoice {
    /// Broadcast ephemerides: a RINEX 2/3/4 navigation file (gzip accepted).
    #[arg(long, value_name = "FILE")]
    pub nav: Option<PathBuf>,
    /// Precise orbits: an SP3-c/d file.
    #[arg(long, value_name = "FILE")]
    pub sp3: Option<PathBuf>,
    /// The embedded nominal BDS-3 and GLONASS constellations.
    #[arg(long)]
    pub nominal: bool,
}

impl SourceArgs {
    /// The orbit specification the flags name.
    pub fn spec(&self) -> OrbitSpec {
        match (&self.choice.nav, &self.choice.sp3) {
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
