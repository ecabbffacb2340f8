//! `gnss-interop satpos`: satellite positions and velocities over a time span, as CSV.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;

use clap::Args;
use gnss_interop::id::SatId;
use gnss_interop::orbit::validate::error_kind;
use gnss_interop::time::{calendar_in, epoch_from_iso, Scale};
use hifitime::{Duration, Epoch};

use crate::source_args::SourceArgs;

/// Arguments of `gnss-interop satpos`.
#[derive(Debug, Args)]
pub struct SatposArgs {
    #[command(flatten)]
    pub source: SourceArgs,
    /// First epoch, ISO 8601, read in --scale (e.g. 2023-01-01T00:00:00).
    #[arg(long)]
    pub start: String,
    /// Last epoch (included when on the step grid), ISO 8601, read in --scale.
    #[arg(long)]
    pub end: String,
    /// Step between epochs, s.
    #[arg(long, default_value_t = 300.0)]
    pub step: f64,
    /// Time scale of --start, --end and the epoch column: GPST, BDT, UTC, GLONASST or TAI.
    #[arg(long, default_value = "GPST")]
    pub scale: String,
    /// Output CSV file (default: standard output).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// CSV header of the output.
pub const HEADER: [&str; 11] = [
    "sat", "epoch", "x_m", "y_m", "z_m", "vx_m_s", "vy_m_s", "vz_m_s", "clock_s", "frame", "source",
];

/// At most this many epochs per run (a typo in --step should not fill a disk).
const MAX_EPOCHS: u64 = 10_000_000;

/// The epochs start, start + step, … ≤ end.
pub fn epoch_grid(start: Epoch, end: Epoch, step_s: f64) -> Result<Vec<Epoch>, String> {
    if !(step_s.is_finite() && step_s > 0.0) {
        return Err(format!(
            "--step must be a positive number of seconds, got {step_s}"
        ));
    }
    if end < start {
        return Err(format!("--end ({end}) is before --start ({start})"));
    }
    let span_s = (end - start).to_seconds();
    // Tolerance of 1 ns so that an end exactly on the grid is included.
    let n = ((span_s + 1e-9) / step_s).floor() as u64 + 1;
    if n > MAX_EPOCHS {
        return Err(format!(
            "{n} epochs requested (span {span_s} s, step {step_s} s); at most {MAX_EPOCHS}"
        ));
    }
    Ok((0..n)
        .map(|k| start + Duration::from_seconds(k as f64 * step_s))
        .collect())
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
        eprintln!(
            "  {} {:5.1} % of the span: data {}",
            r.sat,
            100.0 * r.fraction,
            if served.is_empty() {
                "none".to_string()
            } else {
                served.join(", ")
            }
        );
    }
}

/// Run the command.
pub fn run(args: SatposArgs) -> Result<(), Box<dyn std::error::Error>> {
    let scale: Scale = args.scale.parse()?;
    let start = epoch_from_iso(scale, &args.start)?;
    let end = epoch_from_iso(scale, &args.end)?;
    let epochs = epoch_grid(start, end, args.step)?;
    let (source, label) = args.source.open()?;

    let sink: Box<dyn Write> = match &args.out {
        Some(p) => Box::new(std::fs::File::create(p).map_err(|e| format!("{}: {e}", p.display()))?),
        None => Box::new(std::io::stdout().lock()),
    };
    let mut w = csv::Writer::from_writer(std::io::BufWriter::new(sink));
    w.write_record(HEADER)?;
    // Epoch labels once per epoch, not per satellite.
    let labels: Vec<String> = epochs
        .iter()
        .map(|&t| calendar_in(scale, t).map(|c| c.to_string()))
        .collect::<Result<_, _>>()?;
    // Skips: per satellite and reason, with the first epoch and message.
    let mut skips: BTreeMap<(SatId, &'static str), (usize, String, String)> = BTreeMap::new();
    let mut rows = 0usize;
    for &sat in source.satellites() {
        for (t, lab) in epochs.iter().zip(&labels) {
            match source.state_at(sat, *t) {
                Ok(s) => {
                    let p = s.position_m;
                    let v = s.velocity_m_s;
                    w.write_record([
                        sat.to_string(),
                        lab.clone(),
                        format!("{:.4}", p.x),
                        format!("{:.4}", p.y),
                        format!("{:.4}", p.z),
                        format!("{:.6}", v.x),
                        format!("{:.6}", v.y),
                        format!("{:.6}", v.z),
                        s.clock_offset_s
                            .map(|c| format!("{c:.12e}"))
                            .unwrap_or_default(),
                        s.frame.to_string(),
                        label.clone(),
                    ])?;
                    rows += 1;
                }
                Err(e) => {
                    skips
                        .entry((sat, error_kind(&e)))
                        .or_insert_with(|| (0, lab.clone(), e.to_string()))
                        .0 += 1;
                }
            }
        }
    }
    w.flush()?;
    let n_sats = source.satellites().len();
    eprintln!(
        "satpos: {} ({n_sats} satellites) × {} epochs → {rows} rows; {} skipped",
        source.describe(),
        epochs.len(),
        n_sats * epochs.len() - rows
    );
    for ((sat, kind), (count, first, msg)) in &skips {
        eprintln!("  skipped {sat}: {count} epoch(s), {kind} (first at {first} {scale}: {msg})");
    }
    print_data_availability(source.as_ref(), start, end);
    Ok(())
}
