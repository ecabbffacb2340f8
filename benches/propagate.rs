//! Propagation speed (states per second): BDS MEO and GEO Kepler, GLONASS RK4 over 15 min,
//! SP3 interpolation (order 9), nominal constellation. Inputs are the records of
//! `tests/orbit_bds.rs` and `tests/orbit_glonass.rs` (BRDC00IGS 2023-001) and the WUM SP3
//! of the same day (skipped when the data directory is absent); the long-span Hermite lookup;
//! and a full day at 60 s for all BDS + GLONASS satellites of the real BRDC file, through the
//! broadcast source (record selection included) — `day_60s/*`.

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use gnss_interop::ephemeris::{BdsEphemeris, BdsMessage, GlonassEphemeris, NavData, Sp3Product};
use gnss_interop::id::Constellation;
use gnss_interop::orbit::bds::BdsPropagator;
use gnss_interop::orbit::broadcast::{BroadcastOptions, BroadcastSource};
use gnss_interop::orbit::glonass::{GlonassOptions, GlonassPropagator};
use gnss_interop::orbit::longspan::{LongSpanOptions, LongSpanPropagator};
use gnss_interop::orbit::nominal::NominalConstellation;
use gnss_interop::orbit::sp3::Sp3Source;
use gnss_interop::orbit::{OrbitSource, Propagator};
use hifitime::{Duration, Epoch, TimeScale};
use nalgebra::Vector3;

fn bds(sat: &str, el: [f64; 15], af: [f64; 2]) -> BdsEphemeris {
    let toe = Epoch::from_time_of_week(887, 0, TimeScale::BDT);
    BdsEphemeris {
        sat: sat.parse().unwrap(),
        message: BdsMessage::D1D2,
        toc: toe,
        toe,
        toe_sow_s: 0.0,
        bdt_week: 887,
        sqrt_a_sqrt_m: el[0],
        a_dot_m_s: 0.0,
        e: el[1],
        delta_n_rad_s: el[2],
        i0_rad: el[3],
        idot_rad_s: el[4],
        omega0_rad: el[5],
        omega_dot_rad_s: el[6],
        omega_rad: el[7],
        m0_rad: el[8],
        delta_n_dot_rad_s2: 0.0,
        cuc_rad: el[9],
        cus_rad: el[10],
        crc_m: el[11],
        crs_m: el[12],
        cic_rad: el[13],
        cis_rad: el[14],
        af0_s: af[0],
        af1_s_s: af[1],
        af2_s_s2: 0.0,
        tgd1_s: 0.0,
        tgd2_s: 0.0,
        aode: 1,
        aodc: 0,
        sv_accuracy_m: 2.0,
        health: 0,
        source_line: 0,
    }
}

fn c20() -> BdsEphemeris {
    bds(
        "C20",
        [
            5282.62157631,
            5.2308361046e-4,
            3.75515641734e-9,
            0.972032493078,
            3.41442793891e-10,
            0.0825099036115,
            -6.72670876585e-9,
            -0.626095243997,
            -1.19369988376,
            -2.29571014643e-7,
            7.13905319571e-6,
            223.265625,
            -6.765625,
            -5.12227416039e-8,
            -5.12227416039e-9,
        ],
        [7.85080483183e-4, -1.42685863125e-11],
    )
}

fn c01() -> BdsEphemeris {
    bds(
        "C01",
        [
            6493.33819008,
            6.31691189483e-4,
            -3.76265672976e-9,
            0.0657069084765,
            -3.57872049664e-10,
            -3.01531508642,
            4.90556147918e-9,
            -1.19930369387,
            0.453802988659,
            1.2478325516e-5,
            -5.510635674e-6,
            161.734375,
            381.796875,
            -5.4482370615e-8,
            2.421438694e-8,
        ],
        [9.23757441342e-4, -3.63709062867e-12],
    )
}

fn r01() -> GlonassEphemeris {
    GlonassEphemeris {
        sat: "R01".parse().unwrap(),
        tb: Epoch::from_gregorian_utc(2023, 1, 1, 0, 15, 0, 0),
        position_m: Vector3::new(18558.95410156, -4860.471191406, -16808.4375) * 1e3,
        velocity_m_s: Vector3::new(2.283813476562, 0.3012857437134, 2.435156822205) * 1e3,
        acceleration_m_s2: Vector3::new(0.0, 0.0, 2.793967723846e-9) * 1e3,
        minus_tau_n_s: 2.048350870609e-5,
        gamma_n: 0.0,
        frame_time_s: 0.0,
        channel: 1,
        health: 0,
        age_days: 0.0,
        source_line: 0,
    }
}

fn data_dir() -> PathBuf {
    std::env::var_os("GNSS_INTEROP_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data"))
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("state_at");
    g.throughput(Throughput::Elements(1));
    let toe = Epoch::from_time_of_week(887, 0, TimeScale::BDT);
    let t = toe + Duration::from_seconds(1234.5);
    let meo = BdsPropagator::new(c20(), 3600.0).unwrap();
    g.bench_function("bds_meo", |b| {
        b.iter(|| meo.state_at(black_box(t)).unwrap())
    });
    let geo = BdsPropagator::new(c01(), 3600.0).unwrap();
    g.bench_function("bds_geo", |b| {
        b.iter(|| geo.state_at(black_box(t)).unwrap())
    });
    let glo = GlonassPropagator::new(r01(), 900.0, GlonassOptions::default()).unwrap();
    let t15 = r01().tb + Duration::from_seconds(900.0);
    g.bench_function("glonass_rk4_15min_30s_step", |b| {
        b.iter(|| glo.state_at(black_box(t15)).unwrap())
    });
    let nominal = NominalConstellation::both();
    let sat = "C20".parse().unwrap();
    let tn = nominal.reference_epoch() + Duration::from_seconds(5000.0);
    g.bench_function("nominal", |b| {
        b.iter(|| nominal.state_at(sat, black_box(tn)).unwrap())
    });
    let sp3 = data_dir().join("sp3/WUM0MGXFIN_20230010000_01D_05M_ORB.SP3");
    if sp3.is_file() {
        let src = Sp3Source::new(Sp3Product::from_file(&sp3).unwrap(), 9).unwrap();
        let ts = Epoch::from_gregorian(2023, 1, 1, 12, 2, 30, 0, TimeScale::GPST);
        g.bench_function("sp3_lagrange_order9", |b| {
            b.iter(|| src.state_at(sat, black_box(ts)).unwrap())
        });
    }
    let start = nominal.state_at(sat, tn).unwrap();
    let ls = LongSpanPropagator::from_state(
        start,
        Duration::from_seconds(86_400.0),
        LongSpanOptions::default(),
    )
    .unwrap();
    let tl = tn + Duration::from_seconds(43_210.0);
    g.bench_function("longspan_hermite", |b| {
        b.iter(|| ls.state_at(black_box(tl)).unwrap())
    });
    g.finish();
}

/// A full day at 60 s for every BDS and GLONASS satellite of the real BRDC file.
fn bench_day(c: &mut Criterion) {
    let nav = data_dir().join("nav/BRDC00IGS_R_20230010000_01D_MN.rnx");
    if !nav.is_file() {
        println!(
            "day_60s: skipped, {} not found (set GNSS_INTEROP_DATA)",
            nav.display()
        );
        return;
    }
    let src = BroadcastSource::from_file(
        &nav,
        &[Constellation::BeiDou, Constellation::Glonass],
        BroadcastOptions::default(),
    )
    .unwrap();
    let t0 = Epoch::from_gregorian(2023, 1, 1, 0, 0, 0, 0, TimeScale::GPST);
    let epochs: Vec<Epoch> = (0..1440)
        .map(|k| t0 + Duration::from_seconds(60.0 * k as f64))
        .collect();
    let sats = src.satellites().to_vec();
    let requests = (sats.len() * epochs.len()) as u64;
    let valid = sats
        .iter()
        .flat_map(|&s| epochs.iter().map(move |&t| (s, t)))
        .filter(|&(s, t)| src.state_at(s, t).is_ok())
        .count();
    println!(
        "day_60s: {} satellites × {} epochs = {requests} requests, {valid} valid states",
        sats.len(),
        epochs.len()
    );
    let mut g = c.benchmark_group("day_60s");
    g.sample_size(10);
    g.throughput(Throughput::Elements(requests));
    g.bench_function("brdc_bds_glonass", |b| {
        b.iter(|| {
            let mut n = 0usize;
            for &s in &sats {
                for &t in &epochs {
                    n += usize::from(src.state_at(s, black_box(t)).is_ok());
                }
            }
            n
        })
    });
    g.finish();
}

/// Reading the large real files from memory (bytes per second): the IGS merged navigation file
/// (≈ 9 MB, RINEX 3.05), the DLR RINEX 4 file (≈ 10 MB) and the WUM SP3 day.
fn bench_read(c: &mut Criterion) {
    let mut g = c.benchmark_group("read");
    g.sample_size(10);
    for rel in [
        "nav/BRDC00IGS_R_20230010000_01D_MN.rnx",
        "nav/BRD400DLR_S_20230710000_01D_MN.rnx",
    ] {
        let p = data_dir().join(rel);
        let Ok(bytes) = std::fs::read(&p) else {
            println!(
                "read: skipped, {} not found (set GNSS_INTEROP_DATA)",
                p.display()
            );
            continue;
        };
        g.throughput(Throughput::Bytes(bytes.len() as u64));
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        g.bench_function(name, |b| {
            b.iter(|| NavData::from_reader(black_box(&bytes[..]), &p).unwrap())
        });
    }
    let p = data_dir().join("sp3/WUM0MGXFIN_20230010000_01D_05M_ORB.SP3");
    if let Ok(text) = std::fs::read_to_string(&p) {
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_function("WUM0MGXFIN_20230010000_01D_05M_ORB.SP3", |b| {
            b.iter(|| Sp3Product::from_str_named(black_box(&text), &p).unwrap())
        });
    }
    g.finish();
}

criterion_group!(benches, bench, bench_day, bench_read);
criterion_main!(benches);
