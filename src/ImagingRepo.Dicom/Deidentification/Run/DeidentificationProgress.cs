namespace ImagingRepo.Dicom.Deidentification.Run;

/// <summary>How far a <see cref="DeidentificationRun"/> is: reported once when its inputs are known, then after each file.</summary>
/// <param name="Completed">Files finished so far, whatever their outcome.</param>
/// <param name="Total">Files the run will process (DICOMDIR files left out).</param>
public readonly record struct DeidentificationProgress(int Completed, int Total);
