//! `gnss-interop dop`: visibility and DOP at a few sites over a time span, as CSV
//! `site,epoch,visible,gdop,pdop,hdop,vdop,tdop`. Also holds the time-span, mask and clock flags
//! shared with `gnss-interop coverage`.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;
use gnss_interop::frames::{Ellipsoid, Geodetic, Topocentric};
use gnss_interop::geometry::{dop, ClockModel, ElevationMask, LineOfSight};
use gnss_interop::time::{format_epoch, parse_epoch, reconcile_bdt_glonasst, Scale, TimeSpan};
use hifitime::{Duration, Epoch, Unit};

use crate::outputs::WriteFlags;
use crate::source_args::SourceArgs;
use gnss_interop::outdir::write_file_atomic;
use gnss_interop::{defaults, limits};

type CliResult<T> = Result<T, Box<dyn std::error::Error>>;

/// σ of the BDT − GLONASST bias used without a navigation file to reconcile, ns: the library's
/// documented floor for a broadcast offset.
pub const DEFAULT_ISB_SIGMA_NS: f64 = gnss_interop::time::BROADCAST_OFFSET_FLOOR_NS;

/// Receiver-clock model named on the command line, with the names of scenario files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockArg {
    /// One receiver clock for all systems.
    Common,
    /// One clock per system (unknown inter-system bias).
    PerSystem,
    /// One clock per system with a known inter-system bias of σ `--isb-sigma-ns`.
    KnownOffset,
}

/// `--clock NAME`: `common`, `per-system` or `known-offset` (the names of scenario files).
/// The older spellings `per-constellation` and `known-offsets:SIGMA_M` (σ in metres) are
/// still accepted, with a note on stderr.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClockFlag {
    /// The model.
    pub arg: ClockArg,
    /// σ of the bias in ns from the old `known-offsets:SIGMA_M` spelling.
    pub legacy_sigma_ns: Option<f64>,
}

/// Parse `--clock`.
pub fn parse_clock_flag(text: &str) -> Result<ClockFlag, String> {
    let t = text.trim().to_ascii_lowercase();
    let plain = |arg| ClockFlag {
        arg,
        legacy_sigma_ns: None,
    };
    match t.as_str() {
        "common" => Ok(plain(ClockArg::Common)),
        "per-system" => Ok(plain(ClockArg::PerSystem)),
        "known-offset" => Ok(plain(ClockArg::KnownOffset)),
        "per-constellation" => {
            eprintln!("note: --clock per-constellation is now spelled per-system");
            Ok(plain(ClockArg::PerSystem))
        }
        _ => match t.strip_prefix("known-offsets:") {
            Some(v) => {
                let sigma_m: f64 = v
                    .parse()
                    .map_err(|e| format!("bad σ in clock model '{text}': {e}"))?;
                let ns = sigma_m / (gnss_interop::consts::SPEED_OF_LIGHT_M_S * 1e-9);
                eprintln!(
                    "note: --clock known-offsets:{v} (σ in m) is now spelled --clock known-offset --isb-sigma-ns {ns:.4}"
                );
                Ok(ClockFlag {
                    arg: ClockArg::KnownOffset,
                    legacy_sigma_ns: Some(ns),
                })
            }
            None => Err(format!(
                "unknown clock model '{text}'; expected common, per-system or known-offset"
            )),
        },
    }
}

impl ClockArg {
    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            ClockArg::Common => "common",
            ClockArg::PerSystem => "per-system",
            ClockArg::KnownOffset => "known-offset",
        }
    }
}

/// `--start ISO --end ISO --step S [--mask DEG] [--clock …] [--isb-sigma-ns NS]`.
#[derive(Debug, Clone, Args)]
pub struct SpanArgs {
    /// First epoch, ISO 8601 with an optional scale suffix (UTC when omitted), e.g.
    /// 2023-01-01T00:00:00 or "2023-01-01T00:00:00 GPST" (UTC, TAI, GPST, BDT, GLONASST).
    #[arg(long)]
    pub start: String,
    /// Last epoch (included when it falls on the step), same format.
    #[arg(long)]
    pub end: String,
    /// Time step, s.
    #[arg(long, default_value_t = defaults::STEP_S)]
    pub step: f64,
    /// Elevation mask, degrees (the library's default user mask).
    #[arg(long, default_value_t = defaults::USER_MASK_DEG)]
    pub mask: f64,
    #[command(flatten)]
    pub clock: ClockArgs,
}

/// `--clock NAME [--isb-sigma-ns NS]`, shared by every command that computes DOP.
#[derive(Debug, Clone, Args)]
pub struct ClockArgs {
    /// Receiver-clock model: common, per-system or known-offset (as in scenario files).
    #[arg(long = "clock", value_parser = parse_clock_flag, default_value = "per-system")]
    pub model: ClockFlag,
    /// σ of the known BDT − GLONASST bias, ns, for `--clock known-offset` (default: the
    /// uncertainty of the broadcast reconciliation of `--nav`, i.e. its closure or the 20 ns
    /// floor, whichever is larger; 20 ns without `--nav`). Measurements
    /// have σ = 1 m, so 1 ns ≈ 0.3 m of bias σ relative to the range error.
    #[arg(long, value_name = "NS")]
    pub isb_sigma_ns: Option<f64>,
}

/// The clock model and how its σ_isb was chosen (for the outputs).
#[derive(Debug, Clone)]
pub struct ClockChoice {
    /// The model.
    pub model: ClockModel,
    /// σ_isb in ns when known-offset.
    pub isb_sigma_ns: Option<f64>,
    /// Where σ_isb came from (empty for the other models).
    pub isb_origin: String,
}

/// The parsed span: epochs, the scale they are shown in, step, mask.
#[derive(Debug, Clone)]
pub struct Span {
    /// First epoch.
    pub start: Epoch,
    /// Last epoch.
    pub end: Epoch,
    /// Scale of `--start` (epochs are printed in it).
    pub scale: Scale,
    /// Step.
    pub step: Duration,
    /// Mask.
    pub mask: ElevationMask,
}

impl SpanArgs {
    /// Validate and convert the span, step and mask.
    pub fn span(&self) -> CliResult<Span> {
        let (start, scale) = parse_epoch(&self.start, Scale::Utc)?;
        let (end, _) = parse_epoch(&self.end, Scale::Utc)?;
        if end < start {
            return Err(format!(
                "--end {} is before --start {} (need end ≥ start)",
                self.end, self.start
            )
            .into());
        }
        limits::epochs(
            "--start/--end/--step",
            (end - start).to_seconds(),
            self.step,
            limits::MAX_EPOCHS,
        )?;
        let mask =
            ElevationMask::constant(self.mask).map_err(|e| format!("--mask {}: {e}", self.mask))?;
        Ok(Span {
            start,
            end,
            scale,
            step: Unit::Second * self.step,
            mask,
        })
    }

    /// The clock model of `--clock` over the span (see [`ClockArgs::choose`]).
    pub fn clock(&self, source: &SourceArgs, span: &Span) -> CliResult<ClockChoice> {
        self.clock.choose(source, span.start, span.end)
    }
}

impl ClockArgs {
    /// The clock model; for known-offset, σ_isb from `--isb-sigma-ns`, else the uncertainty of
    /// the BDT − GLONASST reconciliation of `--nav` (largest over start, middle and end of the
    /// span), else [`DEFAULT_ISB_SIGMA_NS`].
    pub fn choose(&self, source: &SourceArgs, start: Epoch, end: Epoch) -> CliResult<ClockChoice> {
        let plain = |model| ClockChoice {
            model,
            isb_sigma_ns: None,
            isb_origin: String::new(),
        };
        if self.model.arg != ClockArg::KnownOffset {
            if self.isb_sigma_ns.is_some() {
                return Err("--isb-sigma-ns applies only to --clock known-offset".into());
            }
            return Ok(plain(match self.model.arg {
                ClockArg::Common => ClockModel::Common,
                _ => ClockModel::PerConstellation,
            }));
        }
        let given = self.isb_sigma_ns.or(self.model.legacy_sigma_ns);
        let (ns, origin) = match (given, source.nav.first()) {
            (Some(ns), _) => {
                if !(ns.is_finite() && ns >= 0.0) {
                    return Err(format!("--isb-sigma-ns {ns} must be finite and ≥ 0").into());
                }
                (ns, "given on the command line (--isb-sigma-ns)".to_string())
            }
            (None, Some(nav)) => {
                let offsets = gnss_interop::ephemeris::NavData::from_files(&source.nav)?.offsets;
                let mid = start + (end - start) * 0.5;
                let mut sigma = 0.0_f64;
                let mut basis = gnss_interop::time::UncertaintyBasis::Floor;
                for t in [start, mid, end] {
                    let r = reconcile_bdt_glonasst(t, &offsets)?;
                    if r.uncertainty_ns > sigma {
                        sigma = r.uncertainty_ns;
                        basis = r.uncertainty_basis;
                    }
                }
                (
                    sigma,
                    format!(
                        "uncertainty of the BDT − GLONASST broadcast reconciliation in {} ({:?}; largest over start, middle, end)",
                        nav.display(),
                        basis
                    ),
                )
            }
            (None, None) => (
                DEFAULT_ISB_SIGMA_NS,
                format!("default {DEFAULT_ISB_SIGMA_NS} ns (no --nav file to reconcile)"),
            ),
        };
        Ok(ClockChoice {
            model: ClockModel::known_offset_ns(ns),
            isb_sigma_ns: Some(ns),
            isb_origin: origin,
        })
    }
}

/// Arguments of `gnss-interop dop`.
#[derive(Debug, Args)]
pub struct DopArgs {
    #[command(flatten)]
    pub source: SourceArgs,
    /// A site LAT,LON[,H] (degrees, degrees, metres above the CGCS2000 ellipsoid); repeat for more.
    #[arg(long = "site", value_name = "LAT,LON,H", allow_hyphen_values = true)]
    pub sites: Vec<String>,
    #[command(flatten)]
    pub span: SpanArgs,
    /// Write the CSV to this file instead of standard output (to a temporary file beside it,
    /// renamed into place when complete; an existing file needs --force).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub write: WriteFlags,
}

/// Parse `LAT,LON[,H]`.
pub fn parse_site(text: &str) -> CliResult<Geodetic> {
    let v: Vec<&str> = text.split(',').map(str::trim).collect();
    if !(2..=3).contains(&v.len()) {
        return Err(
            format!("--site '{text}': expected LAT,LON,H (degrees, degrees, metres)").into(),
        );
    }
    let num = |s: &str, what: &str| -> CliResult<f64> {
        s.parse::<f64>()
            .ok()
            .filter(|x| x.is_finite())
            .ok_or_else(|| format!("--site '{text}': {what} '{s}' is not a number").into())
    };
    let lat = num(v[0], "latitude")?;
    let lon = num(v[1], "longitude")?;
    let h = if v.len() == 3 {
        num(v[2], "height")?
    } else {
        0.0
    };
    if !(-90.0..=90.0).contains(&lat) {
        return Err(format!("--site '{text}': latitude {lat}° is outside −90…90°").into());
    }
    if !(-180.0..=360.0).contains(&lon) {
        return Err(format!("--site '{text}': longitude {lon}° is outside −180…360°").into());
    }
    Ok(Geodetic::new(lat, lon, h))
}

fn fmt_opt(v: Option<f64>) -> String {
    v.map(|x| format!("{x:.4}")).unwrap_or_default()
}

/// Run the command.
pub fn run(args: DopArgs) -> CliResult<()> {
    if args.sites.is_empty() {
        return Err("no site given: add at least one --site LAT,LON,H".into());
    }
    let sites: Vec<Geodetic> = args
        .sites
        .iter()
        .map(|s| parse_site(s))
        .collect::<CliResult<_>>()?;
    let span = args.span.span()?;
    let clock = args.span.clock(&args.source, &span)?;
    let systems = args.source.systems()?;
    let (source, _label) = args.source.open()?;
    let sats: Vec<_> = source
        .satellites()
        .iter()
        .copied()
        .filter(|s| systems.contains(&s.constellation()))
        .collect();
    if sats.is_empty() {
        return Err(format!(
            "the orbit source has no satellite of the systems {:?}",
            systems
        )
        .into());
    }
    let frames: Vec<Topocentric> = sites
        .iter()
        .map(|s| Topocentric::new(*s, &Ellipsoid::CGCS2000))
        .collect();
    let labels: Vec<String> = sites
        .iter()
        .map(|s| format!("{}/{}/{}", s.lat_deg, s.lon_deg, s.height_m))
        .collect();

    let (mut misses, mut first_miss, mut seen) = (0usize, None::<String>, 0usize);
    let mut write = |out: &mut dyn Write| -> CliResult<()> {
        writeln!(out, "site,epoch,visible,gdop,pdop,hdop,vdop,tdop")?;
        let epochs = TimeSpan::through(span.start, span.end, span.step)?.epochs();
        let mut los = Vec::with_capacity(sats.len());
        for t in epochs {
            // Satellite states once per epoch; a satellite without a state is absent then.
            let states: Vec<_> = sats
                .iter()
                .filter_map(|&s| match source.state_at(s, t) {
                    Ok(st) => Some((s.constellation(), st.position_m)),
                    Err(e) => {
                        misses += 1;
                        first_miss.get_or_insert_with(|| e.to_string());
                        None
                    }
                })
                .collect();
            seen += states.len();
            let when = format_epoch(span.scale, t);
            for (frame, label) in frames.iter().zip(&labels) {
                los.clear();
                los.extend(states.iter().filter_map(|(sys, pos)| {
                    LineOfSight::from_ecef(frame, pos, *sys)
                        .filter(|l| span.mask.is_visible(l.azimuth_deg, l.elevation_deg))
                }));
                let d = dop(&los, &clock.model, None);
                writeln!(
                    out,
                    "{label},{when},{},{},{},{},{},{}",
                    los.len(),
                    fmt_opt(d.as_ref().map(|d| d.gdop)),
                    fmt_opt(d.as_ref().map(|d| d.pdop)),
                    fmt_opt(d.as_ref().map(|d| d.hdop)),
                    fmt_opt(d.as_ref().map(|d| d.vdop)),
                    fmt_opt(d.as_ref().map(|d| d.tdop)),
                )?;
            }
        }
        if seen == 0 {
            args.write.empty(&format!(
                "no satellite of {} has an orbit state in the span (first: {})",
                source.describe(),
                first_miss.clone().unwrap_or_default()
            ))?;
        }
        Ok(())
    };
    match &args.out {
        Some(p) => write_file_atomic(p, args.write.force, |w| write(w))??,
        None => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            write(&mut out)?;
            out.flush()?;
        }
    }
    if let Some(ns) = clock.isb_sigma_ns {
        eprintln!(
            "clock known-offset: σ_isb = {ns:.3} ns, {}",
            clock.isb_origin
        );
    }
    if misses > 0 {
        eprintln!(
            "note: {misses} satellite-epochs had no orbit state and were left out (first: {})",
            first_miss.unwrap_or_default()
        );
    }
    Ok(())
}
