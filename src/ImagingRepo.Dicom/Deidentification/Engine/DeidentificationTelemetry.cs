using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ImagingRepo.Dicom.Deidentification.Engine;

/// <summary>The engine's activities and its count of files by status, under <see cref="DeidentificationEngine.TelemetryName"/>.</summary>
internal static class DeidentificationTelemetry
{
    /// <summary>The activities of single files and of batches.</summary>
    public static readonly ActivitySource Activities = new(DeidentificationEngine.TelemetryName);

    private static readonly Meter Meter = new(DeidentificationEngine.TelemetryName);
    private static readonly Counter<long> Files = Meter.CreateCounter<long>("imagingrepo.deid.files", description: "Files processed, by status");

    /// <summary>Counts a finished file by its status and returns it.</summary>
    public static DeidentificationResult Count(DeidentificationResult? result)
    {
        Files.Add(1, new KeyValuePair<string, object?>("status", result!.Status.ToString()));
        return result;
    }
}
