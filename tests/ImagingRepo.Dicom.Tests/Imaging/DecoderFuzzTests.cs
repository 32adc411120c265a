using System.Diagnostics;
using ImagingRepo.Dicom.Imaging;
using Xunit.Abstractions;

namespace ImagingRepo.Dicom.Tests.Imaging;

/// <summary>
/// Mutated compressed frames of every decoder we claim (RLE ours, JPEG through JpegLibrary, JPEG-LS through CharLS,
/// JPEG 2000 through OpenJPEG) decode or raise <see cref="DicomPixelDataException"/>: no other exception, no crash, no
/// hang, and no allocation, managed or native, beyond what the image attributes allow. Each source has its own fixed
/// seed, so every run tries the same inputs and a failure names the source and mutation that reproduce it. It runs
/// alone (its collection is not parallel) so that the process's resident memory is its own to measure.
/// </summary>
[Collection(nameof(DecoderFuzzTests))]
public sealed class DecoderFuzzTests(ITestOutputHelper output)
{
    private const int Seed = 20260419;

    /// <summary>
    /// A deadline for the whole run that only a hang reaches (it takes seconds): past it the test fails naming the
    /// mutation in progress instead of stalling CI.
    /// </summary>
    private static readonly TimeSpan HangDeadline = TimeSpan.FromMinutes(5);

    /// <summary>Single-frame corpus images, one or more per decoder, with the mutations each gets (fewer for the large frames).</summary>
    private static readonly (string Name, int Mutations)[] Sources =
    [
        ("MR_small_RLE.dcm", 800), // RLE Lossless, 16-bit signed
        ("SC_rgb_rle.dcm", 800), // RLE Lossless, RGB
        ("SC_rgb_dcmtk_+eb+cy+s2.dcm", 800), // JPEG baseline, YBR_FULL_422
        ("JPGExtended.dcm", 300), // JPEG extended, 12-bit, 1024 × 256
        ("SC_rgb_jpeg_gdcm.dcm", 800), // JPEG lossless SV1, RGB
        ("MR_small_jpeg_ls_lossless.dcm", 800), // JPEG-LS lossless (CharLS)
        ("JPEGLSNearLossless_08.dcm", 800), // JPEG-LS near-lossless (CharLS)
        ("MR_small_jp2klossless.dcm", 800), // JPEG 2000 lossless (OpenJPEG)
        ("693_J2KI.dcm", 300), // JPEG 2000 lossy (OpenJPEG), 512 × 512
    ];

    /// <summary>
    /// <c>IMAGINGREPO_FUZZ_ROUNDS</c> multiplies every source's mutations for a deeper run by hand (the first ones are
    /// the same as CI's); CI runs one round.
    /// </summary>
    private static readonly int Rounds = int.TryParse(Environment.GetEnvironmentVariable("IMAGINGREPO_FUZZ_ROUNDS"), out var rounds) && rounds > 1 ? rounds : 1;

    private volatile string current = "nothing yet";

    [SkippableFact]
    public void Mutated_compressed_frames_decode_or_raise_the_typed_error()
    {
        var folder = TestSupport.TestEnvironment.RequireDicomCorpus();
        var run = Task.Factory.StartNew(() => Fuzz(folder), TaskCreationOptions.LongRunning);
        Assert.True(run.Wait(HangDeadline * Rounds), $"the decoders hang: still busy after {HangDeadline * Rounds} on {current}");
        var (tried, decoded, failures, missing) = run.Result;

        Assert.True(failures.Count == 0, $"{failures.Count} of {tried} mutations failed:{Environment.NewLine}{string.Join(Environment.NewLine, failures.Take(20))}");
        if (missing.Count > 0)
        {
            // a system codec not installed here: the corpus test checks its typed error; CI installs them all
            TestSupport.TestEnvironment.Unavailable<int>("the system codecs for " + string.Join(", ", missing));
        }

        Assert.True(tried >= 5000, $"only {tried} mutations tried");
        Assert.True(decoded > 0 && decoded < tried, $"{decoded} of {tried} mutated frames decoded: the mutations should break some and spare some");
    }

    private (int Tried, int Decoded, List<string> Failures, List<string> Missing) Fuzz(string folder)
    {
        var failures = new List<string>();
        var missing = new List<string>();
        var tried = 0;
        var decoded = 0;
        var peak = PeakMemory.Open();
        for (var s = 0; s < Sources.Length; s++)
        {
            var (name, perRound) = Sources[s];
            var mutations = perRound * Rounds;
            var file = DicomFile.Open(Path.Combine(folder, name));
            if (!FrameDecoders.IsClaimed(file.TransferSyntax))
            {
                missing.Add(file.TransferSyntax.Name);
                continue;
            }

            var fragments = (DicomFragmentSequence)file.Dataset[DicomTags.PixelData]!;
            var original = fragments.Fragments.Skip(1).SelectMany(f => f.GetBytes().ToArray()).ToArray();
            var image = DicomPixelData.Open(file);
            var values = new long[image.SampleCount];
            // what decoding one frame may take: its decoded bytes several times over, and a fixed allowance for the decoders' tables
            var budget = (16L * 1024 * 1024) + (32L * image.SampleCount);
            var random = new Random(Seed + s);
            var clock = Stopwatch.StartNew();
            var sourceDecoded = 0;
            var largestManaged = 0L;
            var largestResident = 0L;
            var slowest = (Seconds: 0.0, Mutation: -1);
            for (var i = 0; i < mutations; i++)
            {
                var mutated = Mutate(original, random);
                current = $"{name} mutation {i}";
                tried++;
                peak?.Reset();
                var started = Stopwatch.GetTimestamp();
                var before = GC.GetAllocatedBytesForCurrentThread();
                try
                {
                    var pixels = DicomPixelData.Open(new DicomFile(WithFrame(file.Dataset, mutated), file.TransferSyntax));
                    pixels.ReadStoredFrame(0, values);
                    sourceDecoded++;
                }
                catch (DicomPixelDataException)
                {
                }
                catch (Exception e)
                {
                    failures.Add($"{current}: {e.GetType().Name}: {e.Message}");
                }

                var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
                slowest = seconds > slowest.Seconds ? (seconds, i) : slowest;
                largestManaged = Math.Max(largestManaged, allocated);
                if (allocated > budget)
                {
                    failures.Add($"{current}: allocated {allocated} managed bytes for a frame of {image.SampleCount} samples");
                }

                var grown = peak?.GrowthSinceReset() ?? 0;
                largestResident = Math.Max(largestResident, grown);
                if (grown > 2 * budget) // the managed allocations themselves may touch fresh pages too
                {
                    failures.Add($"{current}: resident memory grew by {grown} bytes for a frame of {image.SampleCount} samples");
                }
            }

            decoded += sourceDecoded;
            output.WriteLine($"{name} ({file.TransferSyntax.Name}): {mutations} mutations, {sourceDecoded} decoded, {clock.Elapsed.TotalSeconds:F1} s (slowest: mutation {slowest.Mutation}, {slowest.Seconds:F2} s), at most {largestManaged / 1024} KiB managed and {largestResident / 1024} KiB resident growth per mutation (budget {budget / 1024} KiB)");
        }

        return (tried, decoded, failures, missing);
    }

    /// <summary>
    /// The structure around the frames mutated instead (multi-frame files: Basic and Extended Offset Table entries,
    /// fragments dropped, repeated or split, Number of Frames): opening and reading every frame gives pixels or the
    /// typed error, and what is allocated stays bounded by the pixel data, not by a claimed frame count.
    /// </summary>
    [SkippableFact]
    public void Mutated_offset_tables_fragments_and_frame_counts_open_and_read_or_raise_the_typed_error()
    {
        var folder = TestSupport.TestEnvironment.RequireDicomCorpus();
        var failures = new List<string>();
        var tried = 0;
        var read = 0;
        string[] sources = ["examples_ybr_color.dcm", "rtdose_rle.dcm", "SC_rgb_rle_16bit_2frame.dcm"];
        for (var s = 0; s < sources.Length; s++)
        {
            var file = DicomFile.Open(Path.Combine(folder, sources[s]));
            var pixelData = (DicomFragmentSequence)file.Dataset[DicomTags.PixelData]!;
            var fragments = pixelData.Fragments.Skip(1).Select(f => f.GetBytes().ToArray()).ToList();
            var frames = DicomPixelData.Open(file).FrameCount;
            var positions = new List<uint>();
            var position = 0u;
            foreach (var fragment in fragments)
            {
                positions.Add(position);
                position += 8 + (uint)fragment.Length;
            }

            var random = new Random(Seed + 100 + s);
            for (var i = 0; i < 300 * Rounds; i++)
            {
                tried++;
                var name = $"{sources[s]} structure mutation {i}";
                var (dataset, compressedBytes) = MutateStructure(file.Dataset, fragments, positions, frames, random);
                var before = GC.GetAllocatedBytesForCurrentThread();
                try
                {
                    var pixels = DicomPixelData.Open(new DicomFile(dataset, file.TransferSyntax));
                    var values = new long[pixels.SampleCount];
                    for (var frame = 0; frame < pixels.FrameCount; frame++)
                    {
                        pixels.ReadStoredFrame(frame, values);
                    }

                    read++;
                }
                catch (DicomPixelDataException)
                {
                }
                catch (Exception e)
                {
                    failures.Add($"{name}: {e.GetType().Name}: {e.Message}");
                }

                // every frame decoded once and the index: bounded by the data and the true frames, not a claimed count
                var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                if (allocated > (16L * 1024 * 1024) + (64L * compressedBytes) + (frames * 2L * 1024 * 1024))
                {
                    failures.Add($"{name}: allocated {allocated} bytes");
                }
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {tried} mutations failed:{Environment.NewLine}{string.Join(Environment.NewLine, failures.Take(20))}");
        Assert.True(read > 0 && read < tried, $"{read} of {tried} mutated files read whole");
    }

    /// <summary>One structural edit of a multi-frame file's encapsulated pixel data; returns the dataset and its compressed bytes.</summary>
    private static (DicomDataset Dataset, long Bytes) MutateStructure(DicomDataset source, List<byte[]> fragments, List<uint> positions, int frames, Random random)
    {
        var items = new List<byte[]>(fragments);
        var table = new List<uint>(positions.Count == items.Count && items.Count == frames ? positions : []);
        var dataset = source.Clone();
        dataset.Remove(DicomTags.PixelData);
        switch (random.Next(7))
        {
            case 0 when table.Count > 0: // a Basic Offset Table entry moved
                table[random.Next(table.Count)] = random.Next(2) == 0 ? (uint)random.Next() : table[random.Next(table.Count)] + (uint)random.Next(-8, 9);
                break;
            case 1: // a table with entries missing or extra
                table = [.. positions.Take(random.Next(positions.Count + 2)), .. Enumerable.Repeat((uint)random.Next(), random.Next(3))];
                break;
            case 2: // a fragment dropped
                items.RemoveAt(random.Next(items.Count));
                break;
            case 3: // a fragment repeated
                var repeated = random.Next(items.Count);
                items.Insert(repeated, items[repeated]);
                break;
            case 4: // a fragment split in two
                var split = random.Next(items.Count);
                var at = random.Next(1, Math.Max(2, items[split].Length));
                var whole = items[split];
                items[split] = whole[..Math.Min(at, whole.Length)];
                items.Insert(split + 1, whole[Math.Min(at, whole.Length)..]);
                break;
            case 5: // an Extended Offset Table with random entries
                var extended = new byte[8 * random.Next(1, frames + 2)];
                random.NextBytes(extended);
                for (var e = 0; e < extended.Length / 8; e++)
                {
                    if (random.Next(2) == 0 && e < positions.Count)
                    {
                        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(extended.AsSpan(e * 8), positions[e]);
                    }
                }

                dataset.Add(new DicomValueElement(DicomTags.ExtendedOffsetTable, DicomVR.OV, extended));
                break;
            default: // Number of Frames from 0 to far beyond the fragments
                var count = random.Next(4) switch { 0 => 0, 1 => random.Next(1, 2 * frames), 2 => int.MaxValue, _ => random.Next() };
                dataset.SetString(DicomTags.NumberOfFrames, count.ToString(System.Globalization.CultureInfo.InvariantCulture));
                break;
        }

        var sequence = new DicomFragmentSequence(DicomTags.PixelData, DicomVR.OB);
        var offsets = new byte[table.Count * 4];
        for (var t = 0; t < table.Count; t++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(offsets.AsSpan(t * 4), table[t]);
        }

        sequence.Fragments.Add(new DicomFragment(offsets));
        foreach (var item in items)
        {
            sequence.Fragments.Add(new DicomFragment(item.Length % 2 == 0 ? item : [.. item, 0]));
        }

        dataset.Add(sequence);
        return (dataset, items.Sum(f => (long)f.Length));
    }

    /// <summary>One to four edits: bit flips, bytes set to 0x00/0xFF/random, truncation, a range deleted or repeated; headers (the first 64 bytes) get half of them.</summary>
    private static byte[] Mutate(byte[] original, Random random)
    {
        var data = new List<byte>(original);
        var edits = random.Next(1, 5);
        for (var e = 0; e < edits && data.Count > 2; e++)
        {
            var at = random.Next(2) == 0 ? random.Next(Math.Min(64, data.Count)) : random.Next(data.Count);
            switch (random.Next(7))
            {
                case 0:
                    data[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    data[at] = 0x00;
                    break;
                case 2:
                    data[at] = 0xFF;
                    break;
                case 3:
                    data[at] = (byte)random.Next(256);
                    break;
                case 4:
                    data.RemoveRange(at, data.Count - at);
                    break;
                case 5:
                    data.RemoveRange(at, Math.Min(random.Next(1, 64), data.Count - at));
                    break;
                default:
                    var length = Math.Min(random.Next(1, 64), data.Count - at);
                    data.InsertRange(at, data.GetRange(at, length));
                    break;
            }
        }

        return [.. data];
    }

    private static DicomDataset WithFrame(DicomDataset source, byte[] frame)
    {
        var dataset = source.Clone();
        dataset.Remove(DicomTags.ExtendedOffsetTable);
        dataset.Remove(DicomTags.ExtendedOffsetTableLengths);
        dataset.Remove(DicomTags.NumberOfFrames);
        dataset.Remove(DicomTags.PixelData);
        return EncapsulatedFrameTests.Single(dataset, frame);
    }

    /// <summary>
    /// The process's peak resident memory (Linux: VmHWM in /proc/self/status, reset by writing 5 to /proc/self/clear_refs),
    /// which sees what the native codecs allocate and touch; null where the peak cannot be reset.
    /// </summary>
    private sealed class PeakMemory
    {
        private long baseline;

        public static PeakMemory? Open()
        {
            try
            {
                var peak = new PeakMemory();
                peak.Reset();
                return peak;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return null;
            }
        }

        public void Reset()
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            baseline = Read("VmRSS:");
        }

        public long GrowthSinceReset() => Read("VmHWM:") - baseline;

        private static long Read(string field)
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith(field, StringComparison.Ordinal))
                {
                    return long.Parse(line.AsSpan(field.Length).Trim().TrimEnd("kB").Trim(), System.Globalization.CultureInfo.InvariantCulture) * 1024;
                }
            }

            throw new IOException($"/proc/self/status has no {field}");
        }
    }
}

/// <summary>Keeps the fuzz test from running beside others, whose memory would blur its resident-memory measure.</summary>
[CollectionDefinition(nameof(DecoderFuzzTests), DisableParallelization = true)]
public sealed class DecoderFuzzCollection;
