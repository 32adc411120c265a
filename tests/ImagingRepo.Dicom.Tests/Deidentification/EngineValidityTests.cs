using System.Text.RegularExpressions;
using ImagingRepo.Dicom.Deidentification.Engine;
using ImagingRepo.Dicom.Deidentification.Pseudonymization;
using ImagingRepo.TestSupport;

namespace ImagingRepo.Dicom.Tests.Deidentification;

public sealed partial class EngineValidityTests : IDisposable
{
    private const string CtImage = "1.2.840.10008.5.1.4.1.1.2";
    private static readonly DeidentificationKey KeyA = new(Enumerable.Repeat((byte)0xA5, 32).ToArray());
    private static readonly DeidentificationKey KeyB = new(Enumerable.Repeat((byte)0x5B, 32).ToArray());
    private readonly string _root = Directory.CreateTempSubdirectory("deid-validity-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Links_hold_across_a_multi_series_study_and_reruns_and_differ_under_another_key()
    {
        var input = WriteStudy(Path.Combine(_root, "in"));
        var engine = new DeidentificationEngine(KeyA);
        var first = input.ToDictionary(p => p, p => engine.DeidentifyFile(p, Path.Combine(_root, "out1")));
        Assert.All(first.Values, r => Assert.Equal(DeidentificationStatus.Deidentified, r.Status));

        var outputs = first.ToDictionary(kv => kv.Key, kv => DicomFile.Open(kv.Value.OutputPath!));
        var datasets = outputs.Values.Select(f => f.Dataset).ToList();
        string Uid(DicomDataset d, uint tag) => d.GetString(new DicomTag(tag))!.Trim('\0', ' ');

        var study = Uid(datasets[0], 0x0020000D);
        Assert.StartsWith("2.25.", study, StringComparison.Ordinal);
        Assert.All(datasets, d => Assert.Equal(study, Uid(d, 0x0020000D)));
        Assert.Equal(2, datasets.Select(d => Uid(d, 0x0020000E)).Distinct().Count());
        Assert.Single(datasets.Select(d => Uid(d, 0x00200052)).Distinct());
        Assert.Single(datasets.Select(d => d.GetString(new DicomTag(0x00100020))).Distinct());
        Assert.DoesNotContain(datasets, d => d.GetString(new DicomTag(0x00100020)) == "PID-778899");
        Assert.All(outputs.Values, f => Assert.Equal(Uid(f.Dataset, 0x00080018), Uid(f.FileMetaInformation, 0x00020003)));

        // every reference points at the de-identified instance it pointed at before
        var inputSops = input.ToDictionary(p => Uid(DicomFile.Open(p).Dataset, 0x00080018), p => Uid(outputs[p].Dataset, 0x00080018));
        var referencing = 0;
        foreach (var path in input)
        {
            var original = DicomFile.Open(path).Dataset;
            if (!original.TryGetSequence(new DicomTag(0x00081140), out var references))
            {
                continue;
            }

            Assert.True(outputs[path].Dataset.TryGetSequence(new DicomTag(0x00081140), out var outReferences));
            Assert.Equal(inputSops[Uid(references.Items[0], 0x00081155)], Uid(outReferences.Items[0], 0x00081155));
            referencing++;
        }

        Assert.Equal(3, referencing);

        // folders as the dataset service expects: subject/study/series/instance.dcm
        foreach (var (path, result) in first)
        {
            var d = outputs[path].Dataset;
            Assert.Equal(
                Path.Combine(_root, "out1", d.GetString(new DicomTag(0x00100020))!, Uid(d, 0x0020000D), Uid(d, 0x0020000E), Uid(d, 0x00080018) + ".dcm"),
                result.OutputPath);
        }

        // a rerun with the same key elsewhere gives the same files, byte for byte
        var second = input.ToDictionary(p => p, p => engine.DeidentifyFile(p, Path.Combine(_root, "out2")));
        foreach (var path in input)
        {
            Assert.Equal(first[path].Receipt!.OutputPath, second[path].Receipt!.OutputPath);
            Assert.Equal(first[path].Receipt!.OutputHash, second[path].Receipt!.OutputHash);
        }

        // a rerun into the same output skips what is done
        Assert.All(input, p => Assert.Equal(DeidentificationStatus.Skipped, engine.DeidentifyFile(p, Path.Combine(_root, "out1")).Status));

        // another key, other pseudonyms throughout
        var other = new DeidentificationEngine(KeyB);
        var third = input.Select(p => DicomFile.Open(other.DeidentifyFile(p, Path.Combine(_root, "out3")).OutputPath!).Dataset).ToList();
        var uidsA = datasets.SelectMany(d => new[] { Uid(d, 0x00080018), Uid(d, 0x0020000D), Uid(d, 0x0020000E), Uid(d, 0x00200052) }).ToHashSet();
        Assert.DoesNotContain(third, d => uidsA.Contains(Uid(d, 0x00080018)) || uidsA.Contains(Uid(d, 0x0020000D)) || uidsA.Contains(Uid(d, 0x00200052)));
        Assert.NotEqual(datasets[0].GetString(new DicomTag(0x00100020)), third[0].GetString(new DicomTag(0x00100020)));
    }

    [Fact]
    public void Bad_inputs_fail_with_a_reason_write_nothing_and_the_run_goes_on()
    {
        var input = Path.Combine(_root, "bad");
        var good = WriteStudy(Path.Combine(_root, "good"))[0];
        Directory.CreateDirectory(input);
        var bytes = File.ReadAllBytes(good);
        File.WriteAllBytes(Path.Combine(input, "truncated-header.dcm"), bytes[..300]);
        File.WriteAllBytes(Path.Combine(input, "truncated-pixels.dcm"), bytes[..^10]);
        File.WriteAllBytes(Path.Combine(input, "random.bin"), Enumerable.Range(0, 4096).Select(i => (byte)(i * 7919 % 251)).ToArray());
        File.WriteAllText(Path.Combine(input, "notes.txt"), "Patient John Doe, MRN 12345, seen on 2024-01-05.\n");
        File.WriteAllBytes(Path.Combine(input, "empty.dcm"), []);
        var missing = Path.Combine(input, "does-not-exist.dcm");

        var engine = new DeidentificationEngine(KeyA);
        var output = Path.Combine(_root, "out");
        var results = Directory.GetFiles(input).Append(missing).Append(good).Select(p => engine.DeidentifyFile(p, output)).ToList();

        Assert.Equal(6, results.Count(r => r.Status == DeidentificationStatus.Failed));
        Assert.All(results.Where(r => r.Status == DeidentificationStatus.Failed), r =>
        {
            Assert.False(string.IsNullOrWhiteSpace(r.Reason));
            Assert.Null(r.OutputPath);
            Assert.Null(r.Receipt);
        });
        Assert.Contains("truncated", results.Single(r => r.SourcePath.EndsWith("truncated-pixels.dcm", StringComparison.Ordinal)).Reason, StringComparison.Ordinal);
        Assert.Equal(DeidentificationStatus.Deidentified, results[^1].Status);

        // nothing but the good file's output: no half files, no temporary files
        var written = Directory.GetFiles(output, "*", SearchOption.AllDirectories);
        Assert.Equal([results[^1].OutputPath!], written);
    }

    [SkippableFact]
    public void Outputs_parse_in_dcmdump_and_pydicom_and_dciodvfy_reports_no_new_error()
    {
        var corpus = TestEnvironment.RequireDicomCorpus();
        var dcmdump = ExternalTools.Require("dcmdump", "dcmtk");
        var dciodvfy = ExternalTools.Require("dciodvfy", "dicom3tools");
        var python = ExternalTools.Require("python3", "python3-pydicom");
        var engine = new DeidentificationEngine(KeyA);
        var pairs = new List<(string Input, string Output)>();
        foreach (var path in Directory.GetFiles(corpus, "*.dcm").Order(StringComparer.Ordinal))
        {
            var output = Path.Combine(_root, Path.GetFileNameWithoutExtension(path));
            var result = engine.DeidentifyFile(path, output, output + "-q");
            if (result.OutputPath is not null && result.Status != DeidentificationStatus.Skipped)
            {
                pairs.Add((path, result.OutputPath));
            }
        }

        foreach (var study in WriteStudy(Path.Combine(_root, "study")))
        {
            pairs.Add((study, engine.DeidentifyFile(study, Path.Combine(_root, "study-out")).OutputPath!));
        }

        Assert.True(pairs.Count >= 40, $"only {pairs.Count} outputs");
        var problems = new List<string>();
        foreach (var (input, output) in pairs)
        {
            var (code, text) = ExternalTools.Run(dcmdump, "-q", output);
            if (code != 0 || text.Contains("E: ", StringComparison.Ordinal))
            {
                problems.Add($"dcmdump {Path.GetFileName(input)}: {text.Trim()}");
            }

            var before = Errors(ExternalTools.Run(dciodvfy, WithSopUids(input)).Output);
            var after = Errors(ExternalTools.Run(dciodvfy, output).Output);
            problems.AddRange(after.Except(before).Select(e => $"dciodvfy {Path.GetFileName(input)}: {e}"));
        }

        var script = Path.Combine(_root, "parse.py");
        File.WriteAllText(script, """
            import sys, pydicom
            bad = 0
            for path in sys.argv[1:]:
                try:
                    ds = pydicom.dcmread(path)
                    for element in ds.iterall():
                        element.value
                except Exception as e:
                    bad += 1
                    print(f"{path}: {e!r}")
            sys.exit(1 if bad else 0)
            """);
        var (pyCode, pyText) = ExternalTools.Run(python, [script, .. pairs.Select(p => p.Output)]);
        if (pyCode != 0)
        {
            problems.Add("pydicom: " + pyText);
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    /// <summary>
    /// The input as dciodvfy should judge it: one without SOP Class/Instance UID in its dataset is only checked against its
    /// file meta, so it gets those the engine takes from the meta, and is then checked against its IOD, as its output is.
    /// </summary>
    private string WithSopUids(string input)
    {
        var file = DicomFile.Open(input);
        if (file.Dataset.Contains(new DicomTag(0x00080016)) && file.Dataset.Contains(new DicomTag(0x00080018)))
        {
            return input;
        }

        foreach (var (meta, tag) in new[] { (0x00020002u, 0x00080016u), (0x00020003u, 0x00080018u) })
        {
            if (!file.Dataset.Contains(new DicomTag(tag)) && file.FileMetaInformation.GetString(new DicomTag(meta)) is { } uid)
            {
                file.Dataset.SetString(new DicomTag(tag), DicomVR.UI, uid.Trim('\0', ' '));
            }
        }

        var completed = Path.Combine(_root, "completed-" + Path.GetFileName(input));
        file.Save(completed);
        return completed;
    }

    /// <summary>The error lines of a dciodvfy report, values and numbers masked so that reports of two files compare.</summary>
    internal static HashSet<string> Errors(string dciodvfyOutput) =>
        [.. dciodvfyOutput.Split('\n')
            .Where(l => l.StartsWith("Error", StringComparison.Ordinal))
            .Select(l => Numbers().Replace(Values().Replace(l, ""), "#").Trim())];

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Values();

    [GeneratedRegex("[0-9][0-9.]*")]
    private static partial Regex Numbers();

    /// <summary>Two CT series of three slices; every slice of the second series references one of the first.</summary>
    internal static string[] WriteStudy(string folder)
    {
        Directory.CreateDirectory(folder);
        var paths = new List<string>();
        for (var series = 1; series <= 2; series++)
        {
            for (var slice = 1; slice <= 3; slice++)
            {
                var d = new DicomDataset();
                d.SetString(new DicomTag(0x00080005), DicomVR.CS, "ISO_IR 100");
                d.SetString(new DicomTag(0x00080008), DicomVR.CS, "ORIGINAL\\PRIMARY\\AXIAL");
                d.SetString(new DicomTag(0x00080016), DicomVR.UI, CtImage);
                d.SetString(new DicomTag(0x00080018), DicomVR.UI, $"1.2.826.0.1.3680043.2.1125.7.{series}.{slice}");
                d.SetString(new DicomTag(0x00080020), DicomVR.DA, "20240105");
                d.SetString(new DicomTag(0x00080030), DicomVR.TM, "101500");
                d.SetString(new DicomTag(0x00080050), DicomVR.SH, "ACC20240105");
                d.SetString(new DicomTag(0x00080060), DicomVR.CS, "CT");
                d.SetString(new DicomTag(0x00080070), DicomVR.LO, "ACME");
                d.SetString(new DicomTag(0x00080080), DicomVR.LO, "Hospital Universitari La Fe");
                d.SetString(new DicomTag(0x00080090), DicomVR.PN, "WHO^REFERRED");
                d.SetString(new DicomTag(0x00100010), DicomVR.PN, "DOE^JANE");
                d.SetString(new DicomTag(0x00100020), DicomVR.LO, "PID-778899");
                d.SetString(new DicomTag(0x00100030), DicomVR.DA, "19700101");
                d.SetString(new DicomTag(0x00100040), DicomVR.CS, "F");
                d.SetString(new DicomTag(0x00180050), DicomVR.DS, "1.5");
                d.SetString(new DicomTag(0x00180060), DicomVR.DS, "120");
                d.SetString(new DicomTag(0x0020000D), DicomVR.UI, "1.2.826.0.1.3680043.2.1125.7");
                d.SetString(new DicomTag(0x0020000E), DicomVR.UI, $"1.2.826.0.1.3680043.2.1125.7.{series}");
                d.SetString(new DicomTag(0x00200010), DicomVR.SH, "S1");
                d.SetString(new DicomTag(0x00200011), DicomVR.IS, series.ToString(System.Globalization.CultureInfo.InvariantCulture));
                d.SetString(new DicomTag(0x00200013), DicomVR.IS, slice.ToString(System.Globalization.CultureInfo.InvariantCulture));
                d.SetString(new DicomTag(0x00200032), DicomVR.DS, $"0\\0\\{slice}");
                d.SetString(new DicomTag(0x00200037), DicomVR.DS, "1\\0\\0\\0\\1\\0");
                d.SetString(new DicomTag(0x00200052), DicomVR.UI, "1.2.826.0.1.3680043.2.1125.7.99");
                d.SetString(new DicomTag(0x00201040), DicomVR.LO, "");
                d.SetValues<ushort>(new DicomTag(0x00280002), DicomVR.US, 1);
                d.SetString(new DicomTag(0x00280004), DicomVR.CS, "MONOCHROME2");
                d.SetValues<ushort>(new DicomTag(0x00280010), DicomVR.US, 4);
                d.SetValues<ushort>(new DicomTag(0x00280011), DicomVR.US, 4);
                d.SetString(new DicomTag(0x00280030), DicomVR.DS, "0.5\\0.5");
                d.SetValues<ushort>(new DicomTag(0x00280100), DicomVR.US, 16);
                d.SetValues<ushort>(new DicomTag(0x00280101), DicomVR.US, 12);
                d.SetValues<ushort>(new DicomTag(0x00280102), DicomVR.US, 11);
                d.SetValues<ushort>(new DicomTag(0x00280103), DicomVR.US, 0);
                d.SetString(new DicomTag(0x00281050), DicomVR.DS, "40");
                d.SetString(new DicomTag(0x00281051), DicomVR.DS, "400");
                d.SetString(new DicomTag(0x00281052), DicomVR.DS, "-1024");
                d.SetString(new DicomTag(0x00281053), DicomVR.DS, "1");
                if (series == 2)
                {
                    var reference = new DicomDataset();
                    reference.SetString(new DicomTag(0x00081150), DicomVR.UI, CtImage);
                    reference.SetString(new DicomTag(0x00081155), DicomVR.UI, $"1.2.826.0.1.3680043.2.1125.7.1.{slice}");
                    d.Add(new DicomSequence(new DicomTag(0x00081140), reference));

                    // the Common Instance Reference module says which series the referenced instances are in
                    var referencedSeries = new DicomDataset();
                    referencedSeries.SetString(new DicomTag(0x0020000E), DicomVR.UI, "1.2.826.0.1.3680043.2.1125.7.1");
                    referencedSeries.Add(new DicomSequence(new DicomTag(0x0008114A), reference.Clone()));
                    d.Add(new DicomSequence(new DicomTag(0x00081115), referencedSeries));
                }

                d.SetValues<ushort>(new DicomTag(0x7FE00010), DicomVR.OW, Enumerable.Range(0, 16).Select(i => (ushort)(i * 100)).ToArray());
                var file = new DicomFile(d, DicomTransferSyntax.ExplicitVRLittleEndian);
                file.FileMetaInformation.SetString(new DicomTag(0x00020002), DicomVR.UI, CtImage);
                file.FileMetaInformation.SetString(new DicomTag(0x00020003), DicomVR.UI, d.GetString(new DicomTag(0x00080018))!);
                var path = Path.Combine(folder, $"s{series}-{slice}.dcm");
                file.Save(path);
                paths.Add(path);
            }
        }

        return [.. paths];
    }
}
