using System.Globalization;
using ImagingRepo.Dicom;
using ImagingRepo.Dicom.Imaging;
using ImagingRepo.Inference.Runtime;
using ImagingRepo.Inference.Selection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ImagingRepo.Inference.Volumes;

/// <summary>
/// Turns a series' files into a volume: slices sorted by their position along the normal (never by file name or
/// instance number), checked to be one series with one orientation, one size and one pixel spacing, evenly spaced
/// (a gap is an error, or a warning and interpolation, by option), and decoded in parallel to modality values.
/// </summary>
public sealed partial class VolumeAssembler
{
    private readonly VolumeAssemblyOptions _options;
    private readonly ILogger _logger;

    /// <summary>Creates an assembler.</summary>
    /// <param name="options">Tolerances and gap handling; defaults when null.</param>
    /// <param name="logger">Logging (warnings on tolerated gaps); none when null.</param>
    public VolumeAssembler(VolumeAssemblyOptions? options = null, ILogger<VolumeAssembler>? logger = null)
    {
        _options = options ?? new VolumeAssemblyOptions();
        _logger = logger ?? NullLogger<VolumeAssembler>.Instance;
    }

    /// <summary>Assembles a series found by the scanner.</summary>
    /// <param name="series">The series.</param>
    /// <param name="cancellationToken">Cancels reading and decoding.</param>
    /// <returns>The volume; dispose it.</returns>
    /// <exception cref="VolumeAssemblyException">The files are not one regular stack of slices, or a slice cannot be decoded.</exception>
    public Task<SeriesVolume> AssembleAsync(SeriesCandidate series, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(series);
        return AssembleFilesAsync(series.Files, series.Folder, cancellationToken);
    }

    /// <summary>Assembles files that should form one series.</summary>
    /// <param name="files">The files, in any order.</param>
    /// <param name="name">What to call the series in errors (a folder).</param>
    /// <param name="cancellationToken">Cancels reading and decoding.</param>
    /// <returns>The volume; dispose it.</returns>
    /// <exception cref="VolumeAssemblyException">The files are not one regular stack of slices, or a slice cannot be decoded.</exception>
    public async Task<SeriesVolume> AssembleFilesAsync(IReadOnlyList<string> files, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(name);
        if (files.Count == 0)
        {
            throw new VolumeAssemblyException(VolumeProblem.Empty, name, "the series has no file");
        }

        using var activity = InferenceTelemetry.Source.StartActivity("volume.assemble");
        var stack = await ReadStackAsync(files, name, cancellationToken).ConfigureAwait(false);
        var volume = await DecodeAsync(stack, name, cancellationToken).ConfigureAwait(false);
        try
        {
            activity?.SetTag("volume.slices", stack.Sorted.Count);
            return new SeriesVolume(Source(stack, volume.Geometry), volume, stack.GridPositions, stack.Warnings);
        }
        catch
        {
            volume.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Assembles a series straight onto a model's grid: a regular stack is decoded slice by slice and each slice resized
    /// in-plane while it is still in cache, so the full-resolution volume is never held; the values are those of
    /// <see cref="AssembleAsync"/> followed by <see cref="VolumePreprocessor.Prepare"/> (the same passes, in the same
    /// order). An irregular stack (gaps interpolated over) takes that path itself.
    /// </summary>
    /// <param name="series">The series.</param>
    /// <param name="preprocessing">What the model expects.</param>
    /// <param name="cancellationToken">Cancels reading and decoding.</param>
    /// <returns>The prepared volume and the source's grid; dispose it.</returns>
    /// <exception cref="VolumeAssemblyException">The files are not one regular stack of slices, or a slice cannot be decoded.</exception>
    public Task<PreparedSeries> AssemblePreparedAsync(SeriesCandidate series, ModelPreprocessing preprocessing, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(series);
        return AssembleFilesPreparedAsync(series.Files, series.Folder, preprocessing, cancellationToken);
    }

    /// <summary>Assembles files that should form one series straight onto a model's grid (see <see cref="AssemblePreparedAsync"/>).</summary>
    /// <param name="files">The files, in any order.</param>
    /// <param name="name">What to call the series in errors (a folder).</param>
    /// <param name="preprocessing">What the model expects.</param>
    /// <param name="cancellationToken">Cancels reading and decoding.</param>
    /// <returns>The prepared volume and the source's grid; dispose it.</returns>
    /// <exception cref="VolumeAssemblyException">The files are not one regular stack of slices, or a slice cannot be decoded.</exception>
    public async Task<PreparedSeries> AssembleFilesPreparedAsync(IReadOnlyList<string> files, string name, ModelPreprocessing preprocessing, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(preprocessing);
        if (files.Count == 0)
        {
            throw new VolumeAssemblyException(VolumeProblem.Empty, name, "the series has no file");
        }

        using var activity = InferenceTelemetry.Source.StartActivity("volume.assemble");
        var stack = await ReadStackAsync(files, name, cancellationToken).ConfigureAwait(false);
        activity?.SetTag("volume.slices", stack.Sorted.Count);
        var grid = stack.GridGeometry;
        var (tx, ty, tz) = VolumePreprocessor.TargetSize(grid, preprocessing);
        if (!stack.IsRegular || (tx == grid.SizeX && ty == grid.SizeY && tz == grid.SizeZ))
        {
            using var volume = await DecodeAsync(stack, name, cancellationToken).ConfigureAwait(false);
            return new PreparedSeries(Source(stack, volume.Geometry), volume.Geometry, stack.GridPositions, stack.Warnings, VolumePreprocessor.Prepare(volume, preprocessing));
        }

        var prepared = new Volume(grid.Resized(tx, ty, tz));
        var inPlane = System.Buffers.ArrayPool<float>.Shared.Rent(grid.SizeZ * ty * tx);
        try
        {
            var tapsX = LinearResize.Taps(grid.SizeX, tx);
            var tapsY = LinearResize.Taps(grid.SizeY, ty);
            var plane = grid.SizeX * grid.SizeY;
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _options.DecodeParallelism), CancellationToken = cancellationToken };
            await Parallel.ForAsync(0, stack.Sorted.Count, parallel, (k, _) =>
            {
                var pool = System.Buffers.ArrayPool<float>.Shared;
                var slice = pool.Rent(plane);
                var afterX = pool.Rent(grid.SizeY * tx);
                try
                {
                    stack.Sorted[k].Decode(slice.AsSpan(0, plane), name);
                    LinearResize.AcrossRows(slice.AsSpan(0, plane), grid.SizeX, grid.SizeY, tapsX, afterX);
                    LinearResize.DownColumns(afterX.AsSpan(0, grid.SizeY * tx), tx, tapsY, inPlane.AsSpan(k * ty * tx, ty * tx));
                }
                finally
                {
                    pool.Return(afterX);
                    pool.Return(slice);
                }

                return ValueTask.CompletedTask;
            }).ConfigureAwait(false);
            InferenceTelemetry.SlicesPrepared.Add(stack.Sorted.Count);
            LinearResize.AcrossSlices(inPlane, grid.SizeZ, ty * tx, prepared.Array, tz);
        }
        catch
        {
            prepared.Dispose();
            throw;
        }
        finally
        {
            System.Buffers.ArrayPool<float>.Shared.Return(inPlane);
        }

        return new PreparedSeries(Source(stack, grid), grid, stack.GridPositions, stack.Warnings, VolumePreprocessor.Normalize(prepared, preprocessing));
    }

    /// <summary>Reads every file's header in parallel and checks the stack they form.</summary>
    private async Task<StackGeometry> ReadStackAsync(IReadOnlyList<string> files, string name, CancellationToken cancellationToken)
    {
        var slices = new SliceHeader[files.Count];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _options.DecodeParallelism), CancellationToken = cancellationToken };
        await Parallel.ForAsync(0, files.Count, parallel, (i, _) =>
        {
            slices[i] = SliceHeader.Read(files[i], name);
            return ValueTask.CompletedTask;
        }).ConfigureAwait(false);

        var stack = StackGeometry.Check(slices, name, _options);
        foreach (var warning in stack.Warnings)
        {
            LogTolerated(_logger, warning);
        }

        return stack;
    }

    /// <summary>Decodes the sorted slices in parallel into a volume of modality values on the regular grid.</summary>
    private async Task<Volume> DecodeAsync(StackGeometry stack, string name, CancellationToken cancellationToken)
    {
        var sorted = stack.Sorted;
        var decoded = new Volume(stack.SliceGeometry);
        try
        {
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _options.DecodeParallelism), CancellationToken = cancellationToken };
            await Parallel.ForAsync(0, sorted.Count, parallel, (k, _) =>
            {
                sorted[k].Decode(decoded.Slice(k), name);
                return ValueTask.CompletedTask;
            }).ConfigureAwait(false);
            InferenceTelemetry.SlicesPrepared.Add(sorted.Count);

            var volume = stack.IsRegular ? decoded : Regularise(decoded, stack);
            if (!ReferenceEquals(volume, decoded))
            {
                decoded.Dispose();
            }

            return volume;
        }
        catch
        {
            decoded.Dispose();
            throw;
        }
    }

    /// <summary>What the results need of the source slices, in grid order.</summary>
    private static SourceSeries Source(StackGeometry stack, VolumeGeometry grid)
    {
        var sorted = stack.Sorted;
        var first = sorted[0];
        return new SourceSeries
        {
            Header = first.File.Dataset,
            Slices = [.. sorted.Select(s => new SourceSlice(s.SopClassUid, s.SopInstanceUid, s.Position, s.PositionText, s.Path))],
            Rows = first.Rows,
            Columns = first.Columns,
            RowDirection = first.RowDirection,
            ColumnDirection = first.ColumnDirection,
            OrientationText = first.OrientationText,
            PixelSpacingText = first.PixelSpacingText,
            RowSpacing = first.RowSpacing,
            ColumnSpacing = first.ColumnSpacing,
            SliceSpacing = grid.SpacingZ,
            SliceThickness = first.File.Dataset.TryGetDouble(DicomTags.SliceThickness, out var thickness) && thickness > 0 ? thickness : null,
        };
    }

    /// <summary>Samples the decoded slices (at their own positions) on the regular grid, linearly between neighbours.</summary>
    private static Volume Regularise(Volume decoded, StackGeometry stack)
    {
        var grid = new Volume(stack.GridGeometry);
        var positions = stack.GridPositions;
        var s = 0;
        for (var k = 0; k < grid.Geometry.SizeZ; k++)
        {
            while (s < positions.Length - 2 && positions[s + 1] <= k)
            {
                s++;
            }

            var span = positions[s + 1] - positions[s];
            var weight = (float)Math.Clamp((k - positions[s]) / span, 0, 1);
            LinearResize.Lerp(decoded.Slice(s), decoded.Slice(s + 1), weight, grid.Slice(k));
        }

        return grid;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Warning}")]
    private static partial void LogTolerated(ILogger logger, string warning);

    /// <summary>What one file says about its slice; the pixel data stays in the file until decoded.</summary>
    private sealed class SliceHeader
    {
        public required string Path { get; init; }

        public required DicomFile File { get; init; }

        public required string SeriesUid { get; init; }

        public required string SopClassUid { get; init; }

        public required string SopInstanceUid { get; init; }

        public required Vector3D Position { get; init; }

        public required string PositionText { get; init; }

        public required Vector3D RowDirection { get; init; }

        public required Vector3D ColumnDirection { get; init; }

        public required string OrientationText { get; init; }

        public required string PixelSpacingText { get; init; }

        public required double RowSpacing { get; init; }

        public required double ColumnSpacing { get; init; }

        public required int Rows { get; init; }

        public required int Columns { get; init; }

        public double Distance { get; set; }

        public static SliceHeader Read(string path, string series)
        {
            DicomFile file;
            try
            {
                file = DicomFile.Open(path);
            }
            catch (DicomException e)
            {
                throw new VolumeAssemblyException(VolumeProblem.NotASlice, series, $"{System.IO.Path.GetFileName(path)} is not readable DICOM: {e.Message}", e);
            }

            var d = file.Dataset;
            string Require(DicomTag tag, string what) =>
                d.GetString(tag) is { Length: > 0 } value ? value : throw new VolumeAssemblyException(VolumeProblem.NotASlice, series, $"{System.IO.Path.GetFileName(path)} has no {what}");
            double[] Numbers(DicomTag tag, int count, string what)
            {
                var values = new double[count];
                for (var i = 0; i < count; i++)
                {
                    if (!d.TryGetDouble(tag, i, out values[i]) || !double.IsFinite(values[i]))
                    {
                        throw new VolumeAssemblyException(VolumeProblem.NotASlice, series, $"{System.IO.Path.GetFileName(path)} has no valid {what}");
                    }
                }

                return values;
            }

            if (d.TryGetInt32(DicomTags.NumberOfFrames, out var frames) && frames > 1)
            {
                throw new VolumeAssemblyException(VolumeProblem.NotASlice, series, $"{System.IO.Path.GetFileName(path)} is a multi-frame image ({frames} frames); only single-frame slices are assembled");
            }

            var position = Numbers(DicomTags.ImagePositionPatient, 3, "Image Position (Patient)");
            var orientation = Numbers(DicomTags.ImageOrientationPatient, 6, "Image Orientation (Patient)");
            var spacing = Numbers(DicomTags.PixelSpacing, 2, "Pixel Spacing");
            if (spacing[0] <= 0 || spacing[1] <= 0)
            {
                throw new VolumeAssemblyException(VolumeProblem.NotASlice, series, $"{System.IO.Path.GetFileName(path)} has a pixel spacing that is not positive");
            }

            var row = new Vector3D(orientation[0], orientation[1], orientation[2]);
            var column = new Vector3D(orientation[3], orientation[4], orientation[5]);
            if (Vector3D.Cross(row, column).Length < 0.5)
            {
                throw new VolumeAssemblyException(VolumeProblem.NotASlice, series, $"{System.IO.Path.GetFileName(path)} has an orientation whose row and column are not orthogonal unit vectors");
            }

            return new SliceHeader
            {
                Path = path,
                File = file,
                SeriesUid = Require(DicomTags.SeriesInstanceUID, "Series Instance UID"),
                SopClassUid = Require(DicomTags.SOPClassUID, "SOP Class UID"),
                SopInstanceUid = Require(DicomTags.SOPInstanceUID, "SOP Instance UID"),
                Position = new Vector3D(position[0], position[1], position[2]),
                PositionText = d.GetString(DicomTags.ImagePositionPatient)!.Trim(),
                RowDirection = row.Normalized(),
                ColumnDirection = column.Normalized(),
                OrientationText = d.GetString(DicomTags.ImageOrientationPatient)!.Trim(),
                PixelSpacingText = d.GetString(DicomTags.PixelSpacing)!.Trim(),
                RowSpacing = spacing[0],
                ColumnSpacing = spacing[1],
                Rows = d.TryGetInt32(DicomTags.Rows, out var rows) && rows > 0 ? rows : throw new VolumeAssemblyException(VolumeProblem.NotASlice, series, $"{System.IO.Path.GetFileName(path)} has no Rows"),
                Columns = d.TryGetInt32(DicomTags.Columns, out var columns) && columns > 0 ? columns : throw new VolumeAssemblyException(VolumeProblem.NotASlice, series, $"{System.IO.Path.GetFileName(path)} has no Columns"),
            };
        }

        public void Decode(Span<float> destination, string series)
        {
            try
            {
                var pixels = DicomPixelData.Open(File);
                if (!pixels.IsMonochrome || pixels.SamplesPerPixel != 1)
                {
                    throw new VolumeAssemblyException(VolumeProblem.NotASlice, series, $"{System.IO.Path.GetFileName(Path)} is {pixels.PhotometricInterpretation}; only monochrome slices are assembled");
                }

                pixels.ReadModalityFrame(0, destination);
            }
            catch (DicomException e)
            {
                throw new VolumeAssemblyException(VolumeProblem.Undecodable, series, $"{System.IO.Path.GetFileName(Path)}: {e.Message}", e);
            }
        }
    }

    /// <summary>The checks on the stack as a whole, and the grid it gives.</summary>
    private sealed class StackGeometry
    {
        public required List<SliceHeader> Sorted { get; init; }

        public required VolumeGeometry SliceGeometry { get; init; }

        public required VolumeGeometry GridGeometry { get; init; }

        public required double[] GridPositions { get; init; }

        public required bool IsRegular { get; init; }

        public required List<string> Warnings { get; init; }

        public static StackGeometry Check(SliceHeader[] slices, string name, VolumeAssemblyOptions options)
        {
            var first = slices[0];
            var series = slices.Select(s => s.SeriesUid).Distinct(StringComparer.Ordinal).ToList();
            if (series.Count > 1)
            {
                throw new VolumeAssemblyException(VolumeProblem.MixedSeries, name, $"the files belong to {series.Count} series ({string.Join(", ", series.Take(3))}{(series.Count > 3 ? ", …" : string.Empty)})");
            }

            foreach (var slice in slices)
            {
                var off = Math.Max(MaxDifference(slice.RowDirection, first.RowDirection), MaxDifference(slice.ColumnDirection, first.ColumnDirection));
                if (off > options.OrientationTolerance)
                {
                    throw new VolumeAssemblyException(VolumeProblem.InconsistentOrientation, name, $"{System.IO.Path.GetFileName(slice.Path)} is oriented {slice.OrientationText} but {System.IO.Path.GetFileName(first.Path)} {first.OrientationText}");
                }

                if (slice.Rows != first.Rows || slice.Columns != first.Columns)
                {
                    throw new VolumeAssemblyException(VolumeProblem.InconsistentGeometry, name, $"{System.IO.Path.GetFileName(slice.Path)} is {slice.Columns}x{slice.Rows} but {System.IO.Path.GetFileName(first.Path)} {first.Columns}x{first.Rows}");
                }

                if (Math.Abs(slice.RowSpacing - first.RowSpacing) > 1e-3 * first.RowSpacing || Math.Abs(slice.ColumnSpacing - first.ColumnSpacing) > 1e-3 * first.ColumnSpacing)
                {
                    throw new VolumeAssemblyException(VolumeProblem.InconsistentGeometry, name, $"{System.IO.Path.GetFileName(slice.Path)} has pixel spacing {slice.PixelSpacingText} but {System.IO.Path.GetFileName(first.Path)} {first.PixelSpacingText}");
                }
            }

            var normal = Vector3D.Cross(first.RowDirection, first.ColumnDirection).Normalized();
            foreach (var slice in slices)
            {
                slice.Distance = Vector3D.Dot(slice.Position, normal);
            }

            var sorted = slices.OrderBy(s => s.Distance).ThenBy(s => s.SopInstanceUid, StringComparer.Ordinal).ToList();
            var warnings = new List<string>();
            var steps = new double[Math.Max(0, sorted.Count - 1)];
            for (var i = 0; i < steps.Length; i++)
            {
                steps[i] = sorted[i + 1].Distance - sorted[i].Distance;
            }

            var median = steps.Length == 0 ? 1 : steps.Order().ElementAt(steps.Length / 2);
            if (steps.Length > 0 && median <= 1e-4)
            {
                throw new VolumeAssemblyException(VolumeProblem.DuplicatePosition, name, "most slices share their position: several stacks (phases, echoes) in one series cannot be one volume");
            }

            var regular = true;
            for (var i = 0; i < steps.Length; i++)
            {
                var a = System.IO.Path.GetFileName(sorted[i].Path);
                var b = System.IO.Path.GetFileName(sorted[i + 1].Path);
                if (steps[i] <= options.SpacingTolerance * median)
                {
                    throw new VolumeAssemblyException(VolumeProblem.DuplicatePosition, name, $"{a} and {b} lie at the same position ({sorted[i].PositionText})");
                }

                if (Math.Abs(steps[i] - median) <= options.SpacingTolerance * median)
                {
                    continue;
                }

                var ratio = steps[i] / median;
                var whole = Math.Round(ratio);
                var detail = whole >= 2 && Math.Abs(ratio - whole) <= options.SpacingTolerance
                    ? $"{whole - 1} slice(s) missing between {a} and {b} ({steps[i].ToString("0.###", CultureInfo.InvariantCulture)} mm apart, the usual step is {median.ToString("0.###", CultureInfo.InvariantCulture)} mm)"
                    : $"{a} and {b} are {steps[i].ToString("0.###", CultureInfo.InvariantCulture)} mm apart but the usual step is {median.ToString("0.###", CultureInfo.InvariantCulture)} mm";
                if (options.GapsAreErrors)
                {
                    throw new VolumeAssemblyException(whole >= 2 && Math.Abs(ratio - whole) <= options.SpacingTolerance ? VolumeProblem.MissingSlices : VolumeProblem.IrregularSpacing, name, detail);
                }

                warnings.Add($"{name}: {detail}; interpolated");
                regular = false;
            }

            var extent = sorted[^1].Distance - sorted[0].Distance;
            var spacing = steps.Length == 0 ? 1 : regular ? extent / steps.Length : median;
            var gridSize = regular ? sorted.Count : (int)Math.Round(extent / spacing) + 1;
            var positions = sorted.Select(s => (s.Distance - sorted[0].Distance) / spacing).ToArray();
            var sliceGeometry = new VolumeGeometry(first.Columns, first.Rows, sorted.Count, first.ColumnSpacing, first.RowSpacing, spacing, sorted[0].Position, first.RowDirection, first.ColumnDirection, normal);
            return new StackGeometry
            {
                Sorted = sorted,
                SliceGeometry = sliceGeometry,
                GridGeometry = sliceGeometry with { SizeZ = gridSize },
                GridPositions = positions,
                IsRegular = regular,
                Warnings = warnings,
            };
        }

        private static double MaxDifference(Vector3D a, Vector3D b) => Math.Max(Math.Abs(a.X - b.X), Math.Max(Math.Abs(a.Y - b.Y), Math.Abs(a.Z - b.Z)));
    }
}
