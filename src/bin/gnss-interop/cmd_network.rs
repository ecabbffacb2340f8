//! `gnss-interop network`: list the built-in monitoring-network catalogues or show a network.

use std::path::PathBuf;

use clap::Args;
use gnss_interop::id::Constellation;
use gnss_interop::network::{Network, BUILTIN_NETWORKS};

/// Arguments of `gnss-interop network`.
#[derive(Debug, Args)]
pub struct NetworkArgs {
    /// A built-in catalogue to show (omit to list the catalogues).
    #[arg(long, conflicts_with = "file")]
    pub catalog: Option<String>,
    /// A network file to show: TOML (as in data/networks/) or CSV with a header row.
    #[arg(long)]
    pub file: Option<PathBuf>,
    /// Systems assumed for CSV rows without a `systems` column (e.g. C+R).
    #[arg(long, default_value = "C+R")]
    pub systems: String,
}

/// Run the command.
pub fn run(args: NetworkArgs) -> Result<(), Box<dyn std::error::Error>> {
    let net = match (&args.catalog, &args.file) {
        (Some(name), _) => Network::builtin(name)?,
        (None, Some(path)) => {
            if path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
            {
                let systems = args
                    .systems
                    .split(['+', ',', ' '])
                    .filter(|s| !s.is_empty())
                    .map(|s| s.parse::<Constellation>())
                    .collect::<Result<Vec<_>, _>>()?;
                Network::from_csv_file(path, &systems)?
            } else {
                Network::from_toml_file(path)?
            }
        }
        (None, None) => {
            for name in BUILTIN_NETWORKS {
                let n = Network::builtin(name)?;
                println!("{name:<20} {:>3} stations", n.len());
            }
            return Ok(());
        }
    };
    println!("{} ({} stations)", net.name(), net.len());
    println!(
        "{:<10} {:<34} {:>10} {:>11} {:>8} {:>5} {:<7} source",
        "id", "name", "lat_deg", "lon_deg", "h_m", "mask", "systems"
    );
    for s in net.stations() {
        let sys: String = s.systems.iter().map(|c| c.letter()).collect();
        println!(
            "{:<10} {:<34} {:>10.5} {:>11.5} {:>8.1} {:>5.1} {:<7} {}",
            s.id,
            s.name,
            s.position.lat_deg,
            s.position.lon_deg,
            s.position.height_m,
            s.elevation_mask_deg,
            sys,
            s.source.as_deref().unwrap_or("-")
        );
    }
    Ok(())
}
