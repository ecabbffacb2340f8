//! `gnss-interop network`: list the built-in monitoring-network catalogues or show a network.

use std::path::{Path, PathBuf};

use clap::Args;
use gnss_interop::id::Constellation;
use gnss_interop::limits;
use gnss_interop::network::{Network, NetworkRef, OrbitSamples, TimeSpan, BUILTIN_NETWORKS};
use gnss_interop::orbit::OrbitSource;
use gnss_interop::time::{epoch_from_iso, Scale};
use hifitime::Duration;
use indicatif::{ProgressBar, ProgressStyle};

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
        (Some(name), _) => NetworkRef::Catalog(name.clone()).load(&[])?,
        (None, Some(path)) => {
            NetworkRef::File(path.clone()).load(&parse_systems(&args.systems)?)?
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

// ---------------------------------------------------------------------------------------------
// Shared by `monitor`, `compare-layouts` and `optimize`.

/// Time span, tracking threshold and station-mask flags.
#[derive(Debug, Clone, Args)]
pub struct SpanArgs {
    /// Start of the span, ISO 8601 with an optional scale suffix (UTC when omitted).
    #[arg(long, default_value = "2023-01-01T00:00:00")]
    pub start: String,
    /// Last epoch (included when it falls on the step), same format: the end rule of every
    /// other command and of scenario `[time]` (`TimeSpan::through`).
    #[arg(long, conflicts_with = "hours")]
    pub end: Option<String>,
    /// Length of the span, hours, instead of `--end`: epochs from `--start` every `--step`
    /// for that long, the last one step before start + hours.
    #[arg(long, default_value_t = 24.0)]
    pub hours: f64,
    /// Time step, seconds, as the other commands' `--step` (`--step-s` is the old name).
    #[arg(long, alias = "step-s", default_value_t = gnss_interop::defaults::STEP_S)]
    pub step: f64,
    /// A satellite is tracked when seen by at least this many stations of its own system.
    #[arg(long, default_value_t = 1)]
    pub min_stations: u16,
    /// Elevation mask for every station, degrees (default: each station's own, 5° unless its
    /// file says otherwise).
    #[arg(long)]
    pub station_mask_deg: Option<f64>,
    /// Systems assumed for rows of CSV network files without a `systems` column.
    #[arg(long, default_value = "C+R")]
    pub csv_systems: String,
}

impl SpanArgs {
    /// The time span.
    pub fn span(&self) -> Result<TimeSpan, Box<dyn std::error::Error>> {
        if let Some(end_text) = &self.end {
            let (start, end, _) = crate::epoch_args::bounds(&self.start, end_text, Scale::Utc)?;
            limits::epochs(
                "--start/--end/--step",
                (end - start).to_seconds(),
                self.step,
                limits::MAX_EPOCHS,
            )?;
            return Ok(TimeSpan::through(
                start,
                end,
                Duration::from_seconds(self.step),
            )?);
        }
        let start = epoch_from_iso(Scale::Utc, &self.start)?;
        limits::epochs(
            "--hours/--step",
            self.hours * 3600.0,
            self.step,
            limits::MAX_EPOCHS,
        )?;
        Ok(TimeSpan::new(
            start,
            Duration::from_seconds(self.hours * 3600.0),
            Duration::from_seconds(self.step),
        )?)
    }

    /// Systems for CSV rows without a `systems` column.
    pub fn csv_systems(&self) -> Result<Vec<Constellation>, Box<dyn std::error::Error>> {
        parse_systems(&self.csv_systems)
    }

    /// A network by built-in name or file path ([`NetworkRef::parse`]), with the station mask
    /// applied.
    pub fn network(&self, spec: &str) -> Result<Network, Box<dyn std::error::Error>> {
        let net = NetworkRef::parse(spec, Path::new("")).load(&self.csv_systems()?)?;
        self.masked(net)
    }

    /// `net` with the `--station-mask-deg` mask, when given.
    pub fn masked(&self, net: Network) -> Result<Network, Box<dyn std::error::Error>> {
        Ok(net.with_mask_override(self.station_mask_deg)?)
    }
}

/// `C+R`, `C,R` or `C R` → constellations.
pub fn parse_systems(text: &str) -> Result<Vec<Constellation>, Box<dyn std::error::Error>> {
    Ok(crate::source_args::parse_list(text)?)
}

/// A spinner on stderr for a stage without a known length.
pub fn spinner(msg: &str) -> ProgressBar {
    let pb = ProgressBar::new_spinner();
    pb.set_style(
        ProgressStyle::with_template("{spinner} {msg} [{elapsed}]")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    pb.set_message(msg.to_string());
    pb.enable_steady_tick(std::time::Duration::from_millis(120));
    pb
}

/// A bar on stderr counting rows of coverage runs; the message names the stage.
pub fn rows_bar() -> ProgressBar {
    let pb = ProgressBar::new(0);
    pb.set_style(
        ProgressStyle::with_template("{msg:<28} [{bar:40}] {pos}/{len} rows [{elapsed}]")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    pb
}

/// Sample the source on the span, with a spinner. A span that leaves the data is refused
/// unless `allow_no_data` (`--allow-no-data`: those satellite-epochs counted as no data).
pub fn sample(
    source: &dyn OrbitSource,
    span: TimeSpan,
    allow_no_data: bool,
) -> Result<OrbitSamples, Box<dyn std::error::Error>> {
    let pb = spinner(&format!(
        "sampling {} satellites at {} epochs",
        source.satellites().len(),
        span.n_epochs
    ));
    let s = OrbitSamples::for_satellites_with(source, source.satellites(), span, allow_no_data);
    pb.finish_and_clear();
    Ok(s?)
}
