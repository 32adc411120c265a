namespace ImagingRepo.Dicom.Deidentification;

/// <summary>An action code of PS3.15 Table E.1-1.</summary>
public enum ProfileAction
{
    /// <summary>K: keep the attribute unchanged (non-sequence) or keep it and clean its items (sequence).</summary>
    Keep,

    /// <summary>X: remove the attribute.</summary>
    Remove,

    /// <summary>Z: replace with a zero-length value, or a dummy where the attribute must not be empty.</summary>
    Zero,

    /// <summary>D: replace with a non-zero-length dummy value valid for the VR.</summary>
    Dummy,

    /// <summary>C: replace with values of similar meaning that carry no identifying information.</summary>
    Clean,

    /// <summary>U: replace a UID with one that is consistent within the set of de-identified instances.</summary>
    ReplaceUid,

    /// <summary>X/Z: remove, or zero-length where the IOD requires the attribute (Type 2).</summary>
    RemoveOrZero,

    /// <summary>X/D: remove, or dummy where the IOD requires a value (Type 1).</summary>
    RemoveOrDummy,

    /// <summary>Z/D: zero-length, or dummy where the IOD requires a value (Type 1).</summary>
    ZeroOrDummy,

    /// <summary>X/Z/D: remove, zero-length (Type 2) or dummy (Type 1).</summary>
    RemoveOrZeroOrDummy,

    /// <summary>X/Z/U*: remove, zero-length, or keep the sequence with every contained instance UID replaced.</summary>
    RemoveOrZeroOrReplaceUids,
}
