namespace ImagingRepo.Dicom.Deidentification.Run;

/// <summary>Something a run made up for an input it wrote (e.g. a SOP Instance UID the input lacked).</summary>
/// <param name="SourcePath">The input.</param>
/// <param name="Text">What was done, in words.</param>
public sealed record DeidentificationNote(string SourcePath, string Text);
