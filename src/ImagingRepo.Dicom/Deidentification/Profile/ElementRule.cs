namespace ImagingRepo.Dicom.Deidentification.Profile;

/// <summary>What the engine does to one present element, once table, options and overrides are resolved.</summary>
internal enum ElementActionKind : byte
{
    /// <summary>Keep the value (sequences: keep and apply the rules to their items).</summary>
    Keep,

    /// <summary>Remove the element.</summary>
    Remove,

    /// <summary>Zero-length value (sequences: no items).</summary>
    Zero,

    /// <summary>A dummy value valid for the VR (sequences: keep structure, replace every free value).</summary>
    Dummy,

    /// <summary>Clean: shift dates, scrub identifying text, pseudonymize AE titles; sequences cleaned in depth.</summary>
    Clean,

    /// <summary>Replace each UID value with its keyed replacement.</summary>
    ReplaceUid,

    /// <summary>Replace with the value given by the project policy.</summary>
    Replace,

    /// <summary>Replace with the keyed patient pseudonym (Patient ID).</summary>
    PseudonymPatientId,

    /// <summary>Replace with the keyed patient name pseudonym (Patient's Name).</summary>
    PseudonymPatientName,

    /// <summary>A private element: kept only when on the allow-list under Retain Safe Private.</summary>
    Private,
}

/// <summary>
/// A resolved rule: the action and, for <see cref="ElementActionKind.Replace"/>, the value. <see cref="ByIodType"/>
/// marks a rule that <see cref="ProfileRules.ForIod"/> refines at the top level of an instance whose IOD is known.
/// </summary>
internal readonly record struct ElementRule(ElementActionKind Kind, string? Value = null, bool Listed = true, bool ByIodType = false)
{
    /// <summary>Keep, for an attribute the table lists (or an override names).</summary>
    public static ElementRule Keep { get; } = new(ElementActionKind.Keep);

    /// <summary>Keep, for an attribute neither the table nor the policy names.</summary>
    public static ElementRule Unlisted { get; } = new(ElementActionKind.Keep, Listed: false);
}
