using System.Collections.Frozen;

namespace ImagingRepo.Dicom.Deidentification;

/// <summary>
/// The profile compiled for one policy: a frozen map from tag to rule, built once, so the per-element cost is
/// one dictionary lookup (plus a group test for the curve, overlay and private rows).
/// </summary>
/// <remarks>
/// Composite actions resolve so that a present attribute stays present and the object stays conformant whatever
/// the attribute's type in the IOD: X/Z becomes Z, X/D, Z/D and X/Z/D become D, and X/Z/U* keeps the sequence with
/// every contained UID replaced. None of these keeps identifying content.
/// </remarks>
internal sealed class ProfileRules
{
    public const uint PatientName = 0x00100010;
    public const uint PatientId = 0x00100020;

    private readonly FrozenDictionary<uint, ElementRule> _explicit;
    private readonly FrozenDictionary<uint, ElementRule> _overrides;
    private readonly (uint Tag, uint Mask, ElementRule Rule)[] _masked;
    private readonly ElementRule _private;

    public ProfileRules(DeidentificationPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        Policy = policy;
        Options = policy.Options;

        var rows = new Dictionary<uint, ElementRule>(ConfidentialityProfile.Rows.Count);
        var masked = new List<(uint, uint, ElementRule)>();
        foreach (var row in ConfidentialityProfile.Rows)
        {
            var rule = Resolve(row.ActionFor(Options));
            if (row.IsMasked)
            {
                masked.Add((row.Tag, row.Mask, rule));
            }
            else
            {
                rows[row.Tag] = rule;
            }
        }

        // Patient identity becomes keyed pseudonyms rather than empty values, so one patient's studies stay together.
        rows[PatientId] = new ElementRule(ElementActionKind.PseudonymPatientId);
        rows[PatientName] = new ElementRule(ElementActionKind.PseudonymPatientName);

        var overrides = new Dictionary<uint, ElementRule>();
        foreach (var o in policy.Overrides)
        {
            DeidentificationPolicy.TryParseTag(o.Tag, out var tag);
            overrides[tag] = o.Action switch
            {
                OverrideAction.Keep => ElementRule.Keep,
                OverrideAction.Remove => new ElementRule(ElementActionKind.Remove),
                _ => new ElementRule(ElementActionKind.Replace, o.Value),
            };
        }

        _explicit = rows.ToFrozenDictionary();
        _overrides = overrides.ToFrozenDictionary();

        // an override of Code Meaning says what the project wants of every meaning: it wins over the scheme rule
        PrivateCodeMeanings = PrivateCodeMeanings.For(policy, overrides.ContainsKey(DicomTags.CodeMeaning.Value));
        _masked = [.. masked];
        var privateAction = ConfidentialityProfile.PrivateAttributes.ActionFor(Options);
        _private = privateAction == ProfileAction.Remove
            ? new ElementRule(ElementActionKind.Remove)
            : new ElementRule(ElementActionKind.Private);
    }

    public DeidentificationPolicy Policy { get; }

    public DeidentificationOptions Options { get; }

    public bool HasOverrides => _overrides.Count > 0;

    /// <summary>How code meanings of private and unknown coding schemes are replaced; null when the policy keeps them.</summary>
    public PrivateCodeMeanings? PrivateCodeMeanings { get; }

    /// <summary>The rule for a (non-private-creator) element; elements the table does not list are kept.</summary>
    public ElementRule RuleFor(uint tag)
    {
        if (_overrides.Count > 0 && _overrides.TryGetValue(tag, out var rule))
        {
            return rule;
        }

        if (_explicit.TryGetValue(tag, out rule))
        {
            return rule;
        }

        if ((tag & 0x00010000u) != 0)
        {
            return _private;
        }

        var group = tag >> 16;
        if (group is >= 0x5000 and <= 0x60FF)
        {
            foreach (var (value, mask, maskedRule) in _masked)
            {
                if ((tag & mask) == value)
                {
                    return maskedRule;
                }
            }
        }

        return ElementRule.Unlisted;
    }

    /// <summary>Resolves a table action (after options) into what the engine does to a present element.</summary>
    internal static ElementRule Resolve(ProfileAction action) => action switch
    {
        ProfileAction.Keep => ElementRule.Keep,
        ProfileAction.Remove => new ElementRule(ElementActionKind.Remove),
        ProfileAction.Zero => new ElementRule(ElementActionKind.Zero),
        ProfileAction.Dummy => new ElementRule(ElementActionKind.Dummy),
        ProfileAction.Clean => new ElementRule(ElementActionKind.Clean),
        ProfileAction.ReplaceUid => new ElementRule(ElementActionKind.ReplaceUid),
        ProfileAction.RemoveOrZero => new ElementRule(ElementActionKind.Zero),
        ProfileAction.RemoveOrDummy or ProfileAction.ZeroOrDummy or ProfileAction.RemoveOrZeroOrDummy => new ElementRule(ElementActionKind.Dummy),
        ProfileAction.RemoveOrZeroOrReplaceUids => new ElementRule(ElementActionKind.ReplaceUid),
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, null),
    };
}
