using System.Collections.Frozen;

namespace ImagingRepo.Dicom.Deidentification.Profile;

/// <summary>The Type of an attribute in an IOD (PS3.5 section 7.4): whether it must be present and hold a value.</summary>
internal enum AttributeType : byte
{
    /// <summary>Not known: the IOD is not known, or the attribute is not in it.</summary>
    Unknown,

    /// <summary>Type 1: present with a value.</summary>
    Type1,

    /// <summary>Type 1C: present with a value when its condition holds.</summary>
    Type1C,

    /// <summary>Type 2: present, possibly zero-length.</summary>
    Type2,

    /// <summary>Type 2C: present, possibly zero-length, when its condition holds.</summary>
    Type2C,

    /// <summary>Type 3: optional.</summary>
    Type3,
}

/// <summary>
/// The Types (PS3.3) of the attributes whose de-identification depends on them, in one IOD: the attributes with a
/// composite action of PS3.15 Table E.1-1 (X/Z, X/D, Z/D, X/Z/D, X/Z/U*) and the conditional attributes whose
/// condition the profile can break. One instance per distinct Type profile, all compiled once into frozen lookups.
/// </summary>
/// <remarks>
/// The Types come from <c>IodAttributeTypeTable.g.cs</c>, which <c>eng/generate-iod-attribute-types.py</c> derives
/// from the module tables of PS3.3 (Annex A: which modules an IOD holds; Annex C: each module's attributes and
/// Types, for example C.7.2.1 General Study, C.7.3.1 General Series, C.7.5.1 General Equipment, C.7.5.2 Enhanced
/// General Equipment, C.7.6.1 General Image, C.7.6.16 Multi-frame Functional Groups, C.17.2 SR Document General,
/// C.7.1.3 Clinical Trial Subject) as dicom3tools encodes them. An IOD is keyed by its storage SOP Class UID, so a
/// module whose Type differs between IODs (Referenced Performed Procedure Step Sequence: 3 in General Series, 1C in
/// MR Series, 2 in SR Document Series) resolves per SOP class.
/// </remarks>
internal sealed class IodAttributeTypes
{
    // PS3.3 C.7.1.3: Clinical Trial Protocol Ethics Committee Name is 1C, "required if Clinical Trial Protocol
    // Ethics Committee Approval Number (0012,0082) is present" (with no "may be present otherwise"), so it has to go
    // when the profile removes the approval number. The conditional attributes whose condition is the presence of
    // another attribute, keyed by tag; the generator probes the same tags (EXTRA_TAGS).
    private static readonly FrozenDictionary<uint, uint> PresenceConditions = new Dictionary<uint, uint>
    {
        [DicomTags.ClinicalTrialProtocolEthicsCommitteeName.Value] = DicomTags.ClinicalTrialProtocolEthicsCommitteeApprovalNumber.Value,
    }.ToFrozenDictionary();

    private static readonly FrozenDictionary<string, IodAttributeTypes> BySopClass = Compile();

    private readonly FrozenDictionary<uint, AttributeType> _types;

    private IodAttributeTypes(FrozenDictionary<uint, AttributeType> types) => _types = types;

    /// <summary>The tags whose Type can change what the profile does to them: every tag of every profile.</summary>
    public static FrozenSet<uint> Tags { get; } = IodAttributeTypeTable.Profiles.SelectMany(p => p.Select(e => e.Tag)).ToFrozenSet();

    /// <summary>The Types of the IOD of <paramref name="sopClassUid"/>, or null when the SOP class is not known.</summary>
    public static IodAttributeTypes? For(string? sopClassUid) =>
        sopClassUid is not null && BySopClass.TryGetValue(sopClassUid.Trim('\0', ' '), out var types) ? types : null;

    /// <summary>
    /// The attribute whose presence the condition of <paramref name="tag"/> (Type 1C or 2C) requires, where the
    /// condition is nothing but that presence.
    /// </summary>
    public static bool TryGetPresenceCondition(uint tag, out uint requiredIfPresent) => PresenceConditions.TryGetValue(tag, out requiredIfPresent);

    /// <summary>The Type of <paramref name="tag"/> at the top level of this IOD; unknown when the IOD lacks it.</summary>
    public AttributeType TypeOf(uint tag) => _types.TryGetValue(tag, out var type) ? type : AttributeType.Unknown;

    private static FrozenDictionary<string, IodAttributeTypes> Compile()
    {
        var profiles = IodAttributeTypeTable.Profiles
            .Select(p => new IodAttributeTypes(p.ToFrozenDictionary(e => e.Tag, e => e.Type)))
            .ToArray();
        return IodAttributeTypeTable.SopClasses.ToFrozenDictionary(c => c.SopClassUid, c => profiles[c.Profile], StringComparer.Ordinal);
    }
}
