using System.Text;
using ImagingRepo.Dicom.Deidentification;
using ImagingRepo.Dicom.Deidentification.Engine;
using ImagingRepo.Dicom.Deidentification.Policy;
using ImagingRepo.Dicom.Deidentification.Pseudonymization;

namespace ImagingRepo.Dicom.Tests.Deidentification;

/// <summary>
/// The promise of docs/deidentification.md: de-identification adds no dciodvfy error. Checked over a planted-PHI
/// corpus of common IODs whose attributes with composite actions meet every Type, so an action resolved against the
/// IOD's Types (an empty Type 3 sequence, a dummy 1C left without its condition) shows as a new error.
/// </summary>
public sealed class IodConformanceTests : IDisposable
{
    private static readonly DeidentificationKey Key = new(Enumerable.Repeat((byte)0x3C, 32).ToArray());
    private readonly string _root = Directory.CreateTempSubdirectory("deid-iod-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [SkippableTheory]
    [InlineData("")]
    [InlineData("retain-modified-dates")]
    [InlineData("retain-device-identity")]
    public void Dciodvfy_reports_no_error_on_an_output_of_the_planted_iod_corpus_that_it_did_not_report_on_its_input(string optionName)
    {
        var dciodvfy = ExternalTools.Require("dciodvfy", "dicom3tools");
        var options = DeidentificationOptionNames.TryParse(optionName, out var o) ? o : DeidentificationOptions.None;
        var engine = new DeidentificationEngine(Key, new DeidentificationPolicy { Options = options });
        var inputs = IodPlantedPhi.Write(Path.Combine(_root, "in"));
        Assert.Equal(IodPlantedPhi.SopClasses.Count, inputs.Length);

        var problems = new List<string>();
        foreach (var input in inputs)
        {
            var before = EngineValidityTests.Errors(ExternalTools.Run(dciodvfy, input).Output);
            if (before.Count > 0)
            {
                // the corpus is valid: an error here is the generator's, and would hide the same error in the output
                problems.AddRange(before.Select(e => $"input {Path.GetFileName(input)}: {e}"));
            }

            var result = engine.DeidentifyFile(input, Path.Combine(_root, "out"), Path.Combine(_root, "quarantine"));
            Assert.True(result.OutputPath is not null, $"{Path.GetFileName(input)}: {result.Status} {result.Reason}");
            var after = EngineValidityTests.Errors(ExternalTools.Run(dciodvfy, result.OutputPath).Output);
            problems.AddRange(after.Except(before).Select(e => $"output of {Path.GetFileName(input)}: {e}"));

            // and the planted values are gone (the corpus is planted PHI: its markers all start with "PHI")
            if (options == DeidentificationOptions.None && Encoding.ASCII.GetString(File.ReadAllBytes(result.OutputPath)).Contains("PHI", StringComparison.Ordinal))
            {
                problems.Add($"output of {Path.GetFileName(input)}: a planted value survived");
            }
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }
}
