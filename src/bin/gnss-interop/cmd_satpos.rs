//! `gnss-interop satpos`: satellite positions and velocities over a time span, as CSV — the
//! library's satellite-state study ([`gnss_interop::orbit::states`]), the same as a
//! scenario's `[satellites]`.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;
use gnss_interop::orbit::states::{write_states_csv, StatesConfig, StatesSummary};
use hifitime::Epoch;

use crate::epoch_args::{EpochArgs, Epochs};
use crate::outputs::WriteFlags;
use crate::source_args::SourceArgs;
use gnss_interop::limits;
use gnss_interop::outdir::write_file_atomic;

/// Arguments of `gnss-interop satpos`.
#[derive(Debug, Args)]
pub struct SatposArgs {
    #[command(flatten)]
    pub source: SourceArgs,
    #[command(flatten)]
    pub epochs: EpochArgs,
    /// Default time scale of --start and --end when they carry no suffix: GPST, BDT, UTC,
    /// GLONASST or TAI. The epoch column is in the scale --start was read in.
    #[arg(long, default_value = "GPST")]
    pub scale: String,
    /// Output CSV file (default: standard output); written to a temporary file beside it
    /// and renamed into place when complete. An existing file needs --force.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub write: WriteFlags,
}

/// Per satellite, the parts of the span its data cover (stderr): a line per satellite with a
/// gap, and how many are covered throughout. Shared with `validate`.
pub fn print_data_availability(
    source: &dyn gnss_interop::orbit::OrbitSource,
    start: Epoch,
    end: Epoch,
) {
    let table = gnss_interop::orbit::data_availability(source, start, end);
    if table.iter().all(|r| r.served.is_none()) {
        return;
    }
    let whole = table.iter().filter(|r| r.uncovered.is_empty()).count();
    eprintln!(
        "data availability (GPST): {whole} of {} satellites have data over the whole span",
        table.len()
    );
    let gpst = |e: &Epoch| e.to_time_scale(hifitime::TimeScale::GPST);
    for r in table.iter().filter(|r| !r.uncovered.is_empty()) {
        let served: Vec<String> = r
            .served
            .iter()
            .flatten()
            .map(|(a, b)| format!("{} – {}", gpst(a), gpst(b)))
            .collect();
        let unusable: Vec<String> = r
            .unusable
            .iter()
            .map(|(a, b)| format!("{} – {}", gpst(a), gpst(b)))
            .collect();
        eprintln!(
            "  {} {:5.1} % of the span: data {}{}",
            r.sat,
            100.0 * r.fraction,
            if served.is_empty() {
                "none".to_string()
            } else {
                served.join(", ")
            },
            if unusable.is_empty() {
                String::new()
            } else {
                format!("; unhealthy records only {}", unusable.join(", "))
            }
        );
    }
}

/// Run the command.
pub fn run(args: SatposArgs) -> Result<(), Box<dyn std::error::Error>> {
    let Epochs {
        list: epochs,
        start,
        end,
        scale,
    } = args
        .epochs
        .grid(args.scale.parse()?, limits::MAX_STREAMED_EPOCHS)?;
    let (source, label) = args.source.open()?;

    let cfg = StatesConfig {
        source: source.as_ref(),
        label: &label,
        epochs: &epochs,
        scale,
    };
    let write = |sink: &mut dyn Write| -> Result<StatesSummary, Box<dyn std::error::Error>> {
        let summary = write_states_csv(&cfg, sink)?;
        if summary.rows == 0 {
            args.write.empty(&format!(
                "no state for any satellite of {} at the {} epochs requested",
                summary.source, summary.epochs
            ))?;
        }
        Ok(summary)
    };
    let summary = match &args.out {
        Some(p) => {
            let mut summary = None;
            write_file_atomic(p, args.write.force, |w| {
                summary = Some(write(w)?);
                Ok::<(), Box<dyn std::error::Error>>(())
            })??;
            summary.ok_or("no table written")?
        }
        None => write(&mut std::io::stdout().lock())?,
    };
    eprint!("{}", summary.text());
    print_data_availability(source.as_ref(), start, end);
    if let Some(p) = &args.out {
        // The availability timeline beside the table: `<stem>_availability.png`.
        let stem = p
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "satpos".to_string());
        let png = p.with_file_name(format!("{stem}_availability.png"));
        if let Some(f) = write_availability_png(&png, source.as_ref(), start, end)? {
            eprintln!("wrote {}", f.display());
        }
    }
    Ok(())
}

/// The ephemeris availability timeline of `source` over `[start, end]` written to `png`
/// (drawn beside it, then renamed: never a half-written figure); `None` for a source not
/// bounded by data (nominal constellations).
pub fn write_availability_png(
    png: &std::path::Path,
    source: &dyn gnss_interop::orbit::OrbitSource,
    start: Epoch,
    end: Epoch,
) -> Result<Option<std::path::PathBuf>, Box<dyn std::error::Error>> {
    let table = gnss_interop::orbit::data_availability(source, start, end);
    let tmp = png.with_extension("partial.png");
    let title = format!("Ephemeris availability: {}", source.describe());
    match gnss_interop::orbit::write_availability_figure(&tmp, &table, start, end, &title)? {
        None => Ok(None),
        Some(_) => {
            std::fs::rename(&tmp, png).map_err(|e| format!("{}: {e}", png.display()))?;
            Ok(Some(png.to_path_buf()))
        }
    }
}
