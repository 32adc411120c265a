using System.Collections.Frozen;

namespace ImagingRepo.Dicom.Deidentification.Profile;

/// <summary>
/// The profile compiled for one policy: a frozen map from tag to rule, built once, so the per-element cost is
/// one dictionary lookup (plus a group test for the curve, overlay and private rows).
/// </summary>
/// <remarks>
/// Composite actions (X/Z, X/D, Z/D, X/Z/D, X/Z/U*) mean "the least disruptive action consistent with the IOD"
/// (PS3.15 E.3), so they resolve by the attribute's Type in the instance's IOD, in <see cref="ForIod"/>. Where that
/// Type is unknown (an unknown SOP class, an attribute the IOD does not hold, any depth below the top level) they
/// resolve so that a present attribute stays present and the object stays conformant whatever the Type: X/Z becomes
/// Z, X/D, Z/D and X/Z/D become D, and X/Z/U* keeps the sequence with every contained UID replaced. None of these
/// keeps identifying content.
/// </remarks>
internal sealed class ProfileRules
{
    private readonly FrozenDictionary<uint, ElementRule> _explicit;
    private readonly FrozenDictionary<uint, ElementRule> _overrides;
    private readonly (uint Tag, uint Mask, ElementRule Rule)[] _masked;
    private readonly ElementRule _private;

    // the table action (after options) of every attribute whose rule ForIod refines
    private readonly FrozenDictionary<uint, ProfileAction> _byIodType;

    public ProfileRules(DeidentificationPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        Policy = policy;
        Options = policy.Options;
        SafePrivate = new SafePrivateLookup(policy.PrivateAllowList);

        var rows = new Dictionary<uint, ElementRule>(ConfidentialityProfile.Rows.Count);
        var masked = new List<(uint, uint, ElementRule)>();
        var byIodType = new Dictionary<uint, ProfileAction>();
        foreach (var row in ConfidentialityProfile.Rows)
        {
            var action = row.ActionFor(Options);
            var rule = Resolve(action);
            // an option's K is honoured as it stands: the option asks for the value, conformant or not
            if (!row.IsMasked && action != ProfileAction.Keep && IodAttributeTypes.Tags.Contains(row.Tag)
                && (IsComposite(action) || IodAttributeTypes.TryGetPresenceCondition(row.Tag, out _)))
            {
                rule = rule with { ByIodType = true };
                byIodType[row.Tag] = action;
            }

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
        rows[DicomTagValues.PatientID] = new ElementRule(ElementActionKind.PseudonymPatientId);
        rows[DicomTagValues.PatientName] = new ElementRule(ElementActionKind.PseudonymPatientName);
        byIodType.Remove(DicomTagValues.PatientID);

        var overrides = new Dictionary<uint, ElementRule>();
        foreach (var o in policy.Overrides)
        {
            DicomTag.TryParse(o.Tag, out var tag);
            overrides[tag.Value] = o.Action switch
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
        _byIodType = byIodType.ToFrozenDictionary();
        var privateAction = ConfidentialityProfile.PrivateAttributes.ActionFor(Options);
        _private = privateAction == ProfileAction.Remove
            ? new ElementRule(ElementActionKind.Remove)
            : new ElementRule(ElementActionKind.Private);
    }

    public DeidentificationPolicy Policy { get; }

    /// <summary>The policy's private allow-list, parsed once.</summary>
    public SafePrivateLookup SafePrivate { get; }

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

        if (new DicomTag(tag).IsOddGroup)
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

    /// <summary>
    /// Refines a rule marked <see cref="ElementRule.ByIodType"/> for a top-level attribute of an instance whose IOD is
    /// known: one frozen lookup of the attribute's Type, then
    /// <list type="bullet">
    /// <item>a conditional attribute (1C, 2C) whose condition is the presence of an attribute the profile removes
    /// goes too, whatever its own action short of an option's K (Clinical Trial Protocol Ethics Committee Name, D,
    /// once its approval number is removed by X): kept as a dummy, it would be present where the IOD forbids it;</item>
    /// <item>a composite action takes the letter the Type asks for: Type 3 removed (X; Z/D, which offers no X,
    /// too: an optional attribute may always go), Type 2 and 2C zero-length (Z; for a sequence, no items; X/D too,
    /// as a zero-length value is conformant and a dummy would be invented data), Type 1 and 1C a dummy (D; for
    /// X/Z/U*, the sequence kept with every contained UID replaced). A conditional attribute whose condition cannot
    /// be evaluated here is treated as required: present in the input, it stays present. A Type 3 reference sequence
    /// (X/Z/U*) of an instance with a Common Instance Reference module stays, its UIDs replaced (see below).</item>
    /// </list>
    /// An attribute the IOD does not hold keeps <paramref name="rule"/>, the Type-free resolution.
    /// </summary>
    public ElementRule ForIod(uint tag, ElementRule rule, IodAttributeTypes iod, DicomDataset dataset)
    {
        var type = iod.TypeOf(tag);
        if (type == AttributeType.Unknown)
        {
            return rule;
        }

        if (type is AttributeType.Type1C or AttributeType.Type2C
            && IodAttributeTypes.TryGetPresenceCondition(tag, out var requiredIfPresent)
            && !(dataset.Contains(new DicomTag(requiredIfPresent)) && RuleFor(requiredIfPresent).Kind != ElementActionKind.Remove))
        {
            return new ElementRule(ElementActionKind.Remove);
        }

        var action = _byIodType[tag];
        if (!IsComposite(action))
        {
            return rule;
        }

        // PS3.3 C.12.2 Common Instance Reference: Referenced Series Sequence and Studies Containing Other Referenced
        // Instances Sequence are 1C, present only while the instance references other instances. Removing a Type 3
        // reference sequence (X/Z/U*) under them would leave them describing references that are gone, so there the
        // sequence is kept with its UIDs replaced (U), which is conformant for a Type 3 attribute too.
        if (type == AttributeType.Type3 && action == ProfileAction.RemoveOrZeroOrReplaceUids
            && (dataset.Contains(DicomTags.ReferencedSeriesSequence) || dataset.Contains(DicomTags.StudiesContainingOtherReferencedInstancesSequence)))
        {
            return new ElementRule(ElementActionKind.ReplaceUid);
        }

        return type switch
        {
            AttributeType.Type3 => new ElementRule(ElementActionKind.Remove),
            AttributeType.Type2 or AttributeType.Type2C => new ElementRule(ElementActionKind.Zero),
            _ => new ElementRule(action == ProfileAction.RemoveOrZeroOrReplaceUids ? ElementActionKind.ReplaceUid : ElementActionKind.Dummy),
        };
    }

    private static bool IsComposite(ProfileAction action) => action is ProfileAction.RemoveOrZero or ProfileAction.RemoveOrDummy
        or ProfileAction.ZeroOrDummy or ProfileAction.RemoveOrZeroOrDummy or ProfileAction.RemoveOrZeroOrReplaceUids;

    /// <summary>
    /// Resolves a table action (after options) into what the engine does to a present element; a composite action
    /// resolves as for an attribute of unknown Type (see the remarks above).
    /// </summary>
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
