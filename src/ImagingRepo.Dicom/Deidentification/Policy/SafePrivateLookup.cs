using System.Collections.Frozen;

namespace ImagingRepo.Dicom.Deidentification.Policy;

/// <summary>
/// The private allow-list of a policy (Retain Safe Private), parsed once: its entries by creator, so that judging a
/// private data element costs one lookup rather than a parse of every entry.
/// </summary>
internal sealed class SafePrivateLookup
{
    private const int AnyGroup = -1;

    // creator (trimmed, case-insensitive as PS3.5 7.8.1 leaves case to the implementation) -> (element byte, group or AnyGroup)
    private readonly FrozenDictionary<string, (int Offset, int Group)[]> _byCreator;

    public SafePrivateLookup(IReadOnlyList<SafePrivateAttribute> allowList)
    {
        var byCreator = new Dictionary<string, List<(int, int)>>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in allowList)
        {
            // an entry that does not parse never matched; a validated policy has none
            if (!entry.TryGetElementOffset(out var offset))
            {
                continue;
            }

            var group = AnyGroup;
            if (entry.Group is not null && !DeidentificationPolicy.TryParseHex16(entry.Group, out group))
            {
                continue;
            }

            var creator = entry.Creator.Trim();
            if (!byCreator.TryGetValue(creator, out var list))
            {
                byCreator[creator] = list = [];
            }

            list.Add((offset, group));
        }

        _byCreator = byCreator.ToFrozenDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>True when the list is empty, so no private element can be kept.</summary>
    public bool IsEmpty => _byCreator.Count == 0;

    /// <summary>Whether the private data element <paramref name="tag"/> of the block of <paramref name="creator"/> is on the list.</summary>
    public bool Contains(string creator, DicomTag tag)
    {
        if (!_byCreator.TryGetValue(creator, out var entries))
        {
            return false;
        }

        var offset = tag.Element & 0xFF;
        foreach (var (allowed, group) in entries)
        {
            if (allowed == offset && (group == AnyGroup || group == tag.Group))
            {
                return true;
            }
        }

        return false;
    }
}
