//! Memory: a day-long run never allocates anything of size grid × epochs, and the engine's
//! working state per grid point stays within 256 bytes.
//!
//! A counting global allocator (this test binary only) records the peak of live heap bytes
//! during a one-thread run of a 2.5° global grid (10,368 points) over one day at 120 s (721
//! epochs): 7.5 million grid-point-epochs, so one f64 per grid-point-epoch would be 60 MB. The run
//! legitimately holds the satellite states and table (O(satellites × epochs), ≈ 4 MB for 51
//! satellites), the per-point results (O(points), ≈ 4 MB) and the streamed state of the row in
//! flight (144 points × 240 B). The bound, 2 B per grid-point-epoch
//! (15 MB), rules out any grid × epochs array of f64, f32 or u16.

use peak_alloc::PeakAlloc;

use gnss_interop::coverage::test_constellation::WalkerSource;
use gnss_interop::coverage::{self, CoverageConfig, Grid, GridLayout, PointStats};
use gnss_interop::id::Constellation;
use gnss_interop::orbit::OrbitSource;
use hifitime::{Epoch, TimeScale, Unit};

/// Counting global allocator (the `peak_alloc` crate: the system allocator plus live and peak
/// heap byte counters) for this binary only.
#[global_allocator]
static GLOBAL: PeakAlloc = PeakAlloc;

/// The tests of this binary share the counter: they run one at a time.
static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

#[test]
fn day_long_run_stays_below_grid_times_epochs() {
    let _one_at_a_time = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let t0 = Epoch::from_gregorian_hms(2023, 1, 1, 0, 0, 0, TimeScale::GPST);
    let b = WalkerSource::bds_like(t0);
    let g = WalkerSource::glonass_like(t0);
    let srcs: [&dyn OrbitSource; 2] = [&b, &g];
    let grid = Grid::global(2.5, GridLayout::CellCentres, 0.0).unwrap();
    let cfg = CoverageConfig::new(
        vec![Constellation::BeiDou, Constellation::Glonass],
        t0,
        t0 + Unit::Day * 1,
        Unit::Second * 120,
    );
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let before = GLOBAL.current_usage();
    GLOBAL.reset_peak_usage();
    let res = pool.install(|| coverage::run(&srcs, &grid, &cfg)).unwrap();
    let peak = GLOBAL.peak_usage() - before;
    let grid_epochs = grid.len() * res.epochs.len();
    assert_eq!(grid_epochs, 10368 * 721);
    assert!(
        peak < grid_epochs * 2,
        "peak {peak} B for {grid_epochs} grid-point-epochs"
    );
    eprintln!(
        "peak heap during the run: {:.1} MB ({:.2} B per grid-point-epoch)",
        peak as f64 / 1e6,
        peak as f64 / grid_epochs as f64
    );
}

/// Bytes per point: the streamed per-point state is ≤ 256 B (240 B for the three default
/// figures), and a one-epoch run on the 1° global grid (64,800 points) uses at most 256 B per
/// point of heap besides the result it returns (one [`PointStats`] per point, its figures held
/// inline: no allocation per point): the site frames, weights and the rows in flight.
#[test]
fn working_memory_per_point_is_at_most_256_bytes() {
    let _one_at_a_time = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    assert!(coverage::state_bytes_per_point(3) <= 256);
    assert_eq!(coverage::state_bytes_per_point(3), 240);
    let t0 = Epoch::from_gregorian_hms(2023, 1, 1, 0, 0, 0, TimeScale::GPST);
    let b = WalkerSource::bds_like(t0);
    let g = WalkerSource::glonass_like(t0);
    let srcs: [&dyn OrbitSource; 2] = [&b, &g];
    let grid = Grid::global(1.0, GridLayout::CellCentres, 0.0).unwrap();
    let cfg = CoverageConfig::new(
        vec![Constellation::BeiDou, Constellation::Glonass],
        t0,
        t0,
        Unit::Second * 60,
    );
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let before = GLOBAL.current_usage();
    GLOBAL.reset_peak_usage();
    let res = pool.install(|| coverage::run(&srcs, &grid, &cfg)).unwrap();
    let peak = GLOBAL.peak_usage() - before;
    let n = grid.len();
    let result_per_point = std::mem::size_of::<PointStats>();
    let working = peak.saturating_sub(n * result_per_point) as f64 / n as f64;
    eprintln!(
        "one epoch, {n} points: peak {:.1} MB = {:.0} B per point ({result_per_point} B result, \
         {working:.0} B working)",
        peak as f64 / 1e6,
        peak as f64 / n as f64
    );
    assert_eq!(res.points.len(), n);
    assert!(working <= 256.0, "{working} B per point");
}
