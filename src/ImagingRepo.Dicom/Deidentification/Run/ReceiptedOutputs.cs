using System.Text.Json;

namespace ImagingRepo.Dicom.Deidentification.Run;

/// <summary>The outputs an existing receipts file records: what a rerun need not give a receipt again.</summary>
internal static class ReceiptedOutputs
{
    /// <summary>The output paths (as receipts give them) the receipts file at <paramref name="receiptsPath"/> records; none when it does not exist.</summary>
    public static HashSet<string> Read(string receiptsPath)
    {
        var paths = new HashSet<string>(StringComparer.Ordinal);
        if (!File.Exists(receiptsPath))
        {
            return paths;
        }

        foreach (var line in File.ReadLines(receiptsPath))
        {
            try
            {
                paths.Add(DeidentificationReceipt.FromJsonLine(line).OutputPath);
            }
            catch (JsonException)
            {
                // the line being written when a run was killed records none
            }
        }

        return paths;
    }
}
