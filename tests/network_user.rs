//! User-side consequences of monitoring networks on the nominal constellations.
//!
//! Expected values are structural, not numeric: adding stations can only add monitored
//! (satellite, epoch) pairs, so monitored-only availability never drops; with a constant σ the
//! error-weighted run reduces to the plain DOP (position error = σ · PDOP).

use gnss_interop::coverage::{self, DopKind, Grid, GridLayout, Local};
use gnss_interop::geometry::ElevationMask;
use gnss_interop::id::Constellation;
use gnss_interop::network::{
    coverage_config_for, user_coverage, Network, NetworkAnalysis, OrbitSamples, RangeErrorModel,
    RangeErrorModels, TimeSpan, UserJob, Weighting,
};
use gnss_interop::orbit::filter::Restricted;
use gnss_interop::orbit::nominal::NominalConstellation;
use gnss_interop::orbit::OrbitSource;
use hifitime::{Duration, Epoch, TimeScale};

fn span() -> TimeSpan {
    TimeSpan::new(
        Epoch::from_gregorian(2023, 1, 1, 0, 0, 0, 0, TimeScale::UTC),
        Duration::from_hours(12.0),
        Duration::from_seconds(900.0),
    )
    .unwrap()
}

#[test]
fn added_bds_stations_never_reduce_monitored_availability() {
    let src = Restricted::to_systems(NominalConstellation::both(), &[Constellation::BeiDou]);
    let samples = OrbitSamples::new(&src, span()).unwrap();
    let base = Network::builtin("bds-baseline").unwrap();
    let aug = Network::builtin("bds-augmented").unwrap();
    let grid = Grid::global(15.0, GridLayout::CellCentres, 0.0).unwrap();
    let mut cfg = coverage_config_for(&span(), vec![Constellation::BeiDou]);
    cfg.mask = ElevationMask::constant(5.0).unwrap();
    let sources: [&dyn OrbitSource; 1] = [&src];
    let run = |net: &Network| {
        let table = NetworkAnalysis::new(&samples, net)
            .monitoring_table(1)
            .unwrap();
        let job = UserJob {
            sources: &sources,
            grid: &grid,
            cfg: &cfg,
            table: &table,
            weighting: Weighting::MonitoredOnly,
            progress: None,
        };
        user_coverage(&Local, job).unwrap()
    };
    let (b, a) = (run(&base), run(&aug));
    for (pb, pa) in b.points.iter().zip(&a.points) {
        assert!(pa.availability >= pb.availability, "{:?}", pa.site);
        assert!(pa.visible_mean >= pb.visible_mean);
    }
    let (sb, sa) = (b.summary(None).unwrap(), a.summary(None).unwrap());
    assert!(
        sa.visible_mean > sb.visible_mean,
        "{} {}",
        sa.visible_mean,
        sb.visible_mean
    );
}

#[test]
fn constant_sigma_reduces_to_plain_dop() {
    let src = Restricted::to_systems(NominalConstellation::both(), &[Constellation::Glonass]);
    let samples = OrbitSamples::new(&src, span()).unwrap();
    let net = Network::builtin("glonass-baseline").unwrap();
    let table = NetworkAnalysis::new(&samples, &net)
        .monitoring_table(1)
        .unwrap();
    let sigma = 2.0;
    let flat = RangeErrorModels::uniform(RangeErrorModel::new(sigma, 0.0, 0.0, sigma).unwrap());
    let sigmas = table.sigma_table(&flat);
    let grid = Grid::global(30.0, GridLayout::CellCentres, 0.0).unwrap();
    let mut cfg = coverage_config_for(&span(), vec![Constellation::Glonass]);
    cfg.dop_kinds = vec![DopKind::Pdop, DopKind::PositionErrorM];
    let sources: [&dyn OrbitSource; 1] = [&src];
    let job = UserJob {
        sources: &sources,
        grid: &grid,
        cfg: &cfg,
        table: &table,
        weighting: Weighting::ErrorWeighted(&sigmas),
        progress: None,
    };
    let weighted = user_coverage(&Local, job).unwrap();
    cfg.dop_kinds = vec![DopKind::Pdop];
    let plain = coverage::run(&sources, &grid, &cfg).unwrap();
    for (w, p) in weighted.points.iter().zip(&plain.points) {
        let pw = w.get(DopKind::Pdop).unwrap();
        let pp = p.get(DopKind::Pdop).unwrap();
        let err = w.get(DopKind::PositionErrorM).unwrap();
        approx::assert_relative_eq!(pw.mean, pp.mean, max_relative = 1e-9);
        approx::assert_relative_eq!(err.mean, sigma * pp.mean, max_relative = 1e-9);
    }
}
