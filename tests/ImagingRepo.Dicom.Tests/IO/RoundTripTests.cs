using System.Text;
using ImagingRepo.Dicom.IO;

namespace ImagingRepo.Dicom.Tests.IO;

/// <summary>Read, write, read again: equal datasets for every readable corpus file; byte-identical output for canonical input; transcoding between the uncompressed syntaxes; peers parse what we write.</summary>
public sealed class RoundTripTests
{
    private static readonly DicomTransferSyntax[] Uncompressed =
    [
        DicomTransferSyntax.ImplicitVRLittleEndian,
        DicomTransferSyntax.ExplicitVRLittleEndian,
        DicomTransferSyntax.ExplicitVRBigEndian,
        DicomTransferSyntax.DeflatedExplicitVRLittleEndian,
    ];

    private static IEnumerable<(CorpusFiles.Entry Entry, DicomFile File)> ReadableFiles()
    {
        foreach (var entry in CorpusFiles.Load())
        {
            DicomFile file;
            try
            {
                file = DicomFile.Open(entry.Path);
            }
            catch (DicomReadException)
            {
                continue;
            }

            yield return (entry, file);
        }
    }

    private static byte[] Write(DicomFile file, DicomWriteOptions? options = null)
    {
        using var stream = new MemoryStream();
        file.WriteTo(stream, options);
        return stream.ToArray();
    }

    [SkippableFact]
    public void Every_readable_file_reads_back_equal_after_writing()
    {
        var failures = new List<string>();
        var count = 0;
        foreach (var (entry, file) in ReadableFiles())
        {
            var back = DicomFile.FromBytes(Write(file));
            failures.AddRange(DatasetAssert.Differences(file.Dataset, back.Dataset).Select(d => $"{entry.Name}: {d}"));
            Assert.Equal(file.TransferSyntax, back.TransferSyntax);
            Assert.Empty(back.Diagnostics);
            count++;
        }

        Assert.True(count >= 75, $"only {count} files were readable");
        Assert.True(failures.Count == 0, string.Join('\n', failures.Take(30)));
    }

    [SkippableFact]
    public void Canonical_input_is_written_byte_identical()
    {
        // Our own output is canonical: writing what was read from it must reproduce it exactly.
        var failures = new List<string>();
        foreach (var (entry, file) in ReadableFiles())
        {
            var first = Write(file);
            var second = Write(DicomFile.FromBytes(first));
            if (!first.AsSpan().SequenceEqual(second))
            {
                failures.Add(entry.Name);
            }
        }

        Assert.True(failures.Count == 0, "not byte-identical: " + string.Join(", ", failures));
    }

    [SkippableTheory]
    [InlineData("CT_small.dcm")]
    [InlineData("MR_small.dcm")]
    [InlineData("MR_small_implicit.dcm")]
    [InlineData("MR_small_bigendian.dcm")]
    [InlineData("rtplan.dcm")]
    [InlineData("test-SR.dcm")]
    [InlineData("JPEG2000.dcm")]
    [InlineData("chrH31.dcm")]
    public void Canonical_corpus_files_are_written_byte_identical(string name)
    {
        var path = Path.Combine(ImagingRepo.TestSupport.TestEnvironment.RequireDicomCorpus(), name);
        var original = File.ReadAllBytes(path);
        var written = Write(DicomFile.Open(path));
        Assert.Equal(original.Length, written.Length);
        Assert.True(original.AsSpan().SequenceEqual(written), $"{name} differs at byte {original.AsSpan().CommonPrefixLength(written)}");
    }

    [SkippableFact]
    public void Transcoding_between_uncompressed_syntaxes_round_trips()
    {
        var failures = new List<string>();
        foreach (var (entry, file) in ReadableFiles().Where(f => f.File.TransferSyntax.IsUncompressed))
        {
            foreach (var target in Uncompressed)
            {
                var bytes = Write(file, new DicomWriteOptions { TransferSyntax = target });
                var back = DicomFile.FromBytes(bytes);
                if (!back.TransferSyntax.Equals(target))
                {
                    failures.Add($"{entry.Name} -> {target.Name}: read back as {back.TransferSyntax.Name}");
                    continue;
                }

                // Implicit VR cannot carry the VR of private and unknown tags: compare values only.
                failures.AddRange(DatasetAssert.Differences(file.Dataset, back.Dataset, compareVR: target.IsExplicitVR)
                    .Select(d => $"{entry.Name} -> {target.Name}: {d}"));

                // And back to the original syntax gives the same dataset.
                var again = DicomFile.FromBytes(Write(back, new DicomWriteOptions { TransferSyntax = file.TransferSyntax }));
                failures.AddRange(DatasetAssert.Differences(file.Dataset, again.Dataset, compareVR: target.IsExplicitVR)
                    .Select(d => $"{entry.Name} -> {target.Name} -> back: {d}"));
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures.Take(30)));
    }

    [SkippableFact]
    public void Dcmdump_and_pydicom_parse_what_we_write()
    {
        var dcmdump = CorpusFiles.RequireTool("dcmdump");
        var folder = Directory.CreateTempSubdirectory("imagingrepo-dicom-");
        try
        {
            var written = new List<string>();
            foreach (var (entry, file) in ReadableFiles().Where(f => f.File.Diagnostics.Count == 0))
            {
                // A DICOMDIR holds byte offsets of its records, which change when the encoding changes: keep its syntax.
                var isDirectory = file.Dataset.Contains(new DicomTag(0x00041220));
                var targets = file.TransferSyntax.IsUncompressed && !isDirectory ? Uncompressed : [file.TransferSyntax];
                foreach (var target in targets)
                {
                    var path = Path.Combine(folder.FullName, $"{entry.Name}.{target.Uid}.dcm");
                    file.Save(path, new DicomWriteOptions { TransferSyntax = target });
                    written.Add(path);
                }
            }

            var failures = new List<string>();
            foreach (var path in written)
            {
                var result = CorpusFiles.Run(dcmdump, "-q", "+E", path)!.Value;
                var stderr = result.Error;
                if (result.ExitCode != 0 || stderr.Contains("E:", StringComparison.Ordinal))
                {
                    failures.Add($"dcmdump {Path.GetFileName(path)}: exit {result.ExitCode} {stderr}");
                }
            }

            var python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : null;
            if (python is not null)
            {
                const string script = """
                    import sys, pydicom
                    bad = []
                    for path in sys.argv[1:]:
                        try:
                            ds = pydicom.dcmread(path)
                            for e in ds.iterall():
                                _ = e.value
                        except Exception as ex:
                            bad.append(f"{path}: {ex!r}")
                    print("\n".join(bad))
                    """;
                var result = CorpusFiles.Run(python, ["-c", script, .. written]);
                if (result is { ExitCode: 0 } ok)
                {
                    failures.AddRange(Encoding.UTF8.GetString(ok.Output).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => "pydicom " + l));
                }
                else if (result is { } failed && !failed.Error.Contains("No module named 'pydicom'", StringComparison.Ordinal))
                {
                    failures.Add("pydicom run failed: " + failed.Error);
                }
            }

            Assert.True(written.Count > 100, $"only {written.Count} files written");
            Assert.True(failures.Count == 0, string.Join('\n', failures.Take(20)));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
