//! `gnss-interop dop`: visibility and DOP at a few sites over a time span, as CSV
//! `site,epoch,visible,gdop,pdop,hdop,vdop,tdop` — the library's site series study
//! ([`gnss_interop::coverage::site_series`]), the one a scenario's `[[sites]]` runs. Also holds
//! the time-span, mask and clock flags shared with `gnss-interop coverage`.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;
use gnss_interop::coverage::{site_series, CoverageConfig};
use gnss_interop::ephemeris::expand_file_list;
use gnss_interop::frames::Geodetic;
use gnss_interop::geometry::{ClockChoice, ClockModel, ElevationMask, IsbSigma};
use gnss_interop::orbit::open::OrbitSpec;
use gnss_interop::time::Scale;
use hifitime::Unit;

use crate::epoch_args::EpochArgs;
use crate::outputs::WriteFlags;
use crate::source_args::SourceArgs;
use gnss_interop::outdir::write_file_atomic;
use gnss_interop::{defaults, limits};

type CliResult<T> = Result<T, Box<dyn std::error::Error>>;

/// `--clock NAME`: `common`, `per-system` or `known-offset` (the library's
/// [`ClockChoice`] names, as in scenario files). The older spellings `per-constellation` and
/// `known-offsets:SIGMA_M` (σ in metres) are still accepted, with a note on stderr.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClockFlag {
    /// The model.
    pub choice: ClockChoice,
    /// σ of the bias in ns from the old `known-offsets:SIGMA_M` spelling.
    pub legacy_sigma_ns: Option<f64>,
}

/// Parse `--clock`.
pub fn parse_clock_flag(text: &str) -> Result<ClockFlag, String> {
    if let Ok(choice) = text.parse::<ClockChoice>() {
        return Ok(ClockFlag {
            choice,
            legacy_sigma_ns: None,
        });
    }
    let t = text.trim().to_ascii_lowercase();
    if t == "per-constellation" {
        eprintln!("note: --clock per-constellation is now spelled per-system");
        return Ok(ClockFlag {
            choice: ClockChoice::PerSystem,
            legacy_sigma_ns: None,
        });
    }
    match t.strip_prefix("known-offsets:") {
        Some(v) => {
            let sigma_m: f64 = v
                .parse()
                .map_err(|e| format!("bad σ in clock model '{text}': {e}"))?;
            let ns = sigma_m / (gnss_interop::consts::SPEED_OF_LIGHT_M_S * 1e-9);
            eprintln!(
                "note: --clock known-offsets:{v} (σ in m) is now spelled --clock known-offset --isb-sigma-ns {ns:.4}"
            );
            Ok(ClockFlag {
                choice: ClockChoice::KnownOffset,
                legacy_sigma_ns: Some(ns),
            })
        }
        None => Err(text
            .parse::<ClockChoice>()
            .map_err(|e| e.to_string())
            .err()
            .unwrap_or_default()),
    }
}

/// `--start ISO --end ISO --step S [--mask DEG] [--clock …] [--isb-sigma-ns NS]`.
#[derive(Debug, Clone, Args)]
pub struct SpanArgs {
    #[command(flatten)]
    pub epochs: EpochArgs,
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
pub struct ResolvedClock {
    /// The model's name.
    pub choice: ClockChoice,
    /// The model.
    pub model: ClockModel,
    /// σ_isb and where it came from, when known-offset.
    pub isb: Option<IsbSigma>,
}

/// What the span flags describe: the library's coverage configuration (span, step, mask, clock;
/// systems from the source flags) and the scale `--start` was written in, which outputs use.
#[derive(Debug, Clone)]
pub struct SpanStudy {
    /// The study configuration.
    pub config: CoverageConfig,
    /// Scale of `--start` (epochs are printed in it).
    pub scale: Scale,
    /// The clock model with the origin of its σ.
    pub clock: ResolvedClock,
}

impl SpanArgs {
    /// Validate the span, step, mask and clock flags into the study configuration over the
    /// systems of `source`.
    pub fn study(&self, source: &SourceArgs) -> CliResult<SpanStudy> {
        let (start, end, scale) = self.epochs.bounds(Scale::Utc)?;
        let step = self.epochs.step;
        limits::epochs(
            "--start/--end/--step",
            (end - start).to_seconds(),
            step,
            limits::MAX_EPOCHS,
        )?;
        let mask =
            ElevationMask::constant(self.mask).map_err(|e| format!("--mask {}: {e}", self.mask))?;
        let clock = self.clock.choose(source, start, end)?;
        let mut config = CoverageConfig::new(source.systems()?, start, end, Unit::Second * step)
            .with_mask(mask)
            .with_clock(clock.model);
        config.allow_no_data = source.allow_no_data;
        Ok(SpanStudy {
            config,
            scale,
            clock,
        })
    }
}

impl ClockArgs {
    /// The clock model; for known-offset, σ_isb by the library's one rule
    /// ([`IsbSigma::choose`]): `--isb-sigma-ns`, else the uncertainty of the BDT − GLONASST
    /// reconciliation of `--nav` over the span, else the 20 ns floor.
    pub fn choose(
        &self,
        source: &SourceArgs,
        start: hifitime::Epoch,
        end: hifitime::Epoch,
    ) -> CliResult<ResolvedClock> {
        let choice = self.model.choice;
        let resolved = |isb: Option<IsbSigma>| -> CliResult<ResolvedClock> {
            let model = choice
                .model(isb.as_ref().map(|i| i.ns))
                .ok_or("known-offset needs σ of the bias")?;
            Ok(ResolvedClock { choice, model, isb })
        };
        if choice != ClockChoice::KnownOffset {
            if self.isb_sigma_ns.is_some() {
                return Err("--isb-sigma-ns applies only to --clock known-offset".into());
            }
            return resolved(None);
        }
        let given = self.isb_sigma_ns.or(self.model.legacy_sigma_ns);
        if let Some(ns) = given {
            if !(ns.is_finite() && ns >= 0.0) {
                return Err(format!("--isb-sigma-ns {ns} must be finite and ≥ 0").into());
            }
        }
        let navs = expand_file_list(&source.nav)?;
        let offsets = if navs.is_empty() || given.is_some() {
            None
        } else {
            Some(gnss_interop::ephemeris::NavData::from_files(&navs)?.offsets)
        };
        let label = OrbitSpec::Nav(navs).label();
        let sigma = IsbSigma::choose(
            given.map(|ns| (ns, "--isb-sigma-ns")),
            offsets.as_ref().map(|o| (o, label.as_str())),
            start,
            end,
        )?;
        resolved(Some(sigma))
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

/// Run the command.
pub fn run(args: DopArgs) -> CliResult<()> {
    if args.sites.is_empty() {
        return Err("no site given: add at least one --site LAT,LON,H".into());
    }
    let sites: Vec<(String, Geodetic)> = args
        .sites
        .iter()
        .map(|s| {
            let g = parse_site(s)?;
            Ok((format!("{}/{}/{}", g.lat_deg, g.lon_deg, g.height_m), g))
        })
        .collect::<CliResult<_>>()?;
    let study = args.span.study(&args.source)?;
    let (source, _label) = args.source.open()?;
    let series = site_series(&[source.as_ref()], &sites, &study.config)?;
    let res = &series.result;
    let write = |out: &mut dyn Write| -> CliResult<()> {
        series.write_csv(out, study.scale)?;
        if res
            .satellites
            .iter()
            .all(|r| r.missing_epochs as usize == res.epochs.len())
        {
            args.write.empty(&format!(
                "no satellite of {} has an orbit state in the span",
                source.describe(),
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
    if let Some(i) = &study.clock.isb {
        eprintln!("clock known-offset: σ_isb = {:.3} ns, {}", i.ns, i.origin);
    }
    let misses: u32 = res.satellites.iter().map(|r| r.missing_epochs).sum();
    if misses > 0 {
        let first = res.satellites.iter().find_map(|r| r.first_error.clone());
        eprintln!(
            "note: {misses} satellite-epochs had no orbit state and were left out (first: {})",
            first.unwrap_or_default()
        );
    }
    if res.no_data_epochs > 0 {
        eprintln!(
            "note: {} epochs left out: {} satellite-epochs outside the orbit data (not counted \
             as satellites out of view)",
            res.no_data_epochs, res.no_data_satellite_epochs
        );
    }
    Ok(())
}
