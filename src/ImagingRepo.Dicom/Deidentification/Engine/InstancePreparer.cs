namespace ImagingRepo.Dicom.Deidentification.Engine;

/// <summary>
/// Reads one input and de-identifies it in memory: rejects truncated and non-composite inputs, completes missing SOP UIDs,
/// applies the pixel masks and the burned-in screen, runs the profile, and decides where the output goes and what its file
/// meta information says. Nothing is written.
/// </summary>
internal sealed class InstancePreparer
{
    private readonly DeidentificationPolicy _policy;
    private readonly InstanceDeidentifier _instance;
    private readonly Pseudonymizer _pseudonymizer;

    // every output's preamble: the policy's fixed one, or zeros; never the input's
    private readonly byte[] _preamble;

    /// <summary>Creates a preparer for <paramref name="policy"/>.</summary>
    public InstancePreparer(DeidentificationPolicy policy, InstanceDeidentifier instance, Pseudonymizer pseudonymizer)
    {
        _policy = policy;
        _instance = instance;
        _pseudonymizer = pseudonymizer;
        _preamble = policy.Preamble.IsEmpty ? new byte[DeidentificationPolicy.PreambleLength] : policy.Preamble.ToArray();
    }

    /// <summary>
    /// Reads and de-identifies <paramref name="sourcePath"/>; returns its failed result when it ends here, otherwise null with
    /// the rewritten file and where it goes in <paramref name="prepared"/>. In a batch, the input claims its output SOP Instance
    /// UID in <paramref name="claims"/> as soon as that is known.
    /// </summary>
    public DeidentificationResult? Prepare(string sourcePath, OutputLayout layout, InstanceClaims? claims, int index, out PreparedOutput? prepared)
    {
        prepared = null;
        var file = DicomFile.Open(sourcePath);
        foreach (var diagnostic in file.Diagnostics)
        {
            // the lenient reader works around many malformations, but a truncated input has lost data
            if (diagnostic.Kind == DicomDiagnosticKind.Truncated)
            {
                return FileOutcomes.Failed(sourcePath, "truncated input: " + diagnostic);
            }
        }

        var dataset = file.Dataset;
        var sopUids = SopUids.Complete(file);
        if (sopUids.Failure is { } notComposite)
        {
            return FileOutcomes.Failed(sourcePath, notComposite);
        }

        // Pixel mask first: a masked instance is clean of burned-in text where the rule says it is.
        var (pixelsCleaned, maskProblem) = PixelMaskMatcher.Apply(_policy.PixelMasks, dataset);
        var risk = pixelsCleaned ? null : maskProblem ?? BurnedInScreen.Assess(dataset);
        if (risk is not null && (_policy.BurnedIn.Allow || ModalityAllowed(dataset)))
        {
            risk = null;
        }

        var originalStudy = dataset.GetString(DicomTags.StudyInstanceUID)?.Trim('\0', ' ');
        var report = _instance.Apply(dataset, pixelsCleaned);
        if (sopUids.InstanceUidMissing)
        {
            // no UID to pseudonymize: one derived from the input's bytes, so the same file gets the same UID in every run
            dataset.SetString(DicomTags.SOPInstanceUID, DicomVR.UI, _pseudonymizer.InstanceUidFromContent(InputHash.Of(sourcePath)));
            report.Actions.Add(ActionLog.CodeOf(ElementActionKind.ReplaceUid), DicomTags.SOPInstanceUID.Value);
        }

        var newSop = dataset.GetString(DicomTags.SOPInstanceUID)?.Trim('\0', ' ') ?? "";
        var study = dataset.GetString(DicomTags.StudyInstanceUID)?.Trim('\0', ' ');
        var series = dataset.GetString(DicomTags.SeriesInstanceUID)?.Trim('\0', ' ');
        var subject = dataset.GetString(DicomTags.PatientID)?.Trim() ?? "";
        claims?.Claim(index, newSop);
        var relative = OutputLayout.RelativePath(subject, study, series, newSop);
        var target = layout.Target(relative, quarantined: risk is not null);
        FileMetaRewriter.Rewrite(file, newSop, _preamble);
        prepared = new PreparedOutput(sourcePath, file, file.SourceLength >= 0 ? file.SourceLength : new FileInfo(sourcePath).Length, relative, target, risk, pixelsCleaned,
            report, subject, originalStudy, study, series, newSop, claims, index, sopUids.Diagnostics);
        return null;
    }

    /// <summary>Whether the policy lets instances of this modality through the burned-in screen.</summary>
    private bool ModalityAllowed(DicomDataset dataset)
    {
        if (_policy.BurnedIn.AllowModalities.Count == 0)
        {
            return false;
        }

        var modality = dataset.GetString(DicomTags.Modality)?.Trim();
        return modality is not null && _policy.BurnedIn.AllowModalities.Contains(modality, StringComparer.OrdinalIgnoreCase);
    }
}
