using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using ImagingRepo.Dicom.IO;

namespace ImagingRepo.Dicom.Tests.IO;

/// <summary>
/// Mutates corpus files 20,000 times (bit flips, truncation, length fields set to 0xFFFFFFFF or huge values, shuffled
/// and deleted bytes) and reads, walks and rewrites each result: only <see cref="DicomReadException"/> may escape, every
/// read ends quickly, and no read allocates much more than its input.
/// </summary>
public sealed class FuzzTests
{
    private const int Mutations = 20_000;

    [SkippableFact]
    public void Mutated_inputs_only_raise_the_typed_exception_and_stay_bounded()
    {
        var seeds = CorpusFiles.Load()
            .Select(e => File.ReadAllBytes(e.Path))
            .Where(bytes => bytes.Length <= 64 * 1024) // small files keep 20,000 reads fast; the large ones add nothing structural
            .ToArray();
        Assert.True(seeds.Length > 50);

        // Warm up first so that one-time initialisation (code pages, dictionary caches, pools) is not counted as a read's allocation.
        foreach (var seed in seeds)
        {
            try
            {
                Exercise(DicomFile.FromBytes(seed));
            }
            catch (DicomReadException)
            {
            }
        }

        var unexpected = new ConcurrentQueue<string>();
        var worst = string.Empty;
        var slowest = 0L;
        var worstAllocationRatio = 0.0;
        var typedFailures = 0;
        Parallel.For(0, Mutations, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            var random = new Random(7919 * i);
            var seed = seeds[random.Next(seeds.Length)];
            var input = Mutate(seed, random, out var mutation);
            var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            var clock = Stopwatch.StartNew();
            try
            {
                var file = (i & 1) == 0
                    ? DicomFile.FromBytes(input)
                    : DicomFile.Read(new MemoryStream(input, writable: false), new DicomReadOptions { LargeValueThreshold = 256 });
                Exercise(file);
            }
            catch (DicomReadException)
            {
                Interlocked.Increment(ref typedFailures);
            }
            catch (Exception e)
            {
                unexpected.Enqueue($"mutation {i} ({mutation}): {e.GetType().Name}: {e.Message}\n{e.StackTrace}");
            }

            var elapsed = clock.ElapsedMilliseconds;
            // Bytes allocated beyond a fixed 4 MiB allowance (buffers; array pools refilling on busy threads), relative to the input size.
            var ratio = (GC.GetAllocatedBytesForCurrentThread() - allocatedBefore - (4 << 20)) / (double)Math.Max(input.Length, 1024);
            InterlockedMax(ref slowest, elapsed);
            lock (unexpected)
            {
                if (ratio > worstAllocationRatio)
                {
                    worstAllocationRatio = ratio;
                    worst = mutation;
                }
            }
        });

        Assert.True(unexpected.IsEmpty, string.Join("\n\n", unexpected.Take(5)));
        // Generous bounds that only a hang or a length-driven allocation can break (the machine may be busy).
        Assert.True(slowest < 5_000, $"the slowest read took {slowest} ms");
        Assert.True(worstAllocationRatio < 64, $"a read allocated 4 MiB + {worstAllocationRatio:0}x its input size ({worst})");
        Assert.InRange(typedFailures, 1, Mutations - 1);
    }

    private static void Exercise(DicomFile file)
    {
        foreach (var (element, _) in file.Dataset.Walk())
        {
            if (element is DicomValueElement value && value.VR.IsText())
            {
                _ = file.Dataset.DecodeString(value);
            }
        }

        var options = file.TransferSyntax.IsEncapsulated ? null : new DicomWriteOptions { TransferSyntax = DicomTransferSyntax.ExplicitVRBigEndian };
        file.WriteTo(Stream.Null, options);
    }

    private static byte[] Mutate(byte[] seed, Random random, out string mutation)
    {
        var bytes = (byte[])seed.Clone();
        switch (random.Next(7))
        {
            case 0:
                var flips = random.Next(1, 9);
                for (var k = 0; k < flips; k++)
                {
                    bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                }

                mutation = $"{flips} bit flips";
                return bytes;
            case 1:
                var cut = random.Next(bytes.Length);
                mutation = $"truncated to {cut}";
                return bytes[..cut];
            case 2:
            case 3:
                // Length fields: find element headers after the preamble and overwrite a 32- or 16-bit length.
                var at = random.Next(132, Math.Max(133, bytes.Length - 4));
                var value = random.Next(4) switch { 0 => 0xFFFFFFFFu, 1 => 0x7FFFFFFFu, 2 => (uint)random.Next(), _ => 0xFFFFFFF0u };
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(Math.Min(at, bytes.Length - 4)), value);
                mutation = $"uint32 at {at} = 0x{value:X8}";
                return bytes;
            case 4:
                var start = random.Next(bytes.Length);
                var length = Math.Min(random.Next(2, 64), bytes.Length - start);
                random.Shuffle(bytes.AsSpan(start, length));
                mutation = $"shuffled {length} bytes at {start}";
                return bytes;
            case 5:
                var from = random.Next(bytes.Length);
                var count = Math.Min(random.Next(1, 16), bytes.Length - from);
                mutation = $"deleted {count} bytes at {from}";
                return [.. bytes[..from], .. bytes[(from + count)..]];
            default:
                var position = random.Next(132, Math.Max(133, bytes.Length - 2));
                BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(Math.Min(position, bytes.Length - 2)), 0xFFFF);
                mutation = $"uint16 at {position} = 0xFFFF";
                return bytes;
        }
    }

    private static void InterlockedMax(ref long target, long value)
    {
        var current = Interlocked.Read(ref target);
        while (value > current)
        {
            var previous = Interlocked.CompareExchange(ref target, value, current);
            if (previous == current)
            {
                return;
            }

            current = previous;
        }
    }
}
