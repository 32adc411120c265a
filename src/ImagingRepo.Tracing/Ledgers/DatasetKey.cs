using System.Text;

namespace ImagingRepo.Tracing.Ledgers;

/// <summary>How dataset ids are indexed on ledgers: Keccak-256 of the UTF-8 id (an event topic on Ethereum).</summary>
public static class DatasetKey
{
    /// <summary>The 32-byte key of a dataset id.</summary>
    /// <param name="datasetId">The dataset id.</param>
    public static byte[] Of(string datasetId)
    {
        ArgumentNullException.ThrowIfNull(datasetId);
        return Keccak256.Hash(Encoding.UTF8.GetBytes(datasetId));
    }
}
