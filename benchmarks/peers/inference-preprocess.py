#!/usr/bin/env python3
"""The peer of the inference benchmark's preprocessing: what a MONAI user writes with pydicom, NumPy and SciPy to
turn CT series into 128^3 model inputs. Per series folder: read every file, decode the pixels, apply the modality LUT
(rescale slope and intercept), sort the slices along the normal by Image Position (Patient), stack them into a float32
volume and resample it trilinearly (scipy.ndimage.zoom, order 1) to 128 x 128 x 128.

    inference-preprocess.py RUNS SERIES_FOLDER...

One untimed pass over the first folder warms the page cache and the imports; then RUNS timed passes over all folders.
Prints per pass `pass N: S slices in T s` and last `preprocess: slices=S seconds=T` with the median pass time.
Needs python3-pydicom, python3-numpy, python3-scipy (Debian).
"""
import os
import statistics
import sys
import time

import numpy as np
import pydicom
from scipy import ndimage

TARGET = (128, 128, 128)


def load_series(folder):
    datasets = [pydicom.dcmread(os.path.join(folder, name)) for name in sorted(os.listdir(folder))]
    row, col = np.array(datasets[0].ImageOrientationPatient[:3], float), np.array(datasets[0].ImageOrientationPatient[3:], float)
    normal = np.cross(row, col)
    datasets.sort(key=lambda d: float(np.dot(normal, np.array(d.ImagePositionPatient, float))))
    volume = np.empty((len(datasets), datasets[0].Rows, datasets[0].Columns), dtype=np.float32)
    for k, d in enumerate(datasets):
        slope, intercept = float(getattr(d, "RescaleSlope", 1)), float(getattr(d, "RescaleIntercept", 0))
        volume[k] = d.pixel_array.astype(np.float32) * slope + intercept
    return volume


def preprocess(folder):
    volume = load_series(folder)
    factors = [t / s for t, s in zip(TARGET, volume.shape)]
    resampled = ndimage.zoom(volume, factors, order=1)
    assert resampled.shape == TARGET, resampled.shape
    return volume.shape[0]


def main():
    runs, folders = int(sys.argv[1]), sys.argv[2:]
    preprocess(folders[0])
    times, slices = [], 0
    for run in range(1, runs + 1):
        started = time.perf_counter()
        slices = sum(preprocess(folder) for folder in folders)
        times.append(time.perf_counter() - started)
        print(f"pass {run}: {slices} slices in {times[-1]:.2f} s", flush=True)
    print(f"preprocess: slices={slices} seconds={statistics.median(times):.3f}")


if __name__ == "__main__":
    main()
