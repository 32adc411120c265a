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
