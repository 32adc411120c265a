using ImagingRepo.Dicom.IO;

namespace ImagingRepo.Dicom.Tests.IO;

/// <summary>The corpus files broken on purpose parse leniently with diagnostics, or fail with the typed exception; strict mode refuses them.</summary>
public sealed class BrokenCorpusFilesTests
{
    [SkippableFact]
    public void Broken_files_give_diagnostics_or_the_typed_exception()
    {
        var broken = CorpusFiles.Load().Where(e => !e.DcmdumpOk || e.Malformation.Length > 0).ToList();
        Assert.NotEmpty(broken);
        var outcomes = new List<string>();
        foreach (var entry in broken.Where(e => !e.DcmdumpOk))
        {
            try
            {
                var file = DicomFile.Open(entry.Path);
                Assert.True(file.Diagnostics.Count > 0, $"{entry.Name} ({entry.Malformation}) read without any diagnostic");
                outcomes.Add($"{entry.Name}: lenient, {file.Diagnostics[0]}");
                Assert.Throws<DicomReadException>(() => DicomFile.Open(entry.Path, new DicomReadOptions { Strict = true }));
            }
            catch (DicomReadException e)
            {
                Assert.Equal(entry.Path, e.SourceName);
                outcomes.Add($"{entry.Name}: {e.Problem}");
            }
        }

        Assert.Equal(broken.Count(e => !e.DcmdumpOk), outcomes.Count);
    }

    [SkippableTheory]
    [InlineData("no_meta_group_length.dcm", "no group length")]
    [InlineData("meta_missing_tsyntax.dcm", "no transfer syntax")]
    [InlineData("MR_truncated.dcm", "truncated")]
    [InlineData("rtplan_truncated.dcm", "truncated")]
    public void Known_malformations_are_named(string name, string expected)
    {
        var path = Path.Combine(ImagingRepo.TestSupport.TestEnvironment.RequireDicomCorpus(), name);
        var file = DicomFile.Open(path);
        Assert.Contains(file.Diagnostics, d => d.Message.Contains(expected, StringComparison.Ordinal));
    }
}
