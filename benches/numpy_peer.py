#!/usr/bin/env python3
"""A vectorised numpy peer of the coverage kernel, for the speed ratio the README states.

It computes the same quantity as `gnss-interop coverage --clock per-system`: on a global grid of
cell centres (WGS84, height 0), at every epoch, the satellites above the elevation mask, the
normal matrix of the unknowns x, y, z and one receiver clock per system present (a system with
no satellite in view drops its clock), PDOP = sqrt(trace of the position block of its inverse)
when there are at least as many satellites as unknowns, and per point the mean PDOP over the
epochs with a solution. Satellite positions come from `gnss-interop satpos` (CSV), so both
programs see the same orbits; only the DOP work is compared.

Usage:
    gnss-interop satpos --nominal --start T0 --end T1 --step 60 --out sats.csv
    python3 benches/numpy_peer.py sats.csv GRID_STEP_DEG MASK_DEG [points.csv]

With the `points.csv` of `gnss-interop coverage` for the same span and grid, it prints the
largest difference of the per-point mean PDOP (that file holds 4 decimals).
"""

import csv
import sys
import time

import numpy as np

A_M = 6378137.0
F = 1.0 / 298.257223563
E2 = F * (2.0 - F)


def grid(step_deg):
    lats = -90.0 + step_deg / 2.0 + step_deg * np.arange(int(round(180.0 / step_deg)))
    lons = -180.0 + step_deg / 2.0 + step_deg * np.arange(int(round(360.0 / step_deg)))
    lat, lon = np.meshgrid(np.radians(lats), np.radians(lons), indexing="ij")
    lat, lon = lat.ravel(), lon.ravel()
    n = A_M / np.sqrt(1.0 - E2 * np.sin(lat) ** 2)
    site = np.stack(
        [n * np.cos(lat) * np.cos(lon), n * np.cos(lat) * np.sin(lon), n * (1.0 - E2) * np.sin(lat)],
        axis=1,
    )
    up = np.stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)], axis=1)
    return np.degrees(lat), np.degrees(lon), site, up


def read_states(path):
    epochs = {}
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            system = 0 if row["sat"].startswith("C") else 1
            epochs.setdefault(row["epoch"], []).append(
                (float(row["x_m"]), float(row["y_m"]), float(row["z_m"]), system)
            )
    out = []
    for key in sorted(epochs):
        a = np.array(epochs[key])
        out.append((a[:, :3], a[:, 3].astype(int)))
    return out


def main():
    states_path, step_deg, mask_deg = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
    start = time.perf_counter()
    states = read_states(states_path)
    lat, lon, site, up = grid(step_deg)
    points = len(site)
    sum_pdop = np.zeros(points)
    count = np.zeros(points)
    sin_mask = np.sin(np.radians(mask_deg))
    kernel_start = time.perf_counter()
    for pos, system in states:
        d = pos[None, :, :] - site[:, None, :]
        d /= np.sqrt(np.einsum("psk,psk->ps", d, d))[:, :, None]
        visible = np.matmul(d, up[:, :, None])[:, :, 0] >= sin_mask
        # Direction columns as +u: their sign does not change the position block of the inverse.
        g = np.empty((points, len(system), 5))
        np.multiply(d, visible[:, :, None], out=g[:, :, :3])
        g[:, :, 3] = visible & (system == 0)
        g[:, :, 4] = visible & (system == 1)
        n = np.matmul(g.transpose(0, 2, 1), g)
        per_system = n[:, [3, 4], [3, 4]]
        absent = per_system == 0.0
        n[:, 3, 3] += absent[:, 0]
        n[:, 4, 4] += absent[:, 1]
        unknowns = 3 + (~absent).sum(axis=1)
        ok = visible.sum(axis=1) >= unknowns
        q = np.linalg.inv(n[ok])
        sum_pdop[ok] += np.sqrt(q[:, 0, 0] + q[:, 1, 1] + q[:, 2, 2])
        count[ok] += 1
    kernel_s = time.perf_counter() - kernel_start
    mean = np.where(count > 0, sum_pdop / np.maximum(count, 1), np.nan)
    total_s = time.perf_counter() - start
    gpe = points * len(states)
    print(
        f"numpy peer: {points} points x {len(states)} epochs = {gpe} grid-point-epochs; "
        f"kernel {kernel_s:.2f} s ({gpe / kernel_s / 1e6:.2f} M/s), whole {total_s:.2f} s "
        f"({gpe / total_s / 1e6:.2f} M/s); mean PDOP {np.nanmean(mean):.6f}"
    )
    if len(sys.argv) > 4:
        ours = {}
        with open(sys.argv[4], newline="") as f:
            for row in csv.DictReader(f):
                if row["pdop_mean"]:
                    ours[(round(float(row["lat_deg"]), 6), round(float(row["lon_deg"]), 6))] = float(
                        row["pdop_mean"]
                    )
        diffs = [
            abs(ours[(round(a, 6), round(b, 6))] - m)
            for a, b, m in zip(lat, lon, mean)
            if (round(a, 6), round(b, 6)) in ours and np.isfinite(m)
        ]
        print(f"compared {len(diffs)} points with the coverage CSV: largest |difference| {max(diffs):.2e}")


if __name__ == "__main__":
    main()
