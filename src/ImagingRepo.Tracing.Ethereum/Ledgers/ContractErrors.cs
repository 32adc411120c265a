using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;
using Nethereum.Util;

namespace ImagingRepo.Tracing.Ledgers;

/// <summary>Names the TraceAnchor custom errors that a node reports only as revert data.</summary>
internal static partial class ContractErrors
{
    private static readonly Dictionary<string, string> Selectors = new[]
    {
        "NotOwner()", "NotAnchorer(address)", "EmptyBatch()", "LengthMismatch()",
        "RootAlreadyAnchored(bytes32)", "TraceAlreadyAnchored(bytes16,uint256)",
    }.ToDictionary(s => Sha3Keccack.Current.CalculateHash(s)[..8], s => s, StringComparer.OrdinalIgnoreCase);

    [GeneratedRegex("0x([0-9a-fA-F]{8})((?:[0-9a-fA-F]{64})*)")]
    private static partial Regex RevertData();

    /// <summary>The node's message, followed by the decoded contract error when the revert data is one of ours.</summary>
    public static string Explain(string message, string? data)
    {
        foreach (var text in new[] { data, message })
        {
            if (text is null) continue;
            foreach (Match match in RevertData().Matches(text))
            {
                if (!Selectors.TryGetValue(match.Groups[1].Value, out var signature)) continue;
                var words = match.Groups[2].Value;
                var name = signature[..signature.IndexOf('(', StringComparison.Ordinal)];
                var args = name switch
                {
                    "NotAnchorer" when words.Length >= 64 => "0x" + words[24..64],
                    "RootAlreadyAnchored" when words.Length >= 64 => "0x" + words[..64],
                    "TraceAlreadyAnchored" when words.Length >= 128 =>
                        UuidBytes.From(Convert.FromHexString(words[..32])).ToString("D") + ", batch " +
                        BigInteger.Parse("0" + words[64..128], NumberStyles.HexNumber, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture),
                    _ => "",
                };
                return $"{message} [{name}({args})]";
            }
        }

        return message;
    }
}
