using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using ImagingRepo.Dicom.Deidentification.Engine;
using ImagingRepo.Dicom.Deidentification.Pseudonymization;
using ImagingRepo.Dicom.IO;
using ImagingRepo.Dicom.Infrastructure;

namespace ImagingRepo.Dicom.Tests.Deidentification;

public sealed class BatchDeidentificationTests : IDisposable
{
    private static readonly DeidentificationKey Key = new(Enumerable.Repeat((byte)0x3C, 32).ToArray());
    private readonly string _root = Directory.CreateTempSubdirectory("deid-batch-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    public static TheoryData<int[]> LengthSets => new()
    {
        new[] { 0, 0 },
        new[] { 135, 136, 137, 0 },
        new[] { 1, 271, 272, 273 },
        new[] { 100_000, 5, 100_000 },
        new[] { 524_288, 524_288, 524_288, 524_288 },
        new[] { 70_000, 1_000_000, 136 * 50, 3 },
    };

    [Theory]
    [MemberData(nameof(LengthSets))]
    public void Four_lane_sha3_matches_openssl_for_every_length_mix(int[] lengths)
    {
        var random = new Random(lengths.Sum());
        var messages = lengths.Select(n =>
        {
            var bytes = new byte[n];
            random.NextBytes(bytes);
            return (ReadOnlyMemory<byte>)bytes;
        }).ToArray();
        var digests = new byte[messages.Length * Sha3x4.DigestLength];

        Sha3x4.HashData(messages, digests);

        for (var i = 0; i < messages.Length; i++)
        {
            Assert.Equal(SHA3_256.HashData(messages[i].Span), digests.AsSpan(i * Sha3x4.DigestLength, Sha3x4.DigestLength).ToArray());
        }
    }

    [Fact]
    public void Four_lane_sha3_matches_the_fips_202_example_for_the_empty_message()
    {
        var digests = new byte[2 * Sha3x4.DigestLength];
        Sha3x4.HashData(new ReadOnlyMemory<byte>[] { Array.Empty<byte>(), "abc"u8.ToArray() }, digests);
        Assert.Equal("a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a", Convert.ToHexStringLower(digests.AsSpan(0, 32)));
        Assert.Equal("3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532", Convert.ToHexStringLower(digests.AsSpan(32, 32)));
    }

    [SkippableFact]
    public void Four_lane_sha3_fed_chunk_by_chunk_with_lanes_refilled_matches_openssl()
    {
        Skip.IfNot(Sha3x4.IsAccelerated, "Absorb needs AVX2 (without it the engine hashes with OpenSSL)");

        const int chunk = Sha3x4.Rate * 10;
        var random = new Random(11);
        var queue = new Queue<byte[]>(new[] { 3 * chunk, 3 * chunk - 1, chunk + 5, 0, chunk, 2 * chunk + 135, 7 }.Select(n =>
        {
            var bytes = new byte[n];
            random.NextBytes(bytes);
            return bytes;
        }));
        var expected = queue.Select(m => Convert.ToHexString(SHA3_256.HashData(m))).ToList();
        var actual = new List<string>();
        var state = new System.Runtime.Intrinsics.Vector256<ulong>[25];
        var lanes = new (byte[] Message, int Offset)?[4];
        var chunks = new ReadOnlyMemory<byte>[4];
        var modes = new LaneMode[4];
        var digests = new byte[4 * Sha3x4.DigestLength];
        var order = new List<byte[]>();
        while (queue.Count > 0 || Array.Exists(lanes, l => l is not null))
        {
            for (var i = 0; i < 4; i++)
            {
                if (lanes[i] is null && queue.Count > 0)
                {
                    lanes[i] = (queue.Dequeue(), 0);
                    Sha3x4.ResetLane(state, i);
                }

                (chunks[i], modes[i]) = (default, LaneMode.Idle);
                if (lanes[i] is { } lane)
                {
                    var remaining = lane.Message.Length - lane.Offset;
                    var take = Math.Min(chunk, remaining);
                    (chunks[i], modes[i]) = (lane.Message.AsMemory(lane.Offset, take), remaining < chunk ? LaneMode.Final : LaneMode.Continuing);
                    lanes[i] = (lane.Message, lane.Offset + take);
                }
            }

            Sha3x4.Absorb(state, chunks, modes, digests);
            for (var i = 0; i < 4; i++)
            {
                if (modes[i] == LaneMode.Final)
                {
                    order.Add(lanes[i]!.Value.Message);
                    actual.Add(Convert.ToHexString(digests.AsSpan(i * Sha3x4.DigestLength, Sha3x4.DigestLength)));
                    lanes[i] = null;
                }
            }
        }

        Assert.Equal(7, actual.Count);
        for (var i = 0; i < order.Count; i++)
        {
            Assert.Equal(Convert.ToHexString(SHA3_256.HashData(order[i])), actual[i]);
        }

        Assert.Equal(expected.Order(StringComparer.Ordinal), actual.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Large_inputs_written_side_by_side_match_one_at_a_time_and_a_truncated_one_fails_alone()
    {
        var folder = Path.Combine(_root, "large");
        var inputs = WriteCtSlices(folder, [2100, 2150, 2100, 2200, 2100]).ToList();
        var whole = File.ReadAllBytes(inputs[1]);
        File.WriteAllBytes(inputs[1], whole.AsSpan(0, whole.Length - 5000).ToArray());
        var engine = new DeidentificationEngine(Key);
        var single = inputs.Select(p => engine.DeidentifyFile(p, Path.Combine(_root, "one"))).ToList();
        var batch = new ConcurrentBag<DeidentificationResult>();

        engine.DeidentifyFiles(inputs, Path.Combine(_root, "batch"), batch.Add, maxDegreeOfParallelism: 1);

        Assert.Equal(inputs.Count, batch.Count);
        var failed = Assert.Single(batch, r => r.Status == DeidentificationStatus.Failed);
        Assert.Equal(inputs[1], failed.SourcePath);
        Assert.Contains("truncated", failed.Reason, StringComparison.Ordinal);
        foreach (var one in single.Where(r => r.Status == DeidentificationStatus.Deidentified))
        {
            var many = batch.Single(r => r.SourcePath == one.SourcePath);
            var bytes = File.ReadAllBytes(many.OutputPath!);
            Assert.Equal(File.ReadAllBytes(one.OutputPath!), bytes);
            Assert.Equal(Convert.ToBase64String(SHA3_256.HashData(bytes)), many.Receipt!.OutputHash);
            Assert.Equal(bytes.Length, many.Receipt.OutputLength);
        }

        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_root, "batch"), "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void A_batch_writes_exactly_what_one_file_at_a_time_writes_with_receipts_hashing_the_output_bytes()
    {
        var inputs = WriteMixedSizes(Path.Combine(_root, "in"));
        var engine = new DeidentificationEngine(Key);
        var single = inputs.Select(p => engine.DeidentifyFile(p, Path.Combine(_root, "one"))).ToList();
        var batch = new ConcurrentBag<DeidentificationResult>();

        engine.DeidentifyFiles(inputs, Path.Combine(_root, "batch"), batch.Add, maxDegreeOfParallelism: 2);

        Assert.Equal(inputs.Length, batch.Count);
        Assert.All(batch, r => Assert.Equal(DeidentificationStatus.Deidentified, r.Status));
        Assert.Equal(inputs.Order(StringComparer.Ordinal), batch.Select(r => r.SourcePath).Order(StringComparer.Ordinal));
        foreach (var one in single)
        {
            var many = batch.Single(r => r.SourcePath == one.SourcePath);
            Assert.Equal(one.Receipt!.OutputPath, many.Receipt!.OutputPath);
            var bytes = File.ReadAllBytes(many.OutputPath!);
            Assert.Equal(File.ReadAllBytes(one.OutputPath!), bytes);
            Assert.Equal(Convert.ToBase64String(SHA3_256.HashData(bytes)), many.Receipt.OutputHash);
            Assert.Equal(one.Receipt.OutputHash, many.Receipt.OutputHash);
            Assert.Equal(bytes.Length, many.Receipt.OutputLength);
        }

        // one of the inputs is larger than the in-memory limit and streams: both paths were taken
        Assert.Contains(inputs, p => new FileInfo(p).Length > 8 << 20);
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_root, "batch"), "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void Bad_inputs_in_a_batch_fail_alone_and_the_rerun_skips_what_is_done()
    {
        var inputs = WriteMixedSizes(Path.Combine(_root, "in")).ToList();
        var notDicom = Path.Combine(_root, "in", "notes.txt");
        File.WriteAllText(notDicom, "not a DICOM file");
        // cut inside the pixel data: of a small input (rewritten in memory) and of the large one (streamed)
        var truncated = Path.Combine(_root, "in", "truncated.dcm");
        var whole = File.ReadAllBytes(inputs[0]);
        File.WriteAllBytes(truncated, whole.AsSpan(0, whole.Length - 7).ToArray());
        var truncatedLarge = Path.Combine(_root, "in", "truncated-large.dcm");
        var large = File.ReadAllBytes(inputs.Single(p => new FileInfo(p).Length > 8 << 20));
        File.WriteAllBytes(truncatedLarge, large.AsSpan(0, large.Length - 1000).ToArray());
        inputs.Insert(1, notDicom);
        inputs.Insert(3, truncated);
        inputs.Insert(6, truncatedLarge);
        inputs.Add(Path.Combine(_root, "in", "missing.dcm"));
        var engine = new DeidentificationEngine(Key);
        var output = Path.Combine(_root, "out");

        var first = new ConcurrentBag<DeidentificationResult>();
        engine.DeidentifyFiles(inputs, output, first.Add);

        var failed = first.Where(r => r.Status == DeidentificationStatus.Failed).ToList();
        Assert.Equal(4, failed.Count);
        Assert.All(failed, r => Assert.False(string.IsNullOrEmpty(r.Reason)));
        Assert.Contains(failed, r => r.SourcePath == truncated && r.Reason!.Contains("truncated", StringComparison.Ordinal));
        Assert.Contains(failed, r => r.SourcePath == truncatedLarge && r.Reason!.Contains("truncated", StringComparison.Ordinal));
        Assert.Equal(inputs.Count - 4, first.Count(r => r.Status == DeidentificationStatus.Deidentified));
        Assert.Equal(inputs.Count - 4, Directory.EnumerateFiles(output, "*.dcm", SearchOption.AllDirectories).Count());

        var second = new ConcurrentBag<DeidentificationResult>();
        engine.DeidentifyFiles(inputs, output, second.Add);
        Assert.Equal(inputs.Count - 4, second.Count(r => r.Status == DeidentificationStatus.Skipped));
    }

    [Fact]
    public void An_instance_twice_in_a_new_folder_is_written_once_and_an_engine_writes_again_after_its_output_was_deleted()
    {
        var inputs = WriteCtSlices(Path.Combine(_root, "in"), [4, 4, 8]);
        var engine = new DeidentificationEngine(Key);
        var output = Path.Combine(_root, "out");

        // the series folder is new, so the engine does not ask for existing outputs: naming, which never replaces,
        // must catch the second copy
        var first = new ConcurrentBag<DeidentificationResult>();
        engine.DeidentifyFiles([.. inputs, inputs[1]], output, first.Add, maxDegreeOfParallelism: 1);
        Assert.Equal(3, first.Count(r => r.Status == DeidentificationStatus.Deidentified));
        Assert.Single(first, r => r.Status == DeidentificationStatus.Skipped && r.SourcePath == inputs[1]);
        var written = Directory.EnumerateFiles(output, "*.dcm", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(3, written.Count);

        Directory.Delete(output, recursive: true);
        var second = new ConcurrentBag<DeidentificationResult>();
        engine.DeidentifyFiles(inputs, output, second.Add);
        Assert.All(second, r => Assert.Equal(DeidentificationStatus.Deidentified, r.Status));
        Assert.Equal(written, Directory.EnumerateFiles(output, "*.dcm", SearchOption.AllDirectories).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Duplicate_and_conflicting_sop_instance_uids_give_the_same_outputs_and_report_in_every_run()
    {
        var folder = Path.Combine(_root, "in");
        var slices = WriteCtSlices(folder, [64, 4, 4, 512, 4, 16, 4, 4]);
        string Input(string name) => Path.Combine(folder, name);

        // identical copies: one first in the list (a-…), one after its original (z-…, of the largest, slowest input)
        File.Copy(slices[1], Input("a-copy-of-i01.dcm"));
        File.Copy(slices[3], Input("z-copy-of-i03.dcm"));

        // other content under a SOP Instance UID already used: small, so it is done before the large i03 it conflicts with,
        // and one first in the list, before the input whose UID it takes
        WriteWithSopOf(slices[6], slices[3], Input("j-conflicts-with-i03.dcm"));
        WriteWithSopOf(slices[7], slices[5], Input("b-conflicts-with-i05.dcm"));
        var inputs = Directory.GetFiles(folder).Order(StringComparer.Ordinal).ToArray();
        var engine = new DeidentificationEngine(Key);

        (List<string> Report, List<string> Outputs) Run(string output, DeidentificationEngine? with = null)
        {
            var results = new ConcurrentBag<DeidentificationResult>();
            (with ?? engine).DeidentifyFiles(inputs, output, results.Add, maxDegreeOfParallelism: 4);
            foreach (var r in results)
            {
                // a receipt for what this run wrote, and for what it found written without one; none for duplicates and conflicts
                var receipted = r.Status == DeidentificationStatus.Deidentified
                    || (with is not null && r.Status == DeidentificationStatus.Skipped && r.Reason is null);
                Assert.Equal(receipted, r.Receipt is not null);
            }

            Assert.Equal(inputs.Length, results.Count);
            var report = results.OrderBy(r => r.SourcePath, StringComparer.Ordinal)
                .Select(r => $"{Path.GetFileName(r.SourcePath)} {r.Status} {r.Reason?.Replace(folder, "IN", StringComparison.Ordinal)} "
                    + (r.OutputPath is null ? "" : Path.GetRelativePath(output, r.OutputPath)))
                .ToList();
            var outputs = Directory.EnumerateFiles(output, "*.dcm", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(output, f) + " " + Convert.ToHexString(SHA3_256.HashData(File.ReadAllBytes(f))))
                .Order(StringComparer.Ordinal)
                .ToList();
            return (report, outputs);
        }

        var first = Run(Path.Combine(_root, "out0"));
        for (var run = 1; run < 6; run++)
        {
            var again = Run(Path.Combine(_root, "out" + run.ToString(CultureInfo.InvariantCulture)));
            Assert.Equal(first.Report, again.Report);
            Assert.Equal(first.Outputs, again.Outputs);
        }

        // one output per SOP Instance UID, from the input first in the list
        Assert.Equal(slices.Length, first.Outputs.Count);
        string Line(string name) => Assert.Single(first.Report, l => l.StartsWith(name + " ", StringComparison.Ordinal));
        Assert.StartsWith("a-copy-of-i01.dcm Deidentified", Line("a-copy-of-i01.dcm"), StringComparison.Ordinal);
        Assert.StartsWith("i01.dcm Skipped duplicate of IN/a-copy-of-i01.dcm ", Line("i01.dcm"), StringComparison.Ordinal);
        Assert.StartsWith("i03.dcm Deidentified", Line("i03.dcm"), StringComparison.Ordinal);
        Assert.StartsWith("z-copy-of-i03.dcm Skipped duplicate of IN/i03.dcm ", Line("z-copy-of-i03.dcm"), StringComparison.Ordinal);
        Assert.StartsWith("j-conflicts-with-i03.dcm Failed ", Line("j-conflicts-with-i03.dcm"), StringComparison.Ordinal);
        Assert.Contains("same SOP Instance UID as IN/i03.dcm", Line("j-conflicts-with-i03.dcm"), StringComparison.Ordinal);
        Assert.StartsWith("b-conflicts-with-i05.dcm Deidentified", Line("b-conflicts-with-i05.dcm"), StringComparison.Ordinal);
        Assert.StartsWith("i05.dcm Failed ", Line("i05.dcm"), StringComparison.Ordinal);
        Assert.Contains("same SOP Instance UID as IN/b-conflicts-with-i05.dcm", Line("i05.dcm"), StringComparison.Ordinal);
        var alone = engine.DeidentifyFile(Input("b-conflicts-with-i05.dcm"), Path.Combine(_root, "alone"));
        Assert.Contains(
            Path.GetRelativePath(Path.Combine(_root, "alone"), alone.OutputPath!) + " " + Convert.ToHexString(SHA3_256.HashData(File.ReadAllBytes(alone.OutputPath!))),
            first.Outputs);

        // resumed: what was written is done, the duplicates and conflicts are reported as before
        var resumed = Run(Path.Combine(_root, "out0"));
        Assert.Equal(first.Outputs, resumed.Outputs);
        var asDone = first.Report.Select(l => l.Replace(" Deidentified  ", " Skipped  ", StringComparison.Ordinal)).ToList();
        Assert.Equal(asDone, resumed.Report);

        // after a crash that lost every receipt: the outputs written are checked and receipted, the rest reported as before
        var recovered = Run(Path.Combine(_root, "out0"), new DeidentificationEngine(Key) { IsReceiptMissing = _ => true });
        Assert.Equal(first.Outputs, recovered.Outputs);
        Assert.Equal(asDone, recovered.Report);
    }

    /// <summary>Writes <paramref name="content"/>'s instance under the SOP Instance UID of <paramref name="sopOf"/>.</summary>
    private static void WriteWithSopOf(string content, string sopOf, string path)
    {
        var file = DicomFile.Open(content);
        var sop = DicomFile.Open(sopOf).Dataset.GetString(new DicomTag(0x00080018))!;
        file.Dataset.SetString(new DicomTag(0x00080018), DicomVR.UI, sop);
        file.FileMetaInformation.SetString(new DicomTag(0x00020003), DicomVR.UI, sop);
        file.Save(path);
    }

    [Fact]
    public void An_existing_output_without_a_receipt_gets_one_when_it_is_this_runs_output_and_fails_when_it_is_not()
    {
        var inputs = WriteCtSlices(Path.Combine(_root, "in"), [4, 8]);
        var output = Path.Combine(_root, "out");
        var first = new ConcurrentBag<DeidentificationResult>();
        new DeidentificationEngine(Key).DeidentifyFiles(inputs, output, first.Add);
        var written = first.OrderBy(r => r.SourcePath, StringComparer.Ordinal).ToList();

        // as after a crash between naming the second output and appending its receipt; its neighbour was changed since
        var missing = written[1].Receipt!.OutputPath;
        File.AppendAllText(written[0].OutputPath!, "changed");
        var asked = new ConcurrentBag<string>();
        var engine = new DeidentificationEngine(Key) { IsReceiptMissing = path => { asked.Add(path); return true; } };
        var rerun = new ConcurrentBag<DeidentificationResult>();
        engine.DeidentifyFiles(inputs, output, rerun.Add);

        Assert.Equal(written.Select(r => r.Receipt!.OutputPath).Order(StringComparer.Ordinal), asked.Order(StringComparer.Ordinal));
        var recovered = Assert.Single(rerun, r => r.SourcePath == inputs[1]);
        Assert.Equal(DeidentificationStatus.Skipped, recovered.Status);
        Assert.Equal(missing, recovered.Receipt!.OutputPath);
        Assert.Equal(written[1].Receipt!.OutputHash, recovered.Receipt.OutputHash);
        Assert.Equal(Convert.ToBase64String(SHA3_256.HashData(File.ReadAllBytes(recovered.OutputPath!))), recovered.Receipt.OutputHash);
        var changed = Assert.Single(rerun, r => r.SourcePath == inputs[0]);
        Assert.Equal(DeidentificationStatus.Failed, changed.Status);
        Assert.Contains("without a receipt but is not what this input becomes now", changed.Reason, StringComparison.Ordinal);
        Assert.Null(changed.Receipt);
    }

    [Fact]
    public void A_cancelled_batch_leaves_only_whole_outputs()
    {
        var inputs = WriteMixedSizes(Path.Combine(_root, "in"));
        var engine = new DeidentificationEngine(Key);
        var output = Path.Combine(_root, "out");
        using var cancellation = new CancellationTokenSource();
        var seen = 0;

        Assert.ThrowsAny<OperationCanceledException>(() => engine.DeidentifyFiles(inputs, output, _ =>
        {
            if (Interlocked.Increment(ref seen) == 2)
            {
                cancellation.Cancel();
            }
        }, maxDegreeOfParallelism: 1, cancellationToken: cancellation.Token));

        Assert.InRange(seen, 2, inputs.Length - 1);
        Assert.Empty(Directory.EnumerateFiles(output, "*.tmp", SearchOption.AllDirectories));
        foreach (var written in Directory.EnumerateFiles(output, "*.dcm", SearchOption.AllDirectories))
        {
            Assert.Empty(DicomFile.Open(written).Diagnostics);
        }
    }

    [Fact]
    public void An_output_plan_produces_the_file_bytes_and_says_so_when_the_source_shrank()
    {
        var path = WriteCtSlices(Path.Combine(_root, "plan"), [700])[0];
        var file = DicomFile.Open(path);
        using var expected = new MemoryStream();
        file.WriteTo(expected);

        using (var plan = new OutputPlan(1 << 20))
        {
            file.WriteTo(plan);
            Assert.Equal(expected.Length, plan.Length);
            var produced = new MemoryStream();
            var chunk = new byte[Sha3x4.Rate * 100];
            int read;
            while ((read = plan.ReadNext(chunk)) > 0)
            {
                produced.Write(chunk, 0, read);
            }

            Assert.Equal(expected.ToArray(), produced.ToArray());
        }

        using (var plan = new OutputPlan(1 << 20))
        {
            file.WriteTo(plan);
            using (var stream = new FileStream(path, FileMode.Open, FileAccess.Write))
            {
                stream.SetLength(stream.Length - 1000);
            }

            var e = Assert.Throws<DicomReadException>(() => plan.ReadNext(new byte[plan.Length]));
            Assert.Contains("ended", e.Message, StringComparison.Ordinal);
        }
    }

    /// <summary>Eleven CT instances of one study: small ones, a 1 MB one and one above the in-memory limit.</summary>
    private static string[] WriteMixedSizes(string folder) => WriteCtSlices(folder, [4, 4, 16, 64, 4, 512, 4, 2100, 8, 4, 30]);

    /// <summary>CT instances of one study with square images of the given sides.</summary>
    private static string[] WriteCtSlices(string folder, int[] sides)
    {
        var template = DicomFile.Open(EngineValidityTests.WriteStudy(Path.Combine(folder, "template"))[0]);
        var paths = new List<string>();
        for (var i = 0; i < sides.Length; i++)
        {
            var d = template.Dataset;
            var sop = "1.2.826.0.1.3680043.2.1125.9." + (i + 1).ToString(CultureInfo.InvariantCulture);
            d.SetString(new DicomTag(0x00080018), DicomVR.UI, sop);
            d.SetValues<ushort>(new DicomTag(0x00280010), DicomVR.US, (ushort)sides[i]);
            d.SetValues<ushort>(new DicomTag(0x00280011), DicomVR.US, (ushort)sides[i]);
            d.SetValues<ushort>(new DicomTag(0x7FE00010), DicomVR.OW,
                Enumerable.Range(0, sides[i] * sides[i]).Select(v => (ushort)((v * 7) + i) % 4096).Select(v => (ushort)v).ToArray());
            template.FileMetaInformation.SetString(new DicomTag(0x00020003), DicomVR.UI, sop);
            var path = Path.Combine(folder, $"i{i:00}.dcm");
            template.Save(path);
            paths.Add(path);
        }

        Directory.Delete(Path.Combine(folder, "template"), recursive: true);
        return [.. paths];
    }
}
