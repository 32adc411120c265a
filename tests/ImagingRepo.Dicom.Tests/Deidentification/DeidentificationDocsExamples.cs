using ImagingRepo.Dicom.Deidentification.Pseudonymization;
using ImagingRepo.Dicom.Deidentification.Run;

namespace ImagingRepo.Dicom.Tests.Deidentification;

/// <summary>The examples of docs/deidentification.md, compiled and run so that the documentation cannot drift from the API.</summary>
public sealed class DeidentificationDocsExamples : IDisposable
{
    private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("imagingrepo-deid-docs-");

    public void Dispose() => folder.Delete(recursive: true);

    [Fact]
    public async Task Use_it_from_code()
    {
        var exportFolder = Path.Combine(folder.FullName, "export");
        var instances = EngineValidityTests.WriteStudy(exportFolder);
        var deidFolder = Path.Combine(folder.FullName, "deid");
        var keyFile = Path.Combine(folder.FullName, "project.key");
        File.WriteAllText(keyFile, Convert.ToBase64String(Enumerable.Repeat((byte)9, 32).ToArray()));
        using var cancellation = new CancellationTokenSource();
        var cancellationToken = cancellation.Token;

        // --- docs: run ---
        var run = new DeidentificationRun(new DeidentificationRunOptions
        {
            Inputs = [exportFolder],                       // files, or folders searched recursively
            OutputRoot = deidFolder,                       // quarantine: deidFolder-quarantine; receipts: deidFolder/receipts.jsonl
            Key = DeidentificationKey.FromFile(keyFile),
            // Policy = DeidentificationPolicy.Load("policy.json"): the Basic Profile when left out
            // JournalPath = "/secure/journal.jsonl":        the honest broker's journal, refused inside OutputRoot
        });
        var progress = new Progress<DeidentificationProgress>(p => Console.Write($"\r{p.Completed}/{p.Total}"));
        DeidentificationSummary summary = await run.RunAsync(progress, cancellationToken);
        foreach (var failure in summary.Failures)
        {
            Console.WriteLine($"failed: {failure.SourcePath}: {failure.Reason}");
        }

        Console.WriteLine($"{summary.Deidentified} written, {summary.Quarantined} quarantined, {summary.SkippedAsDone} done before, "
            + $"{summary.Duplicates.Count} duplicates, {summary.Ignored} not DICOM, receipts in {summary.ReceiptsPath}");
        // --- end ---

        Assert.Equal(instances.Length, summary.Deidentified);
        Assert.Equal(instances.Length, File.ReadAllLines(Path.Combine(deidFolder, "receipts.jsonl")).Length);
    }
}
